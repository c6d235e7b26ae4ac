// Syntax errors in the cell's terms (the one error compileCell throws), and where V8 puts the ones it finds.
import type { Position } from "./positions.ts";

/** A cell that does not parse. `line` is 1-based and `column` 0-based, both in the cell's own text. */
export class CellSyntaxError extends SyntaxError {
  readonly line: number;
  readonly column: number;

  constructor(message: string, line: number, column: number) {
    super(message);
    // ename in the error reply is the error's name; a cell that does not parse is a SyntaxError to the user.
    this.name = "SyntaxError";
    this.line = line;
    this.column = column;
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
