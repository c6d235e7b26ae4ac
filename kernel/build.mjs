// Builds the runtime and the kernel with esbuild: `npm install` runs it (prepare), so a clone is ready to use.
import { build } from "esbuild";
import { readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** Every `*.worker.ts` / `*.hooks.ts` below dir: worker threads and loader hooks need files of their own. */
function workers(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === "dist" || name === "node_modules") continue;
    if (statSync(path).isDirectory()) found.push(...workers(path));
    else if (name.endsWith(".worker.ts") || name.endsWith(".hooks.ts")) found.push(path);
  }
  return found;
}

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: "linked",
  logLevel: "warning",
  // Native or service-backed packages stay outside; `looplab` is the runtime itself, loaded from one place
  // so that cells and the kernel share a single instance of it.
  external: ["zeromq", "esbuild", "looplab", "playwright-core"],
  // ESM bundles have no `require`; some bundled CommonJS dependencies still call it.
  banner: { js: "import { createRequire as __llCreateRequire } from 'node:module'; const require = __llCreateRequire(import.meta.url);" },
};

const started = performance.now();
for (const part of ["runtime", "kernel"]) rmSync(join(root, part, "dist"), { recursive: true, force: true });

await Promise.all([
  build({
    ...common,
    entryPoints: [join(root, "runtime/index.ts"), ...workers(join(root, "runtime"))],
    outdir: join(root, "runtime/dist"),
    outbase: join(root, "runtime"),
    entryNames: "[name]",
  }),
  build({
    ...common,
    entryPoints: [join(root, "kernel/cli.ts"), join(root, "kernel/client.ts"), ...workers(join(root, "kernel"))],
    outdir: join(root, "kernel/dist"),
    outbase: join(root, "kernel"),
    entryNames: "[name]",
    chunkNames: "chunk-[hash]",
    splitting: true,
  }),
]);
console.log(`looplab: built runtime/dist and kernel/dist in ${Math.round(performance.now() - started)} ms (${relative(process.cwd(), root) || "."})`);
