// Property-based cells: generated programs mean the same compiled by the kernel as run by plain Node.
//
// The programs are made of the places where insertions go wrong: expression-bodied arrows, lines without
// semicolons (and lines that continue the one before), nested functions, classes, labels, generators, async
// functions and `await` wherever it may stand, comments and regular expressions at the edges of statements.
// Each one logs values into `out`; plain Node runs it in an async function (the reference), the kernel runs it
// as a cell with its interrupt and await checks. Both must log the same, or throw the same kind of error.
import fc from "fast-check";
import { inspect } from "node:util";
import vm from "node:vm";
import { Parser } from "acorn";
import { afterAll, describe, expect, it } from "vitest";
import { compileCell } from "../../kernel/compile/index.ts";
import { withLoopChecks } from "../../kernel/exec/loop-check.ts";
import { resetGlobals, setGlobal } from "./run-cell.ts";

afterAll(resetGlobals);

let checks = 0;
setGlobal("__propCheck", () => void checks++);
setGlobal("__propResumed", <T>(value: T) => value);
// Traced calls (issue 13) as the runtime runs them when no timeline records: the body, called at once.
let traced = 0;
setGlobal("__propTraced", (_name: unknown, _args: unknown, fn: () => unknown) => (traced++, fn()));

interface Scope {
  /** Inside an async function or at the top level: `await` may stand here. */
  async: boolean;
  /** Inside a generator: `yield` may stand here. */
  generator: boolean;
}

const comment = fc.constantFrom("", "/* c */ ", "/*\n*/ ");
const trailing = fc.constantFrom("", " /* c */", " // c");

/** Expressions with a plain value, `depth` levels deep; `scope` says whether await and yield are allowed. */
function expression(depth: number, scope: Scope): fc.Arbitrary<string> {
  const leaf = fc.oneof(
    fc.integer({ min: -3, max: 9 }).map(String),
    fc.constantFrom("'s'", "`t${1}`", "/a+b/g.source", "/[/]/.test('/')", "null", "[1, 2].length", "({ k: 1 }).k", "typeof out"),
  );
  if (depth <= 0) return leaf;
  const sub = (inner: Scope = scope) => expression(depth - 1, inner);
  const plain = { async: false, generator: false };
  const options: fc.Arbitrary<string>[] = [
    leaf,
    fc.tuple(sub(), sub()).map(([a, b]) => `(${a} + ${b})`),
    fc.tuple(sub(), sub(), sub()).map(([a, b, c]) => `(${a} ? ${b} : ${c})`),
    // Arrows with expression bodies, called at once, their bodies at every edge.
    fc.tuple(comment, sub(plain)).map(([c, body]) => `(() => ${c}${body})()`),
    sub(plain).map((body) => `((a) => a + ${body})(1)`),
    sub(plain).map((body) => `(() => ({ v: ${body} }))().v`),
    sub(plain).map((body) => `(function () { return ${body} })()`),
    sub(plain).map((body) => `new (class { m() { return ${body} } })().m()`),
    sub({ async: false, generator: true }).map((body) => `[...(function* () { yield ${body}; yield* [0] })()].length`),
  ];
  if (scope.async) {
    options.push(
      sub().map((a) => `(await ${a})`),
      sub({ async: true, generator: false }).map((body) => `(await (async () => ${body})())`),
      sub({ async: true, generator: false }).map((body) => `(await (async function () { return await ${body} })())`),
      sub().map((a) => `(await Promise.resolve(${a}))`),
    );
  }
  if (scope.generator) options.push(sub().map((a) => `(yield ${a})`));
  return fc.oneof(...options);
}

let names = 0;
/** A fresh identifier per use, so statements never clash. */
const fresh = (prefix: string) => fc.constant(null).map(() => `${prefix}${names++}`);

/** Exactly one statement, for the body of a loop, an if or a label: ends with or without a semicolon. */
function single(depth: number, scope: Scope): fc.Arbitrary<string> {
  const push = fc.tuple(expression(2, scope), fc.constantFrom("", ";"), trailing).map(([x, s, t]) => `out.push(${x})${s}${t}`);
  if (depth <= 0) return push;
  const inner = single(depth - 1, scope);
  return fc.oneof(
    push,
    inner.map((s) => `for (const x of [1, 2]) ${s}`),
    fc.tuple(inner, inner).map(([a, b]) => `if (out.length % 2) ${a}\nelse ${b}`),
    fc.tuple(fresh("L"), inner).map(([l, s]) => `${l}: ${s}`),
    statements(depth - 1, scope).map((s) => `{ ${s}\n}`),
  );
}

