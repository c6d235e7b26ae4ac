// Syntax errors point at the cell's own line and column, whichever stage (esbuild, acorn, rewrite) found them.
import { describe, expect, it } from "vitest";
import { CellSyntaxError, compileCell } from "../../kernel/compile/index.ts";

async function syntaxErrorOf(source: string): Promise<CellSyntaxError> {
  try {
    await compileCell(source, { filename: "bad-cell" });
  } catch (error) {
    if (error instanceof CellSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected a syntax error for ${JSON.stringify(source)}`);
}

describe("syntax errors", () => {
  it("points at the line and column of a JavaScript error", async () => {
    const error = await syntaxErrorOf("let a = 1\nlet b = ;");
    expect(error).toMatchObject({ name: "SyntaxError", line: 2, column: 8 });
    expect(error.message).toMatch(/;/);
  });

  it("points at the line and column of an error in TypeScript code", async () => {
    const error = await syntaxErrorOf("interface I {\n  a: number\n}\nconst y: number = 1 +* 2");
    expect(error).toMatchObject({ line: 4, column: 21 });
  });

  it("counts columns in characters, not bytes", async () => {
    const error = await syntaxErrorOf("const naïve: string = 'ü';\nlet r = naïve +* 1");
    expect(error).toMatchObject({ line: 2, column: 15 });
  });

  it("rejects `return` at the top level, like a module", async () => {
    expect(await syntaxErrorOf("const x = 1\nreturn x")).toMatchObject({ line: 2, column: 0 });
    const typed = await syntaxErrorOf("const t: number = await Promise.resolve(1);\n\nreturn t");
    expect(typed).toMatchObject({ line: 3, column: 0 });
    expect(typed.message).toMatch(/return/i);
  });

  it("finds errors the rewrite detects in esbuild's output at the cell's position", async () => {
    // acorn (not esbuild) rejects this top-level return; the position comes back through esbuild's map.
    const error = await syntaxErrorOf("interface Row {\n  id: number\n}\nconst r: Row = { id: 1 };\n  return r;");
    expect(error).toMatchObject({ line: 5, column: 2 });
  });

  it("rejects import declarations that are not at the top level", async () => {
    const error = await syntaxErrorOf("if (true) {\n  import x from 'y'\n}");
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/top level/);
  });

  it("rejects await in a function that is not async", async () => {
    expect(await syntaxErrorOf("function f() {\n  await 1\n}")).toMatchObject({ line: 2 });
  });

  it("keeps line numbers when magics precede the code", async () => {
    const error = await syntaxErrorOf("%%time\n\ninterface A { x: number }\nconst q: A = {x: 1}\nq.x +* 1");
    expect(error).toMatchObject({ line: 5, column: 5 });
  });

  it("reports an unfinished cell at its end", async () => {
    expect(await syntaxErrorOf("const z = (\n  1,\n")).toMatchObject({ line: 3 });
  });
});
