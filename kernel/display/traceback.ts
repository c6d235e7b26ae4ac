// Errors as the user reads them: ename/evalue plus an IPython-like ANSI traceback mapped to cells.
//
// A V8 stack lists the most recent call first, in generated code, mixed with the kernel's own frames. We
// show what IPython shows: the calls in order (most recent last), each frame that ran cell code as
// `Cell In[3], line 2` with the source around it and an arrow on the line, frames of the user's own files as
// `File path:line`, and nothing of the kernel, the looplab runtime or Node's internals.
import { readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";

/** What the kernel knows about one compiled cell, found by the filename its script was compiled under. */
export interface CellInfo {
  executionCount: number;
  source: string;
  /**
   * Maps a position in the cell's compiled script to the cell's source. In and out: 1-based line, 0-based
   * column (stack traces print 1-based columns; we subtract one before asking). Undefined when the generated
   * code has no source position (wrapper code).
   */
  map(line: number, column: number): { line: number; column: number } | undefined;
}

/** The cell registered under a script filename, or undefined for any other file. */
export type CellLookup = (filename: string) => CellInfo | undefined;

export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface FormatOptions {
  /**
   * The cell being compiled, for errors that carry a position but no filename: compile's CellSyntaxError
   * (`line` 1-based, `column` 0-based in the cell's text) is thrown before the cell is registered.
   */
  cell?: Pick<CellInfo, "executionCount" | "source">;
  /** Show every frame, the kernel's and Node's too (also with env LOOPLAB_TRACEBACK=full). */
  showInternal?: boolean;
}

// IPython's colours (its Linux scheme): red names, green locations and line numbers, cyan function names.
const RED = "\u001b[0;31m";
const GREEN = "\u001b[0;32m";
const CYAN = "\u001b[0;36m";
const BLUE = "\u001b[0;34m";
const BOLD_RED = "\u001b[1;31m";
const RESET = "\u001b[0m";

const SEPARATOR = `${RED}${"-".repeat(75)}${RESET}`;
/** Lines of source shown before and after the failing line. */
const CONTEXT_BEFORE = 2;
const CONTEXT_AFTER = 1;
/** Sub-errors of an AggregateError / TaskGroup error listed before "… and N more". */
const MAX_SUB_ERRORS = 10;
const MAX_NESTING = 3;

/** The package root (two levels above both kernel/display/traceback.ts and kernel/dist/cli.js). */
const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const INTERNAL_ROOTS = [`${PACKAGE_ROOT}kernel/`, `${PACKAGE_ROOT}runtime/`];

/** One parsed `    at name (file:line:column)` line. */
interface Frame {
  name: string | undefined;
  file: string;
  line: number;
  column: number;
}

const FRAME_LINE = /^\s*at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?$/;

function parseFrames(stack: string): Frame[] {
  const frames: Frame[] = [];
  for (const text of stack.split("\n")) {
    if (!/^\s+at /.test(text)) continue;
    const match = FRAME_LINE.exec(text);
    if (!match) continue; // `at new Promise (<anonymous>)`, `at Array.map (<anonymous>)`: built-ins, no place to show
    frames.push({ name: match[1], file: match[2]!, line: Number(match[3]), column: Number(match[4]) });
  }
  return frames;
}

/** file:// URLs (ES modules) read as paths. */
function displayPath(file: string): string {
  if (!file.startsWith("file://")) return file;
  try {
    return fileURLToPath(file);
  } catch {
    return file;
  }
}

function isInternal(file: string): boolean {
  if (file.startsWith("node:") || file.startsWith("eval at ") || file === "<anonymous>" || file === "native") return true;
  const path = displayPath(file);
  return INTERNAL_ROOTS.some((root) => path.startsWith(root));
}

/** `async f` -> `f`; anonymous wrappers and V8's placeholders -> undefined. */
function functionName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const bare = name.replace(/^async /, "").replace(/^(Object|Module)\./, "");
  if (bare === "<anonymous>" || bare === "eval" || bare === "Object.<anonymous>" || bare === "") return undefined;
  // V8 names an arrow given to setTimeout/setImmediate after Node's timer object: not a name the user wrote.
  if (/^(Timeout|Immediate)\.(_onTimeout|_onImmediate|<anonymous>)$/.test(bare)) return undefined;
  return bare;
}

function inFunction(name: string | undefined): string {
  const fn = functionName(name);
  return fn ? `, in ${CYAN}${fn}${BLUE}()${RESET}` : "";
}

