// esbuild plugin for the kernel and runtime bundles: `import ... from "node:fs"` becomes a read of
// process.getBuiltinModule("node:fs") instead of an ES import of the built-in.
//
// Why: Node's ES wrapper of a built-in copies every export, and reading them runs their lazy getters, so importing
// node:fs loads fs/promises and streams, node:util loads worker_threads, node:http loads tls, http2 and zlib. An
// idle kernel paid MBs of RSS for modules it never used. Data properties are exported; an accessor (fs.promises,
// util.parseArgs) only where our sources import it by name, so the rest stay lazy.
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** "fs:promises" for every `import { promises } from "node:fs"` in kernel/ and runtime/ sources. */
function namedImports() {
  const found = new Set();
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "dist" || entry.name === "node_modules" || entry.name.startsWith("dist.")) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith(".ts")) {
        for (const [, names, module] of readFileSync(path, "utf8").matchAll(/import\s*\{([^}]*)\}\s*from\s*"(?:node:)?([a-z_/]+)"/g)) {
          for (const name of names.split(",")) found.add(`${module}:${name.trim().split(/\s+as\s+/)[0]}`);
        }
      }
    }
  };
  for (const part of ["kernel", "runtime"]) visit(join(root, part));
  return found;
}
const bare = new Set(builtinModules);
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export const builtinImports = {
  name: "looplab-builtin-imports",
  setup(build) {
    const imported = namedImports();
    build.onResolve({ filter: /^[a-z_/:0-9]+$/ }, (args) => {
      const name = args.path.startsWith("node:") ? args.path.slice(5) : args.path;
      if (!bare.has(name) || args.kind !== "import-statement") return undefined;
      return { path: name, namespace: "node-builtin" };
    });
    build.onLoad({ filter: /.*/, namespace: "node-builtin" }, ({ path }) => {
      const descriptors = Object.getOwnPropertyDescriptors(require(`node:${path}`));
      const names = Object.keys(descriptors).filter(
        (key) => key !== "default" && IDENTIFIER.test(key) && ("value" in descriptors[key] || imported.has(`${path}:${key}`)),
      );
      const lines = [`const m = process.getBuiltinModule(${JSON.stringify(`node:${path}`)});`, "export default m;"];
      for (const key of names) lines.push(`export const ${key} = m.${key};`);
      return { contents: lines.join("\n"), loader: "js" };
    });
  },
};
