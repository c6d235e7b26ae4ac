// The kernel's own failure while it handled a request: reported as LoopLab's bug, never as the user's error.
import type { Position } from "../compile/index.ts";

/** Where in the user's cell the kernel was when it failed (compiling it, say): shown under the message. */
export interface FaultCell {
  executionCount: number;
  source: string;
  /** 1-based line, 0-based column in the cell's own text. */
  position: Position | undefined;
}

/** An exception in the kernel's code (compile, run, display, introspection, history, comms...), not the user's. */
export class KernelFault extends Error {
  override name = "KernelError";

  constructor(
    /** What the kernel was doing, for "LoopLab failed while …": "compiling Cell In[3]". */
    readonly doing: string,
    override readonly cause: unknown,
    readonly cell?: FaultCell,
  ) {
    super(`LoopLab failed while ${doing}: ${describe(cause)}`, { cause });
  }
}

/** error itself when it is a KernelFault already, else a KernelFault saying what the kernel was doing. */
export function asKernelFault(error: unknown, doing: string): KernelFault {
  return error instanceof KernelFault ? error : new KernelFault(doing, error);
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  try {
    return String(error);
  } catch {
    return typeof error;
  }
}

/**
 * The position V8 gives a SyntaxError of `new vm.Script(code, { filename })`: its stack starts with
 * `filename:line`, the line's text and a caret line. Undefined when the stack does not look like that.
 */
export function scriptSyntaxErrorPosition(error: unknown, filename: string): Position | undefined {
  const stack = error instanceof SyntaxError ? error.stack : undefined;
  if (!stack?.startsWith(`${filename}:`)) return undefined;
  const [first, , caret] = stack.split("\n");
  const line = Number(first!.slice(filename.length + 1));
  if (!Number.isInteger(line) || line < 1) return undefined;
  const column = caret ? caret.indexOf("^") : -1;
  return { line, column: Math.max(0, column) };
}
