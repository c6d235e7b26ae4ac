// esbuild as a TypeScript eraser: one lazily started service, errors turned into cell positions.
import { createRequire } from "node:module";
import type * as Esbuild from "esbuild";

/** esbuild's output for one cell body, with its source map's `mappings` (one source: the body). */
export interface Transpiled {
  code: string;
  mappings: string;
}

/** esbuild rejected the body; line is 1-based, column 0-based in UTF-16 units of the body. */
export class TranspileError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    /** True when esbuild stopped at the end of the input: more text could still make it valid. */
    readonly atEnd: boolean,
  ) {
    super(message);
  }
}

// Loaded on first use: a kernel whose cells are plain JavaScript never pays for esbuild's module or its
// service process (~16 MB). createRequire because esbuild stays outside the kernel bundle.
let esbuild: typeof Esbuild | undefined;
function load(): typeof Esbuild {
  return (esbuild ??= createRequire(import.meta.url)("esbuild") as typeof Esbuild);
}

function options(filename: string): Esbuild.TransformOptions {
  return {
    loader: "ts",
    // node20 lowers what Node 20 cannot run yet (`using`, `await using`, decorators) and nothing else.
    target: "node20",
    sourcemap: "external",
    sourcesContent: false,
    sourcefile: filename,
    // Keep non-ASCII text as written, so columns in the output line up with the cell.
    charset: "utf8",
    logLevel: "silent",
    // A cell's import is often used only by later cells: never drop an import for looking unused.
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
  };
}

/** Erases types with esbuild's async service (measured faster per call than transformSync). */
export async function transpile(body: string, filename: string): Promise<Transpiled> {
  const esbuild = load();
  try {
    let result;
    try {
      result = await esbuild.transform(body, options(filename));
    } catch (error) {
      if (!serviceGone(error)) throw error;
      await esbuild.stop();
      result = await esbuild.transform(body, options(filename));
    }
    return { code: result.code, mappings: mappingsOf(result.map) };
  } catch (error) {
    throw toTranspileError(error, body);
  }
}

/** The same, blocking: for callers that must answer synchronously (is_complete on TypeScript-only syntax). */
export function transpileSync(body: string, filename: string): Transpiled {
  const esbuild = load();
  try {
    let result;
    try {
      result = esbuild.transformSync(body, options(filename));
    } catch (error) {
      if (!serviceGone(error)) throw error;
      void esbuild.stop();
      result = esbuild.transformSync(body, options(filename));
    }
    return { code: result.code, mappings: mappingsOf(result.map) };
  } catch (error) {
    throw toTranspileError(error, body);
  }
}

/**
 * Jupyter interrupts a kernel by signalling its whole process group, and SIGINT ends esbuild's service
 * process too. esbuild does not restart a dead service by itself, but does after stop().
 */
function serviceGone(error: unknown): boolean {
  return error instanceof Error && /service (is no longer running|was stopped)/.test(error.message);
}

/**
 * Starts esbuild's service ahead of the first TypeScript cell (its start costs 10-50 ms, its process ~16 MB
 * RSS). Optional: without it the first TypeScript cell starts the service.
 */
export async function warmTranspiler(): Promise<void> {
  await transpile("", "warm-up");
}

/** Stops esbuild's service processes (they restart on the next transform). For shutdown or long idle times. */
export async function stopTranspiler(): Promise<void> {
  if (esbuild) await esbuild.stop();
}

function mappingsOf(map: string): string {
  // Only `mappings` matters: one source, no names needed. A regex avoids parsing the sourcesContent copy.
  const found = /"mappings":\s*"([^"]*)"/.exec(map);
  return found ? found[1]! : "";
}

function toTranspileError(error: unknown, body: string): unknown {
  const failure = error as Partial<Esbuild.TransformFailure>;
  const first = failure.errors?.[0];
  if (!first) return error;
  const location = first.location;
  if (!location) return new TranspileError(first.text, 1, 0, false);
  // esbuild counts columns in UTF-8 bytes; the cell (and stack traces) count UTF-16 units.
  const column = Buffer.from(location.lineText, "utf8").subarray(0, location.column).toString("utf8").length;
  const lines = body.split("\n");
  const lastContent = body.trimEnd().length;
  let offset = 0;
  for (let i = 0; i < location.line - 1 && i < lines.length; i++) offset += lines[i]!.length + 1;
  offset += column;
  const atEnd = offset >= lastContent || /end of file/.test(first.text);
  return new TranspileError(first.text, location.line, column, atEnd);
}