/** One or more statements; some end without a semicolon, so ASI decides where they end. */
function statement(depth: number, scope: Scope): fc.Arbitrary<string> {
  const e = expression(2, scope);
  const semi = fc.constantFrom("", ";");
  const body = single(depth, scope);
  const inner = (s: Scope) => (depth > 0 ? statements(depth - 1, s) : single(0, s));
  const options: fc.Arbitrary<string>[] = [
    body,
    fc.tuple(fresh("v"), e, semi).map(([n, x, s]) => `const ${n} = ${x}${s}\nout.push(${n})`),
    fc.tuple(fresh("f"), comment, expression(2, { async: false, generator: false }), semi).map(([n, c, x, s]) => `let ${n} = () => ${c}${x}${s}\nout.push(${n}())`),
    fc.tuple(fresh("g"), expression(2, { async: true, generator: false })).map(([n, x]) => `const ${n} = async () => ${x}\nout.push(typeof ${n}())`),
    fc.tuple(fresh("d"), e).map(([n, x]) => `var { a: ${n} } = { a: ${x} }\nout.push(${n})`),
    fc.tuple(fresh("d"), e).map(([n, x]) => `let [${n}] = [${x}]\nout.push(${n})`),
    fc.tuple(fresh("F"), inner({ async: false, generator: false })).map(([n, s]) => `function ${n}(a) { "use strict"\n ${s}\n return a }\nout.push(${n}(2))`),
    fc.tuple(fresh("A"), inner({ async: true, generator: false })).map(([n, s]) => `async function ${n}() { ${s}\n return await 1 }\nout.push(${scope.async ? "await" : "typeof"} ${n}())`),
    fc.tuple(fresh("G"), inner({ async: false, generator: true })).map(([n, s]) => `function* ${n}() { ${s}\n yield 1 }\nout.push([...${n}()].length)`),
    fc.tuple(fresh("C"), expression(2, { async: false, generator: false })).map(([n, x]) => `class ${n} { static s = ${x}; m = () => ${n}.s }\nout.push(new ${n}().m())`),
    fc.tuple(fresh("L"), body).map(([l, s]) => `${l}: for (let i = 0; i < 3; i++) { if (i === 2) break ${l}; ${s}\n }`),
    fc.tuple(fresh("L"), body).map(([l, s]) => `${l}: { ${s}\n break ${l} }`),
    fc.tuple(fresh("n"), body).map(([n, s]) => `let ${n} = 0\ndo ${s}\nwhile (++${n} < 2)`),
    fc.tuple(fresh("n"), body).map(([n, s]) => `let ${n} = 0\nwhile (${n}++ < 2) ${s}`),
    fc.tuple(comment, body).map(([c, s]) => `${c}${s}`),
    // Lines that continue the one before, in the original too: the meaning (often an error) must not change.
    fc.tuple(fresh("h"), expression(2, { async: false, generator: false }), fc.constantFrom("(1)", "[0]", "`x`", "/2/1", "+ 1", "?.k")).map(([n, x, next]) => `let ${n} = () => ${x}\n${next}\nout.push(typeof ${n})`),
  ];
  if (scope.async) options.push(fc.tuple(e, semi).map(([x, s]) => `await ${x}${s}`), e.map((x) => `for await (const x of [${x}]) out.push(x)`));
  return fc.oneof(...options);
}

function statements(depth: number, scope: Scope): fc.Arbitrary<string> {
  return fc.array(statement(depth, scope), { minLength: 1, maxLength: 3 }).map((list) => list.join("\n"));
}

const program = fc
  .array(statement(1, { async: true, generator: false }), { minLength: 1, maxLength: 5 })
  .map((statements) => statements.join("\n"));

type Outcome = { ok: string } | { threw: string };

/**
 * What a run came to, looked at once its unawaited async work is done too (a macrotask later): an async
 * function that the program did not await logs a moment after the program's end, in both runs alike.
 */
async function settle(run: Promise<unknown>): Promise<Outcome> {
  let outcome: { value: unknown } | { threw: string };
  try {
    outcome = { value: await run };
  } catch (error) {
    outcome = { threw: (error as Error)?.name ?? typeof error };
  }
  await new Promise((resolve) => setImmediate(resolve));
  return "value" in outcome ? { ok: inspect(outcome.value, { depth: 4 }) } : outcome;
}

/** Plain Node: the program in an async function of its own (its `out` a local), no insertion anywhere. */
function reference(source: string): Promise<Outcome> {
  const script = new vm.Script(`(async () => { const out = [];\n${source}\nreturn out })()`);
  return settle(script.runInThisContext() as Promise<unknown>);
}

async function asCell(source: string): Promise<Outcome> {
  const cell = await compileCell(`const out = [];\n${source}\nout`, { filename: "property", loopCheck: "__propCheck()", resumeCheck: "__propResumed", traceCalls: "__propTraced" });
  const script = new vm.Script(cell.script);
  return settle((script.runInThisContext() as Promise<{ value: unknown }>).then((result) => result.value));
}

describe("generated cells", () => {
  it("mean under the kernel what they mean in plain Node", async () => {
    await fc.assert(
      fc.asyncProperty(program, async (source) => {
        const expected = await reference(source);
        expect(await asCell(source), source).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
    expect(checks).toBeGreaterThan(0);
    // Generated async functions and arrows ran through the traced-call insertion too.
    expect(traced).toBeGreaterThan(0);
  });

  it("parse as the user's own modules after the loop checks go in", () => {
    fc.assert(
      fc.property(program, (source) => {
        const module = withLoopChecks(`const out = [];\n${source}\nexport default out`, "module");
        expect(() => Parser.parse(module, { ecmaVersion: "latest", sourceType: "module" }), module).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });
});
