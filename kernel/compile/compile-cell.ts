// compileCell: one cell's source -> the script the kernel runs, the names it declares, the way back to cell positions.
import type { Program } from "acorn";
import vm from "node:vm";
import { CellSyntaxError, scriptSyntaxErrorPosition } from "./errors.ts";
import { splitMagics, type Magic } from "./magics.ts";
import { LineIndex, SourceMapLookup, type EditMap, type Position } from "./positions.ts";
import { bindingNames, parseProgram, rewriteProgram, RewriteError } from "./rewrite.ts";
import { transpile, TranspileError } from "./transpile.ts";

export interface CompiledCell {
  /** `%name args` / `%%name args` lines from the top of the cell. */
  readonly magics: readonly Magic[];
  /**
   * JavaScript for `vm.Script#runInThisContext`. Evaluating it returns a Promise of `{ value }` when the cell
   * ends with an expression statement, else of undefined. Code before the first `await` runs synchronously.
   */
  readonly script: string;
  /** Top-level names the cell declares; after it runs they are properties of the global object. */
  readonly declared: readonly string[];
  readonly hasResult: boolean;
  /** Script position (1-based line, 0-based column) -> cell position, or undefined for generated code. */
  map(line: number, column: number): Position | undefined;
  /**
   * V8 would not compile `script` (with `error`), although acorn parsed the cell: the cell's own SyntaxError
   * when V8 rejects the user's code just so by itself (syntax newer than this Node, such as a regexp feature),
   * else undefined (then the kernel's insertions are to blame).
   */
  ownSyntaxError(error: SyntaxError): CellSyntaxError | undefined;
}

export interface CompileOptions {
  /** Names the cell in esbuild's messages, e.g. "Cell In[3]". */
  filename: string;
  /** The global function that imports modules for cells (default IMPORT_NAME). */
  importName?: string;
  /**
   * An expression evaluated at the top of every loop iteration and function call in the cell's code (the
   * kernel's interrupt check, which throws): how an interrupt reaches code that keeps the event loop busy,
   * without stopping the engine.
   */
  loopCheck?: string;
  /**
   * A global function that every `await` in the cell's code hands its result to (`check(await x)`), so code
   * resuming after an await can be stopped there (the kernel cancels an interrupted cell's code this way).
   */
  resumeCheck?: string;
  /**
   * A global function that every async function's body runs through (`T("download", arguments, async () =>
   * body)`, see trace-calls.ts): the kernel's traced calls, one timeline lane per call.
   */
  traceCalls?: string;
}

/** The global function compiled imports call unless CompileOptions.importName says otherwise. */
export const IMPORT_NAME = "__looplab_import";

// Re-running a cell (or %timeit compiling the same statement) costs a map lookup. Compiled cells are immutable.
const CACHE_LIMIT = 256;
const cache = new Map<string, CompiledCell>();

