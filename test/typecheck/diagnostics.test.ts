// Type errors under cells, through the real kernel: the examples, re-declaration, imports, no false alarms.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kernelPerFile, type Execution } from "../support/kernel.ts";

// A folder of its own, as a notebook's: a local .ts module and an npm package with its typings beside it.
const notebookDir = mkdtempSync(join(tmpdir(), "looplab-typecheck-"));
writeFileSync(join(notebookDir, "geometry.ts"), "export interface Point { x: number; y: number }\nexport function norm(p: Point): number { return Math.hypot(p.x, p.y); }\n");
const pkg = join(notebookDir, "node_modules", "tiny-greeter");
mkdirSync(pkg, { recursive: true });
writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "tiny-greeter", version: "1.0.0", main: "index.js", types: "index.d.ts" }));
writeFileSync(join(pkg, "index.js"), "exports.greet = (name) => `hi ${name}`;\n");
writeFileSync(join(pkg, "index.d.ts"), "/** Says hi. */\nexport declare function greet(name: string): string;\n");

// The reply waits for the diagnostics (as `looplab run` asks), so each run carries its own.
const kernel = kernelPerFile({ cwd: notebookDir, env: { LOOPLAB_TYPECHECK_BEFORE_REPLY: "1" } });

const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "");
/** The `Cell In[n], line l, col c: message (TScode)` lines of a run's warning block. */
function typeErrors(run: Execution): string[] {
  return plain(run.stderr).split("\n").filter((line) => /^ {2}Cell In\[\d+\], line \d+, col \d+: /.test(line)).map((line) => line.trim());
}

