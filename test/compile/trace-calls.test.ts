// Call instrumentation (compile/trace-calls.ts): which functions become traced calls, under which label, and
// that the code means what it meant (this, arguments, defaults, object-literal bodies, directives, empty bodies).
import { describe, expect, it } from "vitest";
import { compileCell } from "../../kernel/compile/index.ts";
import { evaluate } from "./run-cell.ts";

const CALL = "__test_traced_call";
// [name, args, flags]: 1 = a callback in its function's lane, 2 = a function whose value is kept as is.
const calls: Array<[string | null, unknown[] | null, number]> = [];
(globalThis as Record<string, unknown>)[CALL] = (name: string | null, args: ArrayLike<unknown> | null, fn: () => unknown, flags?: number) => {
  calls.push([name, args === null ? null : [...Array.from(args)], flags ?? 0]);
  return fn();
};

async function run(source: string): Promise<unknown> {
  const cell = await compileCell(source, { filename: "trace-cell", traceCalls: CALL });
  calls.length = 0;
  const result = await evaluate(cell, "trace-cell");
  return result?.value;
}

async function script(source: string): Promise<string> {
  return (await compileCell(source, { filename: "trace-cell", traceCalls: CALL })).script;
}

describe("traced calls in cells", () => {
  it("an async function declaration is traced with its name and arguments", async () => {
    const value = await run(`async function download(name, s) { return name + s }\nawait download("a", 2)`);
    expect(value).toBe("a2");
    expect(calls).toEqual([["download", ["a", 2], 0]]);
  });

  it("an async arrow takes the name of its variable, a method its key", async () => {
    await run(`const page = async (url, n = 1) => url + n\nconst o = { async get(k) { return k } }\nawait page("x"); await o.get(3)`);
    expect(calls).toEqual([
      ["page", ["x", 1], 0],
      ["get", [3], 0],
    ]);
  });

  it("an anonymous async callback runs in the lane of the named wrapper around it", async () => {
    await run(`const run = (f) => f()\nconst job = (name) => run(async () => name)\nawait job("file-1")`);
    expect(calls).toEqual([
      ["job", ["file-1"], 2],
      ["job", ["file-1"], 1],
    ]);
  });

  it("a callback an async function returns or awaits runs in its lane; callbacks mapped side by side do not", async () => {
    await run(`const run = (f) => f()\nasync function polite(i) { return run(async () => i) }\nasync function many() { return Promise.all([1, 2].map(async (x) => x)) }\nawait polite(4); await many()`);
    expect(calls).toEqual([
      ["polite", [4], 0],
      ["polite", [4], 1],
      ["many", [], 0],
      [null, [1], 0],
      [null, [2], 0],
    ]);
  });

  it("a function that hands its callback to createTask is no wrapper: the task is the lane", async () => {
    const out = await script(`function start() { return createTask(async () => 1, { name: "t" }) }`);
    expect(out).toContain(`${CALL}(null, [], async () => (1))`);
    expect(out).not.toContain(`${CALL}("start"`);
  });

  it("other anonymous async functions are labelled by their own parameters", async () => {
    await run(`await Promise.all([1, 2].map(async (i) => i))`);
    expect(calls).toEqual([
      [null, [1], 0],
      [null, [2], 0],
    ]);
  });

  it("keeps this, arguments, new.target-free semantics, object-literal bodies, directives and empty bodies", async () => {
    const value = await run(
      [
        `const obj = { k: 5, async m() { "use strict"; return [this.k, arguments.length] } }`,
        `const lit = async () => ({ a: 1 })`,
        `async function empty() {}`,
        `async function strictOne() { "use strict"\n return typeof this }`,
        `async function keep(x) { var x; return x }`,
        `;[await obj.m(1, 2), await lit(), await empty(), await strictOne(), await keep(7)]`,
      ].join("\n"),
    );
    expect(value).toEqual([[5, 2], { a: 1 }, undefined, "undefined", 7]);
    // keep() redeclares its parameter: left untraced, so its `var x` keeps the argument.
    expect(calls.map((c) => c[0])).toEqual(["m", "lit", "empty", "strictOne"]);
  });

  it("keeps class members what they were: static stays static, a field above does not run on", async () => {
    const value = await run(
      [
        `const k = "dyn"`,
        `class Keep { x = k`,
        `  async [k]() { return "computed" }`,
        `  static async s() { return "static" }`,
        `  async m() { return this.x } }`,
        `;[await new Keep().dyn(), await Keep.s(), await new Keep().m(), Object.keys(new Keep())]`,
      ].join("\n"),
    );
    expect(value).toEqual(["computed", "static", "dyn", ["x"]]);
  });

  it("takes as many microtask turns as the untraced function: un-awaited calls interleave as before", async () => {
    // Untraced, a() pushes after b()'s two turns; two more turns for inner() (an async function returning the
    // arrow's promise) would put b first.
    const body = `const order = []\nasync function inner() { return await 0 }\nasync function a() { await inner(); order.push("a") }\nasync function b() { await null; await null; order.push("b") }\na(); b(); for (let i = 0; i < 6; i++) await null`;
    const plain = await (new Function(`return (async () => { ${body}; return order })()`)() as Promise<string[]>);
    expect(plain).toEqual(["a", "b"]);
    expect(await run(`${body}\norder`)).toEqual(plain);
  });

  it("leaves generators, getters and plain functions alone", async () => {
    const out = await script(`async function* g() { yield 1 }\nconst o = { get x() { return 1 } }\nfunction plain() { return 1 }`);
    expect(out).not.toContain(CALL);
  });

  it("lines stay where they were", async () => {
    const cell = await compileCell(`async function f() {\n  throw new Error("boom")\n}\nawait f()`, { filename: "trace-cell", traceCalls: CALL });
    const error = await evaluate(cell, "trace-cell").catch((e: Error) => e);
    expect(String((error as Error).stack)).toMatch(/trace-cell:2/);
  });
});
