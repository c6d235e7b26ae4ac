// Node loader hooks on the hooks thread (module.register), for Node older than 22.15, which lacks the in-thread
// module.registerHooks (module-hooks.ts): relative TypeScript files and the user's modules' loop checks.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";
import { isUserModule, TYPESCRIPT, typeScriptModule, typeScriptOptions, typeScriptSibling, withChecks, type Loaded } from "./module-source.ts";

type Resolve = (specifier: string, context: { parentURL?: string }) => Promise<{ url: string; format?: string | null }>;
type Load = (url: string, context: { format?: string | null }) => Promise<Loaded>;

export async function resolve(specifier: string, context: { parentURL?: string }, next: Resolve) {
  try {
    return await next(specifier, context);
  } catch (error) {
    const url = typeScriptSibling(specifier, context.parentURL);
    if (url === undefined) throw error;
    return { url, format: "module", shortCircuit: true };
  }
}

export async function load(url: string, context: { format?: string | null }, next: Load): Promise<Loaded> {
  if (!isUserModule(url)) return next(url, context);
  if (!TYPESCRIPT.test(url)) return withChecks(await next(url, context));
  const path = fileURLToPath(url);
  const { code } = await transform(await readFile(path, "utf8"), typeScriptOptions(path));
  return typeScriptModule(path, code);
}