describe("diagnostics under the cell", () => {
  it("shows a type error with cell, line, column, code, the line and a caret, and the cell still ran", async () => {
    const run = await kernel.execute('console.log("before");\nconst label: string = 42;\nconsole.log("ran")');
    const n = run.content.execution_count;
    expect(run.content.status).toBe("ok");
    expect(run.stdout).toBe("before\nran\n");
    expect(typeErrors(run)).toEqual([`Cell In[${n}], line 2, col 7: Type 'number' is not assignable to type 'string'. (TS2322)`]);
    const block = plain(run.stderr);
    expect(block).toContain("TypeScript: 1 type error in this cell (the cell ran anyway");
    expect(block).toContain("    const label: string = 42;\n          ^\n");
    // The block is iopub output of this very request.
    const stream = run.iopub.find((m) => m.header.msg_type === "stream" && String(m.content.text).includes("TS2322"))!;
    expect(stream.parent_header.msg_id).toBe(run.reply.parent_header.msg_id);
  });

  it("catches a blank line that glues an array to the line above", async () => {
    const run = await kernel.execute("const sq = (n: number) => n * n\n\n[1, 2, 3].map(sq)");
    const errors = typeErrors(run);
    expect(errors.some((e) => /line 1, col 31: Element implicitly has an 'any' type because expression of type '3' can't be used to index type 'Number'.*\(TS7053\)/.test(e))).toBe(true);
    expect(errors.some((e) => /line 3, col 2: Left side of comma operator is unused and has no side effects\. \(TS2695\)/.test(e))).toBe(true);
  });

  it("catches a string passed for a number, in a later cell written as plain JavaScript", async () => {
    await kernel.execute("function area(r: number) { return Math.PI * r * r; }");
    const run = await kernel.execute("area('2')");
    expect(run.result?.["text/plain"]).toBe("12.566370614359172");
    expect(typeErrors(run)).toEqual([expect.stringMatching(/line 1, col 6: Argument of type 'string' is not assignable to parameter of type 'number'\. \(TS2345\)$/)]);
  });

  it("catches forgotten awaits: a promise in an if condition (TS2801) and a promise used as its value", async () => {
    await kernel.execute('import { sleep } from "looplab";\nasync function fetchName(): Promise<string> { await sleep(1); return "Ada"; }');
    const condition = await kernel.execute('const ready = fetchName();\nif (ready) console.log("yes")');
    expect(condition.stdout).toBe("yes\n");
    expect(typeErrors(condition)).toEqual([expect.stringMatching(/line 2, col 5: This condition will always return true since this 'Promise<string>' is always defined\. Did you forget to use 'await'\? \(TS2801\)$/)]);
    const used = await kernel.execute("const shout: string = fetchName()");
    expect(typeErrors(used)).toEqual([expect.stringMatching(/line 1, col 7: Type 'Promise<string>' is not assignable to type 'string'\..*\(TS2322\)$/)]);
  });

  it("checks a re-declared name against its latest type, and earlier cells keep theirs", async () => {
    await kernel.execute("let total = 10;\nconst doubled = total * 2");
    await kernel.execute('let total = "ten"');
    const run = await kernel.execute("const n: number = total;\nconst d: number = doubled");
    expect(typeErrors(run)).toEqual([expect.stringMatching(/line 1, col 7: Type 'string' is not assignable to type 'number'\. \(TS2322\)$/)]);
  });

  it("types imports of a local .ts module, an npm package in the notebook folder and node: modules", async () => {
    const run = await kernel.execute(
      'import { norm, type Point } from "./geometry.ts";\nimport { greet } from "tiny-greeter";\nimport { readFileSync } from "node:fs";\n' +
        'const p: Point = { x: 3, y: "4" };\nconst g: number = greet("x");\nconst text: number = readFileSync("geometry.ts", "utf8");\nnorm({ x: 3, y: 4 })',
    );
    expect(run.result?.["text/plain"]).toBe("5");
    expect(typeErrors(run)).toEqual([
      expect.stringMatching(/line 4, col 26: Type 'string' is not assignable to type 'number'\. .*\(TS2322\)$/),
      expect.stringMatching(/line 5, col 7: Type 'string' is not assignable to type 'number'\. \(TS2322\)$/),
      expect.stringMatching(/line 6, col 7: Type 'string' is not assignable to type 'number'\. \(TS2322\)$/),
    ]);
  });

  it("understands top-level await, magics, the kernel's globals and reassigning an earlier cell's let", async () => {
    await kernel.execute("let count = 0");
    const runs = [
      await kernel.execute('import { sleep as nap } from "looplab";\nawait nap(1);\ncount = count + 1;\ncount++;\ndisplay.html("<b>hi</b>");\nclearOutput({ wait: true })'),
      await kernel.execute("%%time\nconst later: number = count + 1"),
      await kernel.execute("%time const timed: number = count"),
      await kernel.execute("const o = {};\no.extra = 1;\nlet x = 5;\nx = 'five';\nfunction f(a, b) { return a + b }\nf(1)"),
    ];
    for (const run of runs) {
      expect(run.content.status).toBe("ok");
      expect(plain(run.stderr)).toBe("");
    }
    const typo = await kernel.execute("%%time\nconst wrong: string = count");
    expect(typeErrors(typo)).toEqual([expect.stringMatching(/line 2, col 7: Type 'number' is not assignable to type 'string'\. \(TS2322\)$/)]);
  });

  it("says nothing about a cell that does not compile beyond its syntax error", async () => {
    const run = await kernel.execute("const broken: number = (");
    expect(run.error?.ename).toBe("SyntaxError");
    expect(plain(run.stderr)).toBe("");
    // And the broken cell declared nothing: a later `broken` is not found.
    const later = await kernel.execute("const b: string = broken");
    expect(typeErrors(later)).toEqual([expect.stringMatching(/Cannot find name 'broken'\. \(TS2304\)$/)]);
  });
});

describe("strict mode", () => {
  it("%typecheck strict stops a cell with type errors before any of its output; correct cells run", async () => {
    const set = await kernel.execute("%typecheck strict");
    expect(set.stdout).toContain("type checking: strict");
    const stopped = await kernel.execute('console.log("side effect");\nconst stoppedValue: string = 1');
    expect(stopped.content.status).toBe("error");
    expect(stopped.error?.ename).toBe("TypeScriptError");
    expect(plain(stopped.error!.traceback.join("\n"))).toMatch(/line 2, col 7: Type 'number' is not assignable to type 'string'\. \(TS2322\)/);
    expect(stopped.stdout).toBe("");
    expect(stopped.iopub.filter((m) => m.header.msg_type === "stream")).toEqual([]);
    const fine = await kernel.execute('console.log("fine")');
    expect(fine.stdout).toBe("fine\n");
    await kernel.execute("%typecheck warn");
    // The stopped cell declared nothing.
    const check = await kernel.execute("typeof stoppedValue");
    expect(check.result?.["text/plain"]).toBe("'undefined'");
  });

  it("%typecheck off shows nothing, and a bad mode is a usage error", async () => {
    await kernel.execute("%typecheck off");
    const run = await kernel.execute("const quiet: string = 1");
    expect(plain(run.stderr)).toBe("");
    const bad = await kernel.execute("%typecheck loud");
    expect(bad.error?.ename).toBe("UsageError");
    await kernel.execute("%typecheck warn");
  });
});
