// Magic lines at the top of a cell: parsed into name/args, blanked from the code without shifting lines.
import { describe, expect, it } from "vitest";
import { CellSyntaxError, compileCell, splitMagics } from "../../kernel/compile/index.ts";
import { argsInPlace } from "../../kernel/compile/magics.ts";

describe("splitMagics", () => {
  it("reads line and cell magics with their arguments and lines", () => {
    const { magics, body } = splitMagics("%%timeline\n%timeit -n 10 -r 3 await sleep(1)\nconst x = 1;");
    expect(magics).toEqual([
      { name: "timeline", args: "", kind: "cell", line: 1, argsColumn: 10 },
      { name: "timeit", args: "-n 10 -r 3 await sleep(1)", kind: "line", line: 2, argsColumn: 8 },
    ]);
    expect(body).toBe("\n\nconst x = 1;");
  });

  it("allows blank lines before and between magics", () => {
    const { magics, body } = splitMagics("\n  \n%time 1 + 1\n\n%%time\ncode()");
    expect(magics.map((m) => [m.name, m.kind, m.line])).toEqual([
      ["time", "line", 3],
      ["time", "cell", 5],
    ]);
    expect(body.split("\n")).toHaveLength(6);
    expect(body.split("\n")[5]).toBe("code()");
  });

  it("gives the column where the arguments start, for errors inside them", () => {
    const [magic] = splitMagics("%time   foo(").magics;
    expect(magic).toMatchObject({ args: "foo(", argsColumn: 8 });
  });

  it("keeps Windows line endings out of the arguments", () => {
    const { magics, body } = splitMagics("%time x\r\ny\r\n");
    expect(magics[0]!.args).toBe("x");
    expect(body).toBe("\ny\r\n");
  });

  it("only takes magics from the top: a % line after code is code", () => {
    const source = "const a = 7\n%time a";
    const { magics, body } = splitMagics(source);
    expect(magics).toEqual([]);
    expect(body).toBe(source);
  });

  it("leaves cells without magics untouched", () => {
    const source = "const pct = 5 % 3;\n`100%`";
    expect(splitMagics(source)).toEqual({ magics: [], body: source });
  });

  it("does not take a bare % or %% as a magic", () => {
    expect(splitMagics("% 2").magics).toEqual([]);
    expect(splitMagics("%%\nx").magics).toEqual([]);
  });
});

describe("magics in compiled cells", () => {
  it("compiles the rest of the cell and reports the magics", async () => {
    const cell = await compileCell("%%time\nconst mgA: number = 1;\nmgA + 1", { filename: "magic-cell" });
    expect(cell.magics).toEqual([{ name: "time", args: "", kind: "cell", line: 1, argsColumn: 6 }]);
    expect(cell.hasResult).toBe(true);
    expect(cell.declared).toEqual(["mgA"]);
  });

  it("compiles a magic-only cell to a script without a result", async () => {
    const cell = await compileCell("%lsmagic", { filename: "magic-only" });
    expect(cell.magics.map((m) => m.name)).toEqual(["lsmagic"]);
    expect(cell.hasResult).toBe(false);
  });

  it("never shifts the line numbers of errors below the magics", async () => {
    const error = await compileCell("%%timeline\n%time 1\nconst ok = 1;\nconst broken = ;", { filename: "magic-error" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CellSyntaxError);
    expect(error).toMatchObject({ line: 4, column: 15 });
  });
});

describe("a line magic's arguments compiled in place", () => {
  it("keeps the line and column the arguments have in the cell", async () => {
    const [, magic] = splitMagics("%lsmagic\n  %time   foo(").magics;
    expect(argsInPlace(magic!)).toBe("\n          foo(");
    const error = await compileCell(argsInPlace(magic!), { filename: "args-in-place" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ line: 2, column: 14 });
  });

  it("skips %timeit's options without moving the statement", () => {
    const [magic] = splitMagics("%timeit -n 5 x()").magics;
    expect(argsInPlace(magic!, "-n 5 ".length)).toBe(" ".repeat("%timeit -n 5 ".length) + "x()");
  });
});
