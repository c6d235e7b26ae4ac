// esbuild plugin for the kernel and runtime bundles: `import ... from "node:fs"` becomes a read of
// process.getBuiltinModule("node:fs") instead of an ES import of the built-in.
//
// Why: Node's ES wrapper of a built-in copies every export, and reading them runs their lazy getters, so importing
// node:fs loads fs/promises and streams, node:util loads worker_threads, node:http loads tls, http2 and zlib. An
// idle kernel paid MBs of RSS for modules it never used. Exported are the default and exactly the names our
// sources import: reading every property would run lazy getters too, and deprecated ones warn (fs.F_OK printed
// DEP0176 on Node 24). A name imported by some other file fails the build ("No matching export"), not silently.
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** "fs:readFileSync" for every `import { readFileSync } from "node:fs"` in kernel/ and runtime/ sources. */
function namedImports() {
  const found = new Set();
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "dist" || entry.name === "node_modules" || entry.name.startsWith("dist.")) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith(".ts")) {
        const text = readFileSync(path, "utf8");
        for (const [, names, module] of text.matchAll(/import\s+(?:[\w$]+\s*,\s*)?\{([^}]*)\}\s*from\s*"(?:node:)?([a-z_/]+)"/g)) {
          for (const name of names.split(",").map((n) => n.trim())) {
            if (name && !name.startsWith("type ")) found.add(`${module}:${name.split(/\s+as\s+/)[0]}`);
          }
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
      const names = Object.keys(descriptors).filter((key) => key !== "default" && IDENTIFIER.test(key) && imported.has(`${path}:${key}`));
      const lines = [`const m = process.getBuiltinModule(${JSON.stringify(`node:${path}`)});`, "export default m;"];
      for (const key of names) lines.push(`export const ${key} = m.${key};`);
      return { contents: lines.join("\n"), loader: "js" };
    });
  },
};
