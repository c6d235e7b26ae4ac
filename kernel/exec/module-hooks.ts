// The kernel's module hooks for cells' relative imports (TypeScript files, loop checks in the user's modules):
// in-thread with module.registerHooks where Node has it (>= 22.15), else on a hooks thread with module.register.
//
// Why in-thread: module.register() is deprecated on Node 26 (DEP0205, printed into the cell that first imports
// a relative file), and its hooks thread is a second isolate (measured +14 MB RSS). registerHooks runs the same
// hooks synchronously in the kernel's own thread, so TypeScript goes through esbuild's transformSync.
import Module, { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type * as Esbuild from "esbuild";
import { isUserModule, TYPESCRIPT, typeScriptModule, typeScriptOptions, typeScriptSibling, withChecks, type Loaded } from "./module-source.ts";

type Resolved = { url: string; format?: string | null; shortCircuit?: boolean };
type ResolveContext = { parentURL?: string };
type LoadContext = { format?: string | null };
interface SyncHooks {
  resolve(specifier: string, context: ResolveContext, next: (specifier: string, context?: ResolveContext) => Resolved): Resolved;
  load(url: string, context: LoadContext, next: (url: string, context?: LoadContext) => Loaded): Loaded;
}
type RegisterHooks = (hooks: SyncHooks) => unknown;

let installed = false;
let esbuild: typeof Esbuild | undefined;

/** Installs the hooks once; which kind depends on this Node. */
export function installModuleHooks(): void {
  if (installed) return;
  installed = true;
  const registerHooks = (Module as unknown as { registerHooks?: RegisterHooks }).registerHooks;
  if (typeof registerHooks === "function") registerHooks({ resolve, load });
  else Module.register(new URL("./ts.hooks.js", import.meta.url));
}

function resolve(specifier: string, context: ResolveContext, next: (specifier: string, context?: ResolveContext) => Resolved): Resolved {
  try {
    return next(specifier, context);
  } catch (error) {
    const url = typeScriptSibling(specifier, context.parentURL);
    if (url === undefined) throw error;
    return { url, format: "module", shortCircuit: true };
  }
}

function load(url: string, context: LoadContext, next: (url: string, context?: LoadContext) => Loaded): Loaded {
  if (!isUserModule(url)) return next(url, context);
  if (!TYPESCRIPT.test(url)) return withChecks(next(url, context));
  const path = fileURLToPath(url);
  // Loaded on first use, as in compile/transpile.ts: esbuild stays outside the kernel bundle.
  esbuild ??= createRequire(import.meta.url)("esbuild") as typeof Esbuild;
  const { code } = esbuild.transformSync(readFileSync(path, "utf8"), typeScriptOptions(path));
  return typeScriptModule(path, code);
}
