// The notebook scope: declarations persist across cells, re-running declarations works, results are captured.
import vm from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import { compileCell } from "../../kernel/compile/index.ts";
import { evaluate, globalValue, resetGlobals, runCell, setGlobal, valueOf } from "./run-cell.ts";

afterAll(resetGlobals);

describe("declarations persist across cells", () => {
  it("re-declares const, let and class when a cell runs again", async () => {
    await runCell("const scX = 1;\nlet scY = 2;\nclass ScBox { v = 1 }");
    await runCell("const scX = 10;\nlet scY = 20;\nclass ScBox { v = 2 }");
    expect(await valueOf("[scX, scY, new ScBox().v]")).toEqual([10, 20, 2]);
    expect(globalValue("scX")).toBe(10);
  });

  it("hoists every declared name as a script-level var on the first line", async () => {
    const cell = await compileCell("const scA = 1, scB = 2;\nfunction scF() {}\nclass ScK {}\nvar scV;", { filename: "c" });
    expect(cell.declared).toEqual(["scA", "scB", "scF", "ScK", "scV"]);
    expect(cell.script.split("\n")[0]).toMatch(/^var scA, scB, scF, ScK, scV;/);
  });

  it("declares destructured names, nested, with defaults and rest", async () => {
    const { cell } = await runCell("const { scP, scQ: [scR, , ...scRest], scS = 5, ...scOthers } = { scP: 1, scQ: [2, 3, 4, 6], z: 9 };");
    expect(cell.declared).toEqual(["scP", "scR", "scRest", "scS", "scOthers"]);
    expect(await valueOf("[scP, scR, scRest, scS, scOthers]")).toEqual([1, 2, [4, 6], 5, { z: 9 }]);
  });

  it("does not let a destructuring line continue the line before it", async () => {
    await runCell("setScFlag = 0\nconst [scFirst] = [7]\nlet {scProp} = {scProp: 8}\nfunction setScFlag() {}");
    expect(await valueOf("[scFirst, scProp]")).toEqual([7, 8]);
  });

  it("makes functions callable before their line and in later cells", async () => {
    expect(await valueOf("const scEarly = scLater();\nfunction scLater() { return 'hoisted'; }\nscEarly")).toBe("hoisted");
    expect(await valueOf("scLater()")).toBe("hoisted");
  });

  it("keeps a class on the cell's first line apart from the functions declared below it", async () => {
    await runCell("class ScFirstLine { kind = 'class' }\nfunction scBelow() { return 'function'; }");
    expect(await valueOf("[new ScFirstLine().kind, scBelow()]")).toEqual(["class", "function"]);
  });

  it("lets the later of two same-named functions win, as in a script", async () => {
    expect(await valueOf("function scTwice() { return 1; }\nfunction scTwice() { return 2; }\nscTwice()")).toBe(2);
    expect(await valueOf("scTwice()")).toBe(2);
  });

  it("keeps a cell's \"use strict\" prologue in force", async () => {
    const value = await valueOf("'use strict';\nfunction scStrict() { return this; }\nscStrict() === undefined");
    expect(value).toBe(true);
  });

  it("keeps async and generator functions", async () => {
    await runCell("async function scAsync() { return 1; }\nfunction* scGen() { yield 1; yield 2; }");
    expect(await valueOf("[await scAsync(), [...scGen()]]")).toEqual([1, [1, 2]]);
  });

  it("resets `let x;` but keeps the value of `var x;`", async () => {
    await runCell("let scLet = 1; var scVar = 1;");
    await runCell("let scLet; var scVar;");
    expect(await valueOf("[scLet, scVar]")).toEqual([undefined, 1]);
  });

  it("treats `var` in top-level blocks and loop heads as notebook variables, but not in functions", async () => {
    await runCell(
      [
        "if (true) { var scInIf = 'if'; }",
        "for (var scI = 0; scI < 3; scI++) {}",
        "for (var scKey in { a: 1 }) {}",
        "for (var scItem of [1, 2]) {}",
        "for (let scBlockOnly = 0; scBlockOnly < 1; scBlockOnly++) { var scFromLoop = scBlockOnly; }",
        "function scLocal() { var scHidden = 1; return scHidden; }",
        "try { throw 1 } catch { var scCaught = 'c'; }",
        "switch (1) { case 1: var scCase = 'case'; }",
      ].join("\n"),
    );
    expect(await valueOf("[scInIf, scI, scKey, scItem, scFromLoop, scCaught, scCase]")).toEqual(["if", 3, "a", 2, 0, "c", "case"]);
    expect("scHidden" in globalThis).toBe(false);
    expect("scBlockOnly" in globalThis).toBe(false);
  });

  it("copies functions declared in top-level blocks onto the global, as Node's REPL does", async () => {
    await runCell("if (await Promise.resolve(true)) { function scInBlock() { return 'block'; } }\nfunction scOuter() { function scInner() {} }");
    expect(await valueOf("scInBlock()")).toBe("block");
    expect("scInner" in globalThis).toBe(false);
  });

  it("strips `export` and keeps the declaration", async () => {
    await runCell("export const scExported = 1;\nexport function scExpFn() { return 2; }\nexport class ScExpClass {}\nexport { scExported as scAlias };");
    expect(await valueOf("[scExported, scExpFn(), typeof ScExpClass]")).toEqual([1, 2, "function"]);
    expect("scAlias" in globalThis).toBe(false);
  });

  it("runs `export default` expressions", async () => {
    const { result } = await runCell("setGlobalScDefault(3);\nexport default function () { return 1; }\nfunction setGlobalScDefault(n: number) { (globalThis as any).scDefaultRan = n; }");
    expect(result).toBeUndefined();
    expect(globalValue("scDefaultRan")).toBe(3);
  });
});