/** Compiles a cell; rejects with CellSyntaxError (positioned in the cell) when it does not parse. */
export async function compileCell(source: string, options: CompileOptions): Promise<CompiledCell> {
  const importName = options.importName ?? IMPORT_NAME;
  const loopCheck = options.loopCheck ?? "";
  const resumeCheck = options.resumeCheck ?? "";
  const traceCalls = options.traceCalls ?? "";
  const key = `${importName}\0${loopCheck}\0${resumeCheck}\0${traceCalls}\0${source}`;
  const hit = cache.get(key);
  if (hit) {
    // Refresh its place: the map's order is the eviction order.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const compiled = await compileUncached(source, options.filename, importName, loopCheck, resumeCheck, traceCalls);
  cache.set(key, compiled);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  return compiled;
}

/** A cell body turned into a parsed JavaScript program, with what is needed to map positions back. */
interface Parsed {
  js: string;
  program: Program;
  /** esbuild's map from js to the body; undefined when js is the body itself. */
  lookup: SourceMapLookup | undefined;
  isUserName(name: string): boolean;
  /** Parsed as a plain script because it uses `await` as a name. */
  awaitIsName?: boolean;
}

/** Where a `(` was inserted before the cell's text to read `{ a: 1 }` as an object: later columns shift by one. */
interface Shift {
  line: number;
  column: number;
}

async function compileUncached(
  source: string,
  filename: string,
  importName: string,
  loopCheck: string,
  resumeCheck: string,
  traceCalls: string,
): Promise<CompiledCell> {
  const { magics, body } = splitMagics(source);

  // Like Node's REPL: a cell that starts with `{` and does not end with `;` is an object literal if it parses
  // as one; otherwise it is a block.
  const candidate = objectLiteralCandidate(body);
  let parsed: Parsed | undefined;
  let shift: Shift | undefined;
  if (candidate) {
    try {
      const attempt = await parse(candidate.text, filename);
      const only = attempt.program.body;
      if (only.length === 1 && only[0]!.type === "ExpressionStatement") {
        parsed = attempt;
        shift = candidate.shift;
      }
    } catch (error) {
      if (!(error instanceof CellSyntaxError)) throw error;
    }
  }
  parsed ??= await parse(body, filename);

  let rewritten;
  try {
    rewritten = rewriteProgram(parsed.program, parsed.js, { importName, loopCheck, resumeCheck, traceCalls, isUserName: parsed.isUserName, awaitIsName: parsed.awaitIsName });
  } catch (error) {
    if (error instanceof RewriteError) throw syntaxErrorAt(error, parsed, shift);
    throw error;
  }
  const { script, declared, hasResult, map: edits } = rewritten;
  return {
    magics: Object.freeze(magics),
    script,
    declared: Object.freeze(declared),
    hasResult,
    map: positionMapper(script, edits, parsed, shift, source),
    ownSyntaxError: (error) => ownSyntaxError(error, parsed, shift),
  };
}

async function parse(body: string, filename: string): Promise<Parsed> {
  // Fast path: a cell that is already JavaScript skips esbuild (an IPC round trip, ~0.6 ms).
  if (!needsEsbuild(body)) {
    let program: Program | undefined;
    try {
      program = parseProgram(body);
    } catch (error) {
      if (!(error instanceof RewriteError)) throw error;
    }
    // A script may declare `await` as a name (`var await = 1; await + 1`): it means what it means in Node's
    // script then, where `await` is no operator, and runs in a plain function.
    const script = body.includes("await") ? awaitAsName(body) : undefined;
    if (script) return { js: body, program: script, lookup: undefined, isUserName: () => true, awaitIsName: true };
    if (program) return { js: body, program, lookup: undefined, isUserName: () => true };
    // Not JavaScript: esbuild decides whether it is TypeScript or an error, and words the error.
  }
  let transpiled;
  try {
    transpiled = await transpile(body, filename);
  } catch (error) {
    if (error instanceof TranspileError) throw new CellSyntaxError(error.message, error.line, error.column);
    throw error;
  }
  const parsed: Parsed = {
    js: transpiled.code,
    program: undefined as unknown as Program,
    lookup: new SourceMapLookup(transpiled.mappings),
    isUserName: (name) => identifierIn(body, name),
  };
  try {
    parsed.program = parseProgram(transpiled.code);
  } catch (error) {
    if (error instanceof RewriteError) throw syntaxErrorAt(error, parsed, undefined);
    throw error;
  }
  return parsed;
}

/** The body read as a plain script, when it parses so and declares `await` at its top level. */
function awaitAsName(body: string): Program | undefined {
  let program: Program;
  try {
    program = parseProgram(body, false);
  } catch {
    return undefined;
  }
  const declares = program.body.some((statement) => {
    if (statement.type === "VariableDeclaration") return statement.declarations.some((d) => bindingNames(d.id).includes("await"));
    if (statement.type === "FunctionDeclaration" || statement.type === "ClassDeclaration") return statement.id?.name === "await";
    return false;
  });
  return declares ? program : undefined;
}

function ownSyntaxError(error: SyntaxError, parsed: Parsed, shift: Shift | undefined): CellSyntaxError | undefined {
  // The user's JavaScript as a script and as the body of an async function (for top-level await): rejected
  // both ways, with the very message the generated script got, it is the user's.
  let first: Position | undefined;
  for (const [code, lineOffset] of [[parsed.js, 0], [`(async () => {\n${parsed.js}\n})`, 1]] as const) {
    try {
      new vm.Script(code, { filename: "own-syntax" });
      return undefined;
    } catch (own) {
      if (!(own instanceof SyntaxError) || own.message !== error.message) return undefined;
      const at = scriptSyntaxErrorPosition(own, "own-syntax");
      first ??= at && { line: at.line - lineOffset, column: at.column };
    }
  }
  const position = (first && toCell(first, parsed, shift)) ?? { line: 1, column: 0 };
  return new CellSyntaxError(error.message, position.line, position.column);
}

function syntaxErrorAt(error: RewriteError, parsed: Parsed, shift: Shift | undefined): CellSyntaxError {
  const position = toCell(new LineIndex(parsed.js).positionOf(error.offset), parsed, shift) ?? { line: 1, column: 0 };
  return new CellSyntaxError(error.message, position.line, position.column);
}

function toCell(position: Position, parsed: Parsed, shift: Shift | undefined): Position | undefined {
  const original = parsed.lookup ? parsed.lookup.originalFor(position.line, position.column) : position;
  if (!original) return undefined;
  if (shift && original.line === shift.line && original.column > shift.column) return { line: original.line, column: original.column - 1 };
  return original;
}

function positionMapper(script: string, edits: EditMap, parsed: Parsed, shift: Shift | undefined, cell: string) {
  // Built on first use: only failing cells need it.
  let scriptIndex: LineIndex | undefined;
  let jsIndex: LineIndex | undefined;
  let cellLines: number | undefined;
  return (line: number, column: number): Position | undefined => {
    scriptIndex ??= new LineIndex(script);
    jsIndex ??= new LineIndex(parsed.js);
    cellLines ??= new LineIndex(cell).lineCount;
    const offset = scriptIndex.offsetOf(line, column);
    if (offset === undefined) return undefined;
    const source = edits.toSource(offset);
    if (source === undefined) return undefined;
    const position = toCell(jsIndex.positionOf(source), parsed, shift);
    return position && position.line <= cellLines ? position : undefined;
  };
}

/**
 * Whether text that acorn may accept must still go through esbuild: both `<` and `>` may be TypeScript type
 * arguments that JavaScript reads as comparisons (`f<T>(x)` is `(f < T) > x`), and `using` declarations parse
 * in JavaScript but Node 20 cannot run them until esbuild lowers them.
 */
function needsEsbuild(body: string): boolean {
  return (body.includes("<") && /(?<!=)>/.test(body)) || (body.includes("using") && /\busing\b/.test(body));
}

function objectLiteralCandidate(body: string): { text: string; shift: Shift } | undefined {
  const open = /^\s*\{/.exec(body);
  if (!open || /;\s*$/.test(body)) return undefined;
  const at = open[0].length - 1;
  const lineStart = body.lastIndexOf("\n", at) + 1;
  let line = 1;
  for (let i = body.indexOf("\n"); i !== -1 && i < at; i = body.indexOf("\n", i + 1)) line++;
  // The closing parenthesis goes on a line of its own, after any trailing `//` comment.
  return { text: `${body.slice(0, at)}(${body.slice(at)}\n)`, shift: { line, column: at - lineStart } };
}

/** Whether name occurs in text as a whole identifier (esbuild's own helpers and temporaries do not). */
function identifierIn(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
    if (!isIdentifierChar(text.charCodeAt(at - 1)) && !isIdentifierChar(text.charCodeAt(at + name.length))) return true;
  }
  return false;
}

function isIdentifierChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 36 || code === 95 || code > 127;
}
