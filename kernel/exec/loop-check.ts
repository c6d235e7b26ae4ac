// The interrupt check the kernel puts at the top of every loop and function body of user code (see watchdog.ts for why).
//
// Cells get it from the cell compiler; relative ES modules a cell imports get it from the loader hooks
// (ts.hooks.ts), CommonJS ones from checkUserCommonJs below, so `import { spin } from "./spin.ts"; await x;
// spin()` can be interrupted too. Packages under node_modules are left as they are: the check is for the code
// a learner writes. Measured on Node 26 with the in-thread hooks (module-hooks.ts), which cost nothing of their
// own: checking packages too made importing acorn, markdown-it, highlight.js, ajv and p-queue (226 files, 2.2 MB)
// take +217 ms (~100 ms per MB of source) and left the idle process +51 MB RSS. Not affordable per import.
import { Parser, type Node } from "acorn";
import Module from "node:module";
import { pathToFileURL } from "node:url";
import * as walk from "acorn-walk";
import { applyEdits, type Edit } from "../compile/edits.ts";
import { functionCheckEdits, loopCheckEdits } from "../compile/rewrite.ts";
import { tracedCallEdits } from "../compile/trace-calls.ts";
import { COUNTDOWN, INTERRUPT } from "./interrupt-state.ts";

export const INTERRUPT_FLAG = "__looplab_interrupt";
export const INTERRUPT_THROW = "__looplab_interrupted";

/**
 * What every loop body starts with: one shared-memory read and one decrement (~1 ns) until an interrupt is
 * pending or the countdown runs out. At zero the runner looks at the clock and at the control socket, where an
 * interrupt_request may be waiting that the busy event loop cannot read, and sets the next countdown so that
 * this happens about every few milliseconds of looping (see Runner).
 */
export const LOOP_CHECK = `(${INTERRUPT_FLAG}[${INTERRUPT}] !== 0 || --${INTERRUPT_FLAG}[${COUNTDOWN}] < 0) && ${INTERRUPT_THROW}()`;

/**
 * The global every `await` in cell code hands its result through: a native await cannot be cancelled, so code
 * of an interrupted cell that resumes after one (a fetch, a plain promise) is stopped right there instead.
 */
export const RESUME_CHECK = "__looplab_resumed";

/** The global that async functions of user code run their bodies through (installed by traced-calls.ts). */
export const TRACED_CALL = "__looplab_call";

/** The compile options that make a cell interruptible (compileCell's loopCheck and resumeCheck). */
export const INTERRUPT_CHECKS = { loopCheck: LOOP_CHECK, resumeCheck: RESUME_CHECK } as const;

/** Everything the kernel puts into a cell: the interrupt checks, and traced async calls for timelines. */
export const CELL_INSERTIONS = { ...INTERRUPT_CHECKS, traceCalls: TRACED_CALL } as const;

/** Does the code at `url` belong to the user (not a package, not Node's)? */
export function isUserModule(url: string): boolean {
  return url.startsWith("file:") && !url.includes("/node_modules/");
}

/**
 * `source` (JavaScript, module or script) with LOOP_CHECK first in every loop and function body, on its own line so
 * line numbers stay right, and its async functions traced (as in cells: one timeline lane per call). Code that
 * does not parse is returned unchanged: Node then reports its syntax error.
 */
export function withLoopChecks(source: string, sourceType: "module" | "script"): string {
  let program;
  try {
    program = Parser.parse(source, { ecmaVersion: "latest", sourceType, allowHashBang: true, allowReturnOutsideFunction: sourceType === "script" });
  } catch {
    return source;
  }
  const edits: Edit[] = [];
  const check = (node: { body: Node }) => edits.push(...loopCheckEdits(node.body, LOOP_CHECK));
  walk.simple(program, {
    ForStatement: check,
    ForInStatement: check,
    ForOfStatement: check,
    WhileStatement: check,
    DoWhileStatement: check,
    Function: (node) => edits.push(...functionCheckEdits(node, LOOP_CHECK, source)),
  });
  edits.push(...tracedCallEdits(program, source, TRACED_CALL));
  return edits.length === 0 ? source : applyEdits(source, edits).code;
}

let commonJsChecked = false;

/**
 * Gives the user's own CommonJS files (a `.cjs`, or a `.js` without "type": "module") the loop checks: Node
 * loads them through its require machinery, which the ES loader hooks never see. Installed once, in the kernel.
 */
export function checkUserCommonJs(): void {
  if (commonJsChecked) return;
  commonJsChecked = true;
  const proto = Module.prototype as unknown as { _compile(content: string, filename: string): unknown };
  const compile = proto._compile;
  proto._compile = function (this: unknown, content: string, filename: string) {
    const user = typeof content === "string" && isUserModule(pathToFileURL(filename).href);
    return compile.call(this, user ? withLoopChecks(content, "script") : content, filename);
  };
}