describe("Node REPL edge cases", () => {
  it("handles the declaration shapes Node's REPL handles", async () => {
    setGlobal("scAsyncIterable", {
      async *[Symbol.asyncIterator]() {
        yield [{ i: 1 }, [2]];
      },
    });
    const cases: Array<[string, string, unknown]> = [
      ["var { ...scRest } = await {}", "scRest", {}],
      ["let scO = await 1, scP", "[scO, scP]", [1, undefined]],
      ["for await (var [{ i: scI2 }, [scJ2]] of scAsyncIterable) { scI2; }", "[scI2, scJ2]", [1, 2]],
      ["for (var [scA3, scB3] in { xy: 1 }) { await 1 }", "[scA3, scB3]", ["x", "y"]],
      ["var scX4 = await scFoo4(); async function scFoo4() { return Promise.resolve(4); }", "scX4", 4],
      ["await 0; class ScFoo5 { v = 5 }", "new ScFoo5().v", 5],
      ["{ var scP6 = await 6; }", "scP6", 6],
      ["if (await true) { let scHidden7 = 1; }", "typeof scHidden7", "undefined"],
    ];
    for (const [cell, probe, expected] of cases) {
      await runCell(cell);
      expect(await valueOf(probe), cell).toEqual(expected);
    }
  });

  it("returns values that need await inside templates and member chains", async () => {
    expect(await valueOf("`${(await { a: 1 }).a}`")).toBe("1");
    expect(await valueOf("(await Promise.resolve({ y: 2 })).y")).toBe(2);
    expect(await valueOf("await 0; await '\u{1F601}'")).toBe("\u{1F601}");
  });
});

describe("the last expression is the cell's result", () => {
  it("returns the value of a final expression statement", async () => {
    const { cell, result } = await runCell("const scR1 = 20;\nscR1 + 22");
    expect(cell.hasResult).toBe(true);
    expect(result).toEqual({ value: 42 });
  });

  it("has no result when the cell ends with a declaration or statement", async () => {
    for (const source of ["const scNone = 1", "function scNoneFn() {}", "class ScNone {}", "if (true) { 1 }", "for (const x of []) x", "{ 1 }"]) {
      const { cell, result } = await runCell(source);
      expect(cell.hasResult, source).toBe(false);
      expect(result, source).toBeUndefined();
    }
  });

  it("returns undefined as a value, so the kernel can tell it from no result", async () => {
    const { cell, result } = await runCell("undefined");
    expect(cell.hasResult).toBe(true);
    expect(result).toEqual({ value: undefined });
  });

  it("ignores trailing empty statements", async () => {
    expect(await valueOf("1 + 1;;;")).toBe(2);
  });

  it("reads a cell that is an object literal as an object, like Node's REPL", async () => {
    expect(await valueOf("{ a: 1, b: [2] }")).toEqual({ a: 1, b: [2] });
    expect(await valueOf("  {\n  a: 1 as number,\n}\n")).toEqual({ a: 1 });
    // A block stays a block.
    const { result } = await runCell("{ const scInBlock = 1; }");
    expect(result).toBeUndefined();
  });

  it("returns the value when a comment ends the cell's last line", async () => {
    expect(await valueOf("40 + 2 // the answer")).toBe(42);
    expect(await valueOf("{ answer: 42 } // as an object")).toEqual({ answer: 42 });
  });

  it("returns sequence and assignment expressions whole", async () => {
    expect(await valueOf("1, 2, 3")).toBe(3);
    expect(await valueOf("scAssigned = 5")).toBe(5);
  });
});

describe("top-level await", () => {
  it("awaits anywhere a statement or expression can", async () => {
    const value = await valueOf(
      [
        "const scWait = (ms: number, v: number) => new Promise<number>((r) => setTimeout(() => r(v), ms));",
        "const scTotal = (await scWait(1, 1)) + (await Promise.all([scWait(1, 2), scWait(1, 3)])).reduce((a, b) => a + b);",
        "if (scTotal > 0) { await scWait(1, 0); }",
        "scTotal",
      ].join("\n"),
    );
    expect(value).toBe(6);
  });

  it("supports for await at the top level", async () => {
    const value = await valueOf(
      [
        "async function* scTicks() { yield 1; yield 2; yield 3; }",
        "let scSum = 0;",
        "for await (const t of scTicks()) scSum += t;",
        "scSum",
      ].join("\n"),
    );
    expect(value).toBe(6);
  });

  it("runs code before the first await synchronously when the script is evaluated", async () => {
    const cell = await compileCell("setGlobalScPhase('sync');\nawait null;\nsetGlobalScPhase('async');\nfunction setGlobalScPhase(p: string) { (globalThis as any).scPhase = p; }", {
      filename: "c",
    });
    const pending = evaluate(cell);
    expect(globalValue("scPhase")).toBe("sync");
    await pending;
    expect(globalValue("scPhase")).toBe("async");
  });

  it("lets breakOnSigint-style evaluation reach a synchronous loop (no await before it)", async () => {
    const cell = await compileCell("let scSpins = 0;\nwhile (scSpins < 1000) scSpins++;\nawait 0;\nscSpins", { filename: "c" });
    const script = new vm.Script(cell.script, { filename: "c" });
    const pending = script.runInThisContext({ breakOnSigint: true }) as Promise<{ value: unknown }>;
    expect(globalValue("scSpins")).toBe(1000);
    expect(await pending).toEqual({ value: 1000 });
  });

  it("keeps `this` at the top level as the global object", async () => {
    setGlobal("scThisCheck", 1);
    expect(await valueOf("this === globalThis")).toBe(true);
  });
});
