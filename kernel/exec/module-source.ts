// What the kernel's module hooks do to the user's own modules, shared by the in-thread hooks (module-hooks.ts,
// Node >= 22.15) and the hooks thread (ts.hooks.ts, older Node): .ts siblings for extensionless or .js
// specifiers, type erasure, and the loop checks that let an interrupt reach loops in those modules.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { TransformOptions } from "esbuild";
import { isUserModule, withLoopChecks } from "./loop-check.ts";

export { isUserModule };

export const TYPESCRIPT = /\.(ts|mts|cts|tsx)$/;

/** The module a hook returns: what Node's resolve/load hooks accept. */
export interface Loaded {
  format?: string | null;
  source?: string | ArrayBuffer | ArrayBufferView | null;
  shortCircuit?: boolean;
}

/**
 * `import "./util"` or "./util.js" written for a TypeScript file: the .ts sibling's URL, as tsc would pick it,
 * or undefined when there is none (Node's own error then stands).
 */
export function typeScriptSibling(specifier: string, parentURL: string | undefined): string | undefined {
  const relative = specifier.startsWith("./") || specifier.startsWith("../");
  if (!relative || !parentURL) return undefined;
  for (const candidate of [specifier.replace(/\.js$/, ".ts"), `${specifier}.ts`, `${specifier}/index.ts`]) {
    const url = new URL(candidate, parentURL);
    if (existsSync(fileURLToPath(url))) return url.href;
  }
  return undefined;
}

/** esbuild's options for a user's TypeScript file at `path`. */
export function typeScriptOptions(path: string): TransformOptions {
  return {
    loader: path.endsWith("x") ? "tsx" : "ts",
    format: path.endsWith(".cts") ? "cjs" : "esm",
    target: "node20",
    sourcemap: "inline",
    sourcefile: path,
  };
}

/** The module Node gets for a TypeScript file esbuild turned into `code`. */
export function typeScriptModule(path: string, code: string): Loaded {
  const cjs = path.endsWith(".cts");
  return { format: cjs ? "commonjs" : "module", source: withLoopChecks(code, cjs ? "script" : "module"), shortCircuit: true };
}

/**
 * A JavaScript module of the user's as Node loaded it, with the loop checks. ES modules only: CommonJS gets them
 * from checkUserCommonJs (Node's require machinery, which the ES hooks do not always see).
 */
export function withChecks(loaded: Loaded): Loaded {
  if (loaded.format !== "module" || loaded.source == null) return loaded;
  const text = typeof loaded.source === "string" ? loaded.source : Buffer.from(loaded.source as ArrayBuffer).toString("utf8");
  return { ...loaded, source: withLoopChecks(text, "module") };
}
