// The one error compileCell throws: a syntax error positioned in the cell the user typed, not in generated code.

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
