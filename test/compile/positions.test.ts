// map(): positions in the generated script (what V8 puts in stack traces) lead back to the cell's text.
import vm from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import { compileCell, type CompiledCell } from "../../kernel/compile/index.ts";
import { evaluate, resetGlobals } from "./run-cell.ts";

afterAll(resetGlobals);

/** Runs a cell expecting it to throw; returns the cell position of the innermost frame in `filename`. */
async function thrownAt(cell: CompiledCell, filename: string, run?: () => Promise<unknown>) {
  let stack = "";
  try {
    await (run ? run() : evaluate(cell, filename));
  } catch (error) {
    stack = (error as Error).stack ?? "";
  }
  const frame = new RegExp(`${filename}:(\\d+):(\\d+)`).exec(stack);
  if (!frame) throw new Error(`no frame for ${filename} in:\n${stack}`);
  // Stack traces count columns from 1; map() takes them from 0.
  return cell.map(Number(frame[1]), Number(frame[2]) - 1);
}

describe("map()", () => {
  it("maps a runtime error below a multi-line interface to its cell line", async () => {
    const source = [
      "interface Big {",
      "  a: number",
      "  b: string",
      "}",
      "const posV: Big = { a: 1, b: 'x' }",
      "throw new Error('boom')",
    ].join("\n");
    const cell = await compileCell(source, { filename: "pos-interface" });
    expect(await thrownAt(cell, "pos-interface")).toEqual({ line: 6, column: 6 });
  });

  it("maps the first line of a plain JavaScript cell despite the generated prefix", async () => {
    const cell = await compileCell("const posK = 1; null.x", { filename: "pos-first-line" });
    expect(await thrownAt(cell, "pos-first-line")).toEqual({ line: 1, column: 21 });
  });

  it("maps lines that esbuild reformatted (several statements on one cell line)", async () => {
    const source = "let posA: number = 1; let posB: string = 'b';\n\n\n// comment\nposA++; posB.toFixed(2)";
    const cell = await compileCell(source, { filename: "pos-reformatted" });
    const at = await thrownAt(cell, "pos-reformatted");
    expect(at?.line).toBe(5);
    expect(at?.column).toBeGreaterThanOrEqual(8);
  });

  it("maps a frame inside a function that a later cell calls", async () => {
    const first = await compileCell("type N = number;\n\nfunction posFail(n: N): never {\n  throw new RangeError(`bad ${n}`);\n}", {
      filename: "pos-define",
    });
    await evaluate(first, "pos-define");
    const second = await compileCell("posFail(3)", { filename: "pos-call" });
    const at = await thrownAt(first, "pos-define", () => evaluate(second, "pos-call"));
    expect(at).toEqual({ line: 4, column: 8 });
  });

  it("maps lines below a magic and inside a `using` cell that esbuild wrapped in try/finally", async () => {
    const source = "%%time\nusing posRes = { [Symbol.dispose]() {} };\nconst posT: number = 1;\nthrow new TypeError('in using');";
    const cell = await compileCell(source, { filename: "pos-using" });
    expect((await thrownAt(cell, "pos-using"))?.line).toBe(4);
  });

  it("maps lines after an object-literal cell's inserted parenthesis", async () => {
    const cell = await compileCell("{ posObj: (() => { throw new Error('x') })() }", { filename: "pos-object" });
    expect(await thrownAt(cell, "pos-object")).toEqual({ line: 1, column: 25 });
  });

  it("answers undefined for positions in code the compiler generated", async () => {
    const cell = await compileCell("const posGen = 1\nposGen", { filename: "pos-gen" });
    const lines = cell.script.split("\n");
    expect(cell.map(lines.length, 0)).toBeUndefined();
    expect(cell.map(lines.length + 5, 0)).toBeUndefined();
  });

  it("works through vm.Script's own syntax checking (the script itself always compiles)", async () => {
    const cell = await compileCell("label: for (const x of [1]) { continue label; }\nconst posOk = 1", { filename: "pos-ok" });
    expect(() => new vm.Script(cell.script)).not.toThrow();
  });
});
