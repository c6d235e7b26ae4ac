// Node loader hooks that let cells import relative TypeScript files: esbuild strips the types on the fly.
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";

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
  if (!url.startsWith("file:") || !TS.test(url)) return next(url, context);
  const path = fileURLToPath(url);
  const source = await readFile(path, "utf8");
  const { code } = await transform(source, {
    loader: path.endsWith("x") ? "tsx" : "ts",
    format: path.endsWith(".cts") ? "cjs" : "esm",
    target: "node20",
    sourcemap: "inline",
    sourcefile: path,
  });
  return { format: path.endsWith(".cts") ? "commonjs" : "module", source: code, shortCircuit: true };
}
