// Builds the runtime and the kernel with esbuild: `npm install` runs it (prepare), so a clone is ready to use.
import { build } from "esbuild";
import { readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { builtinImports } from "./builtin-imports.mjs";

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
  // so that cells and the kernel share a single instance of it; jsdom reads files beside its own sources.
  external: ["zeromq", "esbuild", "looplab", "playwright-core", "@resvg/resvg-js", "jsdom", "typescript7"],
  plugins: [builtinImports],
  // ESM bundles have no `require`; some bundled CommonJS dependencies still call it.
  banner: { js: "import { createRequire as __llCreateRequire } from 'node:module'; const require = __llCreateRequire(import.meta.url);" },
};

const started = performance.now();
// Build beside dist/ and swap it in at the end: a failed or concurrent build never leaves a half-empty dist/.
const staging = (part) => join(root, part, `dist.building-${process.pid}`);
for (const part of ["runtime", "kernel"]) rmSync(staging(part), { recursive: true, force: true });

try {
  await Promise.all([
    build({
      ...common,
      entryPoints: [join(root, "runtime/index.ts"), ...workers(join(root, "runtime"))],
      outdir: staging("runtime"),
      outbase: join(root, "runtime"),
      entryNames: "[name]",
    }),
    build({
      ...common,
      entryPoints: [join(root, "kernel/cli.ts"), join(root, "kernel/course/client.ts"), ...workers(join(root, "kernel"))],
      outdir: staging("kernel"),
      outbase: join(root, "kernel"),
      entryNames: "[name]",
      chunkNames: "chunk-[hash]",
      splitting: true,
    }),
    // The kernelspec's entry (start.ts), a build of its own: its static imports (the wire code) become one
    // file, not chunks shared with the course tools; what it imports lazily gets chunks of its own.
    build({
      ...common,
      entryPoints: [join(root, "kernel/start.ts")],
      outdir: staging("kernel"),
      outbase: join(root, "kernel"),
      entryNames: "[name]",
      chunkNames: "start-[hash]",
      splitting: true,
    }),
  ]);
} catch (error) {
  for (const part of ["runtime", "kernel"]) rmSync(staging(part), { recursive: true, force: true });
  throw error;
}
for (const part of ["runtime", "kernel"]) {
  rmSync(join(root, part, "dist"), { recursive: true, force: true });
  renameSync(staging(part), join(root, part, "dist"));
}
console.log(`looplab: built runtime/dist and kernel/dist in ${Math.round(performance.now() - started)} ms (${relative(process.cwd(), root) || "."})`);