/** The numbered source lines around `line`, IPython style: `----> 2 code` on the failing line. */
function sourceContext(source: string, line: number): string[] {
  const lines = source.split("\n");
  if (line < 1 || line > lines.length) return [];
  let first = Math.max(1, line - CONTEXT_BEFORE);
  let last = Math.min(lines.length, line + CONTEXT_AFTER);
  while (first < line && lines[first - 1]!.trim() === "") first++;
  while (last > line && lines[last - 1]!.trim() === "") last--;
  const width = Math.max(7, String(last).length + 3);
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const text = lines[n - 1]!.replace(/\r$/, "");
    const number = String(n);
    const gutter = n === line ? `${"-".repeat(width - number.length - 2)}> ${number}` : number.padStart(width);
    out.push(`${GREEN}${gutter}${RESET} ${text}`);
  }
  return out;
}

/** Largest user file whose lines a traceback shows. */
const MAX_SOURCE_BYTES = 2_000_000;

/**
 * A user file's text for its source lines, read once per traceback. Undefined when it is not a readable
 * ordinary file (virtual names, deleted files): the frame is then shown by its place alone.
 */
function readSource(path: string, cache: Map<string, string | undefined>): string | undefined {
  if (cache.has(path)) return cache.get(path);
  let text: string | undefined;
  try {
    if (path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path)) {
      const stats = statSync(path);
      if (stats.isFile() && stats.size <= MAX_SOURCE_BYTES) text = readFileSync(path, "utf8");
    }
  } catch {
    text = undefined;
  }
  cache.set(path, text);
  return text;
}

/** The cell position of a frame, when its file is a cell. */
function cellPlace(frame: Frame, lookup: CellLookup): { cell: CellInfo; line: number | undefined } | undefined {
  const cell = safeLookup(lookup, frame.file);
  if (!cell) return undefined;
  let mapped: { line: number; column: number } | undefined;
  try {
    mapped = cell.map(frame.line, frame.column - 1);
  } catch {
    mapped = undefined;
  }
  return { cell, line: mapped?.line };
}

function safeLookup(lookup: CellLookup, file: string): CellInfo | undefined {
  try {
    return lookup(file);
  } catch {
    return undefined;
  }
}

function cellLabel(executionCount: number, line: number | undefined): string {
  return `Cell ${GREEN}In[${executionCount}]${line === undefined ? "" : `, line ${line}`}${RESET}`;
}

/** One traceback entry per frame worth showing, oldest call first. */
function frameBlocks(stack: string, lookup: CellLookup, showInternal: boolean): string[] {
  const frames = parseFrames(stack).reverse();
  const sources = new Map<string, string | undefined>();
  const blocks: string[] = [];
  let previous = "";
  let repeats = 0;
  const flushRepeats = () => {
    if (repeats > 0) blocks.push(`    [... skipping ${repeats} similar frame${repeats === 1 ? "" : "s"}]\n`);
    repeats = 0;
  };
  // Frames in a cell's wrapper code (no source position) say nothing the user wrote; one is kept only when
  // nothing else would name the cell.
  let unplaced: string | undefined;
  for (const frame of frames) {
    const place = cellPlace(frame, lookup);
    if (!place && !showInternal && isInternal(frame.file)) continue;
    if (place && place.line === undefined && !showInternal) {
      unplaced ??= `${cellLabel(place.cell.executionCount, undefined)}\n`;
      continue;
    }
    // Deep recursion repeats one frame many times; show it once and count the rest, as IPython does.
    const key = `${frame.file}:${frame.line}:${frame.name ?? ""}`;
    if (key === previous) {
      repeats++;
      continue;
    }
    flushRepeats();
    previous = key;
    if (place) {
      const lines = [`${cellLabel(place.cell.executionCount, place.line)}${inFunction(frame.name)}`];
      if (place.line !== undefined) lines.push(...sourceContext(place.cell.source, place.line));
      blocks.push(`${lines.join("\n")}\n`);
    } else {
      const path = displayPath(frame.file);
      const lines = [`File ${GREEN}${path}:${frame.line}${RESET}${inFunction(frame.name)}`];
      // The user's own modules get their source lines like cells; libraries in node_modules only their place.
      if (!path.includes("/node_modules/")) {
        const source = readSource(path, sources);
        if (source !== undefined) lines.push(...sourceContext(source, frame.line));
      }
      blocks.push(`${lines.join("\n")}\n`);
    }
  }
  flushRepeats();
  if (blocks.length === 0 && unplaced) blocks.push(unplaced);
  return blocks;
}

