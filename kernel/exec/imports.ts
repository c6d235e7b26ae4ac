// `import` in cells: node: built-ins, the notebook directory's packages, relative .js/.ts files, and `looplab`.
import path from "node:path";
import { pathToFileURL } from "node:url";
import vm from "node:vm";
import { IMPORT_NAME } from "../compile/index.ts";
import { checkUserCommonJs } from "./loop-check.ts";
import { installModuleHooks } from "./module-hooks.ts";

type Importer = (specifier: string, options?: ImportCallOptions) => Promise<Record<string, unknown>>;
let importer: Importer | undefined;
let importerDir: string | undefined;

/**
 * A dynamic import whose referrer is a file in the notebook's directory, so Node itself resolves
 * packages from that directory's node_modules (CommonJS and ESM-only alike) and relative paths from there.
 */
function importerFor(dir: string) {
  if (importer && importerDir === dir) return importer;
  const script = new vm.Script("(specifier, options) => import(specifier, options)", {
    filename: path.join(dir, "[looplab cell import].js"),
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  importer = script.runInThisContext() as Importer;
  importerDir = dir;
  return importer;
}

/** Named imports of a CommonJS module find its exports even where Node's static analysis missed them. */
function withCommonJsNames(namespace: Record<string, unknown>): Record<string, unknown> {
  const fallback = namespace.default;
  if (typeof fallback !== "object" || fallback === null || Object.keys(namespace).length > 2) return namespace;
  return new Proxy(namespace, {
    get: (target, key) => (key in target ? target[key as string] : (fallback as Record<PropertyKey, unknown>)[key]),
    has: (target, key) => key in target || key in fallback,
  });
}

export function installImporter(runtimeUrl: string): void {
  const load = async (specifier: string, options?: ImportCallOptions): Promise<Record<string, unknown>> => {
    if (specifier === "looplab") return import(runtimeUrl);
    const relative = specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("file:");
    if (relative) {
      installModuleHooks();
      checkUserCommonJs();
    }
    return withCommonJsNames(await importerFor(process.cwd())(specifier, options));
  };
  // Cells have no module of their own: `import.meta` (compiled to `${IMPORT_NAME}.meta`) describes the
  // notebook's directory, where relative imports resolve.
  Object.defineProperty(load, "meta", {
    get: () => {
      const dirname = process.cwd();
      const filename = path.join(dirname, "[notebook cell].ts");
      return { url: pathToFileURL(filename).href, filename, dirname, resolve: (s: string) => new URL(s, pathToFileURL(filename)).href };
    },
  });
  Object.defineProperty(globalThis, IMPORT_NAME, { value: load, configurable: true, enumerable: false, writable: false });
  silenceLoaderWarning();
}

/** The main-context loader for vm scripts is marked experimental in Node 20; users need not see that. */
function silenceLoaderWarning(): void {
  const original = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === "string" ? warning : warning.message;
    if (text.includes("USE_MAIN_CONTEXT_DEFAULT_LOADER")) return;
    (original as (...args: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}
