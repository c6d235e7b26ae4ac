// Node loader hooks that let cells import relative TypeScript files (esbuild strips the types on the fly), and
// that give the user's own modules the kernel's loop checks, so an interrupt reaches loops in them too.
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";
import { isUserModule, withLoopChecks } from "./loop-check.ts";

type Resolve = (specifier: string, context: { parentURL?: string }) => Promise<{ url: string; format?: string | null }>;
type Load = (url: string, context: { format?: string | null }) => Promise<{ format: string; source?: string | Buffer | null }>;

const TS = /\.(ts|mts|cts|tsx)$/;

export async function resolve(specifier: string, context: { parentURL?: string }, next: Resolve) {
  try {
    return await next(specifier, context);
  } catch (error) {
    // `import "./util"` or "./util.js" written for a TypeScript file: try the .ts sibling, as tsc would.
    const relative = specifier.startsWith("./") || specifier.startsWith("../");
    if (!relative || !context.parentURL) throw error;
    for (const candidate of [specifier.replace(/\.js$/, ".ts"), `${specifier}.ts`, `${specifier}/index.ts`]) {
      const url = new URL(candidate, context.parentURL);
      if (existsSync(fileURLToPath(url))) return { url: url.href, format: "module", shortCircuit: true };
    }
    throw error;
  }
}

export async function load(url: string, context: { format?: string | null }, next: Load) {
  if (!isUserModule(url)) return next(url, context);
  if (!TS.test(url)) {
    const loaded = await next(url, context);
    // ES modules only: CommonJS reached through import is loaded by Node's own require, past these hooks.
    if (loaded.format !== "module" || loaded.source == null) return loaded;
    return { ...loaded, source: withLoopChecks(String(loaded.source), "module") };
  }
  const path = fileURLToPath(url);
  const source = await readFile(path, "utf8");
  const { code } = await transform(source, {
    loader: path.endsWith("x") ? "tsx" : "ts",
    format: path.endsWith(".cts") ? "cjs" : "esm",
    target: "node20",
    sourcemap: "inline",
    sourcefile: path,
  });
  const cjs = path.endsWith(".cts");
  return { format: cjs ? "commonjs" : "module", source: withLoopChecks(code, cjs ? "script" : "module"), shortCircuit: true };
}