/** A short `Cell In[3], line 4, in f` for the most recent cell frame of an error, without colours. */
function briefPlace(error: unknown, lookup: CellLookup): string | undefined {
  const stack = stackOf(error);
  if (!stack) return undefined;
  for (const frame of parseFrames(stack)) {
    const place = cellPlace(frame, lookup);
    if (!place) continue;
    const fn = functionName(frame.name);
    return `Cell In[${place.cell.executionCount}]${place.line === undefined ? "" : `, line ${place.line}`}${fn ? `, in ${fn}` : ""}`;
  }
  return undefined;
}

function stackOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  try {
    const stack = (error as { stack?: unknown }).stack;
    return typeof stack === "string" ? stack : undefined;
  } catch {
    return undefined;
  }
}

function readProperty(value: object, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** A one-line inspection for values thrown that are not errors. */
function inspectThrown(value: unknown): string {
  try {
    return inspect(value, { colors: false, depth: 2, breakLength: Infinity, maxStringLength: 2000, maxArrayLength: 20 });
  } catch {
    return String(Object.prototype.toString.call(value));
  }
}

/**
 * ename/evalue for anything thrown. An Error's name (its class name when it kept the inherited "Error", so a
 * `class RetryError extends Error {}` reads as RetryError) and message; for other values "Error" and the
 * value as inspect shows it.
 */
export function errorNames(error: unknown): { ename: string; evalue: string; isError: boolean } {
  if (typeof error === "object" && error !== null) {
    const name = readProperty(error, "name");
    const message = readProperty(error, "message");
    if (typeof name === "string" || typeof message === "string" || error instanceof Error) {
      let ename = typeof name === "string" && name.length > 0 ? name : "Error";
      if (ename === "Error") {
        const ctor = readProperty(error, "constructor");
        const ctorName = typeof ctor === "function" ? ctor.name : undefined;
        if (ctorName && ctorName !== "Error" && ctorName !== "Object" && error instanceof Error) ename = ctorName;
      }
      const evalue = typeof message === "string" ? message : message === undefined ? "" : inspectThrown(message);
      return { ename, evalue, isError: true };
    }
  }
  return { ename: "Error", evalue: inspectThrown(error), isError: false };
}

/** `TypeError: message` in IPython's colours. */
function finalLine(ename: string, evalue: string): string {
  return evalue === "" ? `${RED}${ename}${RESET}` : `${RED}${ename}${RESET}: ${evalue}`;
}

/** Sub-errors (AggregateError, the runtime's TaskGroup error) and causes, one compact line each. */
function relatedErrors(error: unknown, lookup: CellLookup, depth: number): string[] {
  if (typeof error !== "object" || error === null || depth > MAX_NESTING) return [];
  const indent = "  ".repeat(depth);
  const out: string[] = [];
  const errors = readProperty(error, "errors");
  if (Array.isArray(errors) && errors.length > 0) {
    const shown = errors.slice(0, MAX_SUB_ERRORS);
    shown.forEach((sub, i) => {
      const last = i === shown.length - 1 && errors.length <= MAX_SUB_ERRORS;
      const { ename, evalue } = errorNames(sub);
      const where = briefPlace(sub, lookup);
      out.push(`${indent}${last ? "└─" : "├─"} [${i + 1}] ${finalLine(ename, evalue)}${where ? ` (${where})` : ""}`);
      out.push(...relatedErrors(sub, lookup, depth + 1));
    });
    if (errors.length > MAX_SUB_ERRORS) out.push(`${indent}└─ … and ${errors.length - MAX_SUB_ERRORS} more`);
  }
  const cause = readProperty(error, "cause");
  if (cause !== undefined && cause !== error) {
    const { ename, evalue } = errorNames(cause);
    const where = briefPlace(cause, lookup);
    out.push(`${indent}Caused by: ${finalLine(ename, evalue)}${where ? ` (${where})` : ""}`);
    out.push(...relatedErrors(cause, lookup, depth + 1));
  }
  return out;
}

/** `Cell In[3], line 2` + the line + a caret under the column, for errors that carry a cell position. */
function syntaxBlock(error: object, lookup: CellLookup, options: FormatOptions): string | undefined {
  const line = readProperty(error, "line");
  const column = readProperty(error, "column");
  if (typeof line !== "number" || typeof column !== "number") return undefined;
  const filename = readProperty(error, "filename");
  const cell = (typeof filename === "string" ? safeLookup(lookup, filename) : undefined) ?? options.cell;
  const source = cell?.source;
  const text = source?.split("\n")[line - 1]?.replace(/\r$/, "");
  const label = cell ? cellLabel(cell.executionCount, line) : `${GREEN}line ${line}, column ${column + 1}${RESET}`;
  if (text === undefined) return `  ${label}\n`;
  // Keep tabs in the padding so the caret lines up under a tab-indented line.
  const pad = text.slice(0, Math.max(0, column)).replace(/[^\t]/g, " ");
  return `  ${label}\n    ${text}\n    ${pad}${BOLD_RED}^${RESET}\n`;
}

function useFullTraceback(options: FormatOptions): boolean {
  return options.showInternal === true || process.env.LOOPLAB_TRACEBACK === "full";
}

/** The body shared by error messages and stderr reports: frames (or the syntax position), then the error. */
function body(error: unknown, lookup: CellLookup, options: FormatOptions): { ename: string; evalue: string; parts: string[] } {
  const { ename, evalue, isError } = errorNames(error);
  const parts: string[] = [];
  // compile's CellSyntaxError is named "SyntaxError"; other errors with line/column fields are not positions in a cell.
  const syntax = isError && ename.endsWith("SyntaxError") ? syntaxBlock(error as object, lookup, options) : undefined;
  if (syntax) parts.push(syntax);
  else {
    const stack = stackOf(error);
    if (stack) parts.push(...frameBlocks(stack, lookup, useFullTraceback(options)));
  }
  const last = [finalLine(ename, evalue)];
  if (!isError) last[0] += ` ${BLUE}(a thrown ${error === null ? "null" : typeof error}, not an Error: no stack trace)${RESET}`;
  last.push(...relatedErrors(error, lookup, 1));
  parts.push(last.join("\n"));
  return { ename, evalue, parts };
}

/**
 * The content of an `error` message (and of an execute_reply with status "error") for anything a cell threw.
 * Never throws, whatever was thrown.
 */
export function formatError(error: unknown, lookup: CellLookup, options: FormatOptions = {}): ErrorContent {
  const { ename, evalue, parts } = body(error, lookup, options);
  const header = `${SEPARATOR}\n${RED}${ename}${RESET}${" ".repeat(Math.max(1, 42 - ename.length))}Traceback (most recent call last)`;
  return { ename, evalue, traceback: [header, ...parts] };
}

/** What `formatKernelFault` needs to know of the kernel's own failure (exec/kernel-fault.ts's KernelFault). */
export interface KernelFaultInfo {
  message: string;
  cause: unknown;
  cell?: { executionCount: number; source: string; position: { line: number; column: number } | undefined };
}

/** Frames of the kernel's own stack shown in a fault report: enough to find the bug, not a page of them. */
const MAX_FAULT_FRAMES = 12;

/**
 * The error content for a failure of the kernel itself: ename KernelError, where in the cell it happened when
 * it knows, that this is LoopLab's bug and not the user's, how to report it, and the kernel's own frames (the
 * ones a user's traceback leaves out, because here they are the point).
 */
export function formatKernelFault(fault: KernelFaultInfo): ErrorContent {
  const ename = "KernelError";
  const header = `${SEPARATOR}\n${RED}${ename}${RESET}${" ".repeat(42 - ename.length)}Traceback (inside the kernel)`;
  const parts: string[] = [];
  const cell = fault.cell;
  if (cell?.position) {
    parts.push(syntaxBlock({ line: cell.position.line, column: cell.position.column }, () => undefined, { cell }) ?? "");
  } else if (cell) parts.push(`  ${cellLabel(cell.executionCount, undefined)}\n`);
  parts.push(finalLine(ename, fault.message));
  parts.push(
    `${BLUE}This is a bug in LoopLab, not in your code. The kernel is still running and your variables are intact.\n` +
      `Please report it on LoopLab's issue tracker with the code you ran and this whole message.${RESET}`,
  );
  const stack = stackOf(fault.cause);
  const frames = stack ? stack.split("\n").filter((line) => /^\s+at /.test(line)).slice(0, MAX_FAULT_FRAMES) : [];
  if (frames.length > 0) parts.push(`The kernel's stack:\n${frames.map((f) => `  ${f.trim()}`).join("\n")}`);
  return { ename, evalue: fault.message, traceback: [header, ...parts.filter((p) => p !== "")] };
}

/**
 * The stderr text for an error nobody awaited (unhandled rejection, uncaught exception, failed task): a red
 * first line saying where it came from (the caller's words, e.g. "Unhandled rejection in a task started by
 * Cell In[3]"), then the cell-mapped frames and the error. Ends with a newline.
 */
export function formatStderrReport(origin: string, error: unknown, lookup: CellLookup, options: FormatOptions = {}): string {
  const { parts } = body(error, lookup, options);
  return `${BOLD_RED}${origin}:${RESET}\n${parts.join("\n")}\n`;
}
