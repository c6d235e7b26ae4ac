// compileCell's resumeCheck: every await hands its result through the check, inside any other wrapper text.
import { describe, expect, it } from "vitest";
import { compileCell } from "../../kernel/compile/index.ts";

const compile = (source: string) => compileCell(source, { filename: "cell-1-1.ts", loopCheck: "LOOP()", resumeCheck: "R" });

describe("resumeCheck", () => {
  it("wraps each await, nested ones too, and leaves code without awaits alone", async () => {
    const { script } = await compile("const a = await f();\nconst b = await (await g());\nconst c = h();");
    expect(script).toContain("a = R(await f())");
    expect(script).toContain("b = R(await (R(await g())))");
    expect(script).toContain("c = h()");
  });

  it("sits inside the result's return and a loop check's braces at the same offset", async () => {
    const last = await compile("await f()");
    expect(last.script).toContain("return { value: (0, R(await f())) }");
    expect(last.hasResult).toBe(true);
    const loop = await compile("for (;;) await tick()\n1");
    expect(loop.script).toContain("{ LOOP(); R(await tick()) }");
  });

  it("keeps lines and columns of errors after the wrapped await", async () => {
    const { map, script } = await compile("await f();\n  boom();");
    const at = script.indexOf("boom");
    const line = script.slice(0, at).split("\n").length;
    const column = at - script.lastIndexOf("\n", at - 1) - 1;
    expect(map(line, column)).toEqual({ line: 2, column: 2 });
  });

  it("is off unless asked for", async () => {
    const { script } = await compileCell("await f()", { filename: "cell-2-1.ts" });
    expect(script).not.toContain("R(");
  });
});
