// What the compiler inserts (interrupt checks, await checks, the rewrite's assignments) never changes syntax or meaning.
import vm from "node:vm";
import { Parser } from "acorn";
import { afterAll, describe, expect, it } from "vitest";
import { compileCell } from "../../kernel/compile/index.ts";
import { withLoopChecks } from "../../kernel/exec/loop-check.ts";
import { resetGlobals } from "./run-cell.ts";

afterAll(resetGlobals);

// Checks that count instead of throwing: the cells run to their end, and the counts prove the checks ran.
const counts = { loop: 0, resumed: 0 };
Object.assign(globalThis, {
  __insertionsLoop: () => counts.loop++,
  __insertionsResumed: <T>(value: T) => (counts.resumed++, value),
});
const checks = { loopCheck: "__insertionsLoop()", resumeCheck: "__insertionsResumed" };

async function run(source: string): Promise<unknown> {
  const cell = await compileCell(source, { filename: "insertions", ...checks });
  const result = (await new vm.Script(cell.script, { filename: "insertions" }).runInThisContext()) as { value: unknown } | undefined;
  return result?.value;
}

describe("insertions respect ASI and expression-bodied arrows", () => {
  it("runs the issue's cell: an arrow with an expression body, no semicolon, then a call", async () => {
    counts.loop = 0;
    expect(await run("const insA = () => 1\ninsA()")).toBe(1);
    expect(counts.loop).toBe(1);
  });

  it("runs an arrow returning a promise, declared without a semicolon before another declaration", async () => {
    expect(await run("const insSlow = () => Promise.resolve('late')\nlet insY = 2\nawait insSlow() + insY")).toBe("late2");
  });

  it("keeps destructuring declarations, several declarators and async arrows intact", async () => {
    expect(await run("var { insB } = { insB: 3 }, insF = async () => await insB\nawait insF()")).toBe(3);
    expect(await run("let [insC] = [4], insG = () => insC\ninsG()")).toBe(4);
    expect(await run("export default () => 5\n6")).toBe(6);
  });

  it("puts checks after a directive that has no semicolon", async () => {
    expect(await run('"use strict"\nfunction insStrict() { "use strict"\n return this }\ninsStrict()')).toBeUndefined();
    const module = withLoopChecks('"use strict"\nfunction f() { "use asm"\n return 1 }\nexport default f()', "module");
    expect(module).toContain('"use asm"; (__looplab_interrupt');
    expect(() => Parser.parse(module, { ecmaVersion: "latest", sourceType: "module" })).not.toThrow();
  });

  it("runs a cell that starts with a hashbang line", async () => {
    expect(await run("#!/usr/bin/env node\n7")).toBe(7);
  });

  it("nests a loop check around a declaration that is a loop's whole body, and awaits inside both", async () => {
    expect(await run("for (var insI = 0; insI < 2; insI++) var { insD } = { insD: insI }\ninsD")).toBe(1);
    expect(await run("let insN = 0\nwhile (insN < 3) insN = await Promise.resolve(insN + 1)\ninsN")).toBe(3);
  });

  it("leaves an anonymous function or class that is the cell's result anonymous", async () => {
    expect(((await run("(function () {})")) as () => void).name).toBe("");
    expect(((await run("(class {})")) as () => void).name).toBe("");
  });

  it("keeps parentheses of `export default (...)` and an HTML-like comment that opens the cell", async () => {
    expect(await run("export default (1 + 2);\n8")).toBe(8);
    expect(await run("--> a comment, where a line starts with it\n9")).toBe(9);
  });

  it("runs a script that uses `await` as a name, as Node does", async () => {
    expect(await run("var await = 10; await + 1")).toBe(11);
  });
});
