// formatError / formatStderrReport: IPython-like tracebacks mapped to cells, with the kernel's frames hidden.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import vm from "node:vm";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type CellInfo, formatError, formatStderrReport } from "../../kernel/display/traceback.ts";
import { stripAnsi } from "../../kernel/course/notebook/ansi.ts";

const plain = (lines: string[]) => stripAnsi(lines.join("\n"));

/** Cells as the kernel registers them; the map is the identity, as if compile changed nothing. */
function cells(entries: Record<string, { count: number; source: string; shift?: number }>) {
  return (filename: string): CellInfo | undefined => {
    const entry = entries[filename];
    if (!entry) return undefined;
    return {
      executionCount: entry.count,
      source: entry.source,
      map: (line, column) => (line - (entry.shift ?? 0) >= 1 ? { line: line - (entry.shift ?? 0), column } : undefined),
    };
  };
}

/** Runs source as a script named filename and returns what it throws. */
function thrownBy(source: string, filename: string): unknown {
  try {
    vm.runInThisContext(source, { filename });
  } catch (error) {
    return error;
  }
  throw new Error("expected the script to throw");
}

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("formatError", () => {
  it("names the error and maps each cell frame to its line, oldest call first", () => {
    const source = "function area(shape) {\n  const w = shape.size.width;\n  return w * 2;\n}\n\narea({});\n";
    const error = thrownBy(source, "cell-3-1.ts");
    const out = formatError(error, cells({ "cell-3-1.ts": { count: 3, source } }));
    expect(out.ename).toBe("TypeError");
    expect(out.evalue).toBe("Cannot read properties of undefined (reading 'width')");
    const text = plain(out.traceback);
    expect(text).toContain("TypeError                                 Traceback (most recent call last)");
    const outer = text.indexOf("Cell In[3], line 6\n");
    const inner = text.indexOf("Cell In[3], line 2, in area()\n");
    expect(outer).toBeGreaterThan(0);
    expect(inner).toBeGreaterThan(outer);
    expect(text).toContain("      1 function area(shape) {\n----> 2   const w = shape.size.width;\n      3   return w * 2;");
    expect(text).toContain("----> 6 area({});");
    expect(text.endsWith("TypeError: Cannot read properties of undefined (reading 'width')")).toBe(true);
    expect(text).not.toContain("node:vm");
    expect(out.traceback.join("\n")).toContain("\u001b[0;31mTypeError\u001b[0m: Cannot read");
  });

  it("uses the cell's own line numbers from the map", () => {
    // The compiled script has two wrapper lines before the user's code.
    const source = "const a = 1;\nnull.x;";
    const sync = thrownBy("void 0;\nvoid 0;\n" + source, "cell-9-2.ts");
    const text = plain(formatError(sync, cells({ "cell-9-2.ts": { count: 9, source, shift: 2 } })).traceback);
    expect(text).toContain("Cell In[9], line 2\n      1 const a = 1;\n----> 2 null.x;");
  });

  it("hides the kernel's, the runtime's and Node's frames, and shows user files as File path:line", () => {
    const error = new RangeError("too far");
    error.stack = [
      "RangeError: too far",
      "    at check (/home/me/project/lib/check.js:10:11)",
      "    at cell-4-1.ts:1:1",
      `    at Runner.evaluate (${root}kernel/exec/runner.ts:57:20)`,
      `    at Task.run (file://${root}runtime/dist/index.js:100:5)`,
      "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
      "    at new Promise (<anonymous>)",
    ].join("\n");
    const out = formatError(error, cells({ "cell-4-1.ts": { count: 4, source: "check(1e9)" } }));
    const text = plain(out.traceback);
    expect(text).toContain("Cell In[4], line 1\n----> 1 check(1e9)");
    expect(text).toContain("File /home/me/project/lib/check.js:10, in check()");
    expect(text.indexOf("Cell In[4]")).toBeLessThan(text.indexOf("File /home/me"));
    expect(text).not.toMatch(/runner\.ts|runtime\/dist|node:internal|<anonymous>/);
    const full = plain(formatError(error, cells({}), { showInternal: true }).traceback);
    expect(full).toContain("runner.ts:57");
  });

  it("collapses deep recursion into one frame and a count", () => {
    const source = "function down(n) { return down(n + 1); }\ndown(0);";
    const error = thrownBy(source, "cell-5-1.ts");
    const out = formatError(error, cells({ "cell-5-1.ts": { count: 5, source } }));
    expect(out.ename).toBe("RangeError");
    const text = plain(out.traceback);
    expect(text).toMatch(/\[\.\.\. skipping \d+ similar frames\]/);
    expect(text.match(/in down\(\)/g)!.length).toBe(1);
  });

  it("points at the line and column of a cell's syntax error", () => {
    class CellSyntaxError extends SyntaxError {
      constructor(message: string, readonly line: number, readonly column: number) {
        super(message);
        this.name = "SyntaxError";
      }
    }
    const source = "const ok = 1;\nconst bad = ;\n";
    const out = formatError(new CellSyntaxError("Unexpected token (2:12)", 2, 12), cells({}), { cell: { executionCount: 7, source } });
    expect(out.ename).toBe("SyntaxError");
    expect(out.evalue).toBe("Unexpected token (2:12)");
    const text = plain(out.traceback);
    expect(text).toContain("  Cell In[7], line 2\n    const bad = ;\n                ^\n\nSyntaxError: Unexpected token (2:12)");
  });

  it("handles values that are not errors", () => {
    const out = formatError("boom", cells({}));
    expect(out.ename).toBe("Error");
    expect(out.evalue).toBe("'boom'");
    expect(plain(out.traceback)).toContain("Error: 'boom' (a thrown string, not an Error: no stack trace)");
    expect(formatError({ code: 42 }, cells({})).evalue).toBe("{ code: 42 }");
    expect(formatError(undefined, cells({})).evalue).toBe("undefined");
    expect(formatError({ name: "HttpError", message: "404" }, cells({}))).toMatchObject({ ename: "HttpError", evalue: "404" });
  });

  it("names custom error classes that kept the inherited name", () => {
    class RetryError extends Error {}
    expect(formatError(new RetryError("gave up"), cells({})).ename).toBe("RetryError");
  });

  it("survives hostile errors", () => {
    const hostile = new Proxy(new Error("x"), { get() { throw new Error("trap"); } });
    const out = formatError(hostile, cells({}));
    expect(out.ename).toBe("Error");
    expect(Array.isArray(out.traceback)).toBe(true);
  });

  it("lists the sub-errors of a group compactly, with where each came from", () => {
    const source = "function worker(n) {\n  throw new TypeError(`bad ${n}`);\n}\n";
    const subs = [1, 2].map((n) => thrownBy(source + `worker(${n});`, "cell-6-1.ts"));
    const group = new AggregateError([...subs, new RangeError("late")], "3 tasks failed");
    const out = formatError(group, cells({ "cell-6-1.ts": { count: 6, source: source + "worker(1);" } }));
    expect(out.ename).toBe("AggregateError");
    const text = plain(out.traceback);
    expect(text).toContain("AggregateError: 3 tasks failed\n  ├─ [1] TypeError: bad 1 (Cell In[6], line 2, in worker)\n  ├─ [2] TypeError: bad 2 (Cell In[6], line 2, in worker)\n  └─ [3] RangeError: late");
  });

  it("mentions the cause", () => {
    const error = new Error("fetch failed", { cause: new Error("ECONNREFUSED") });
    expect(plain(formatError(error, cells({})).traceback)).toMatch(/Error: fetch failed\n {2}Caused by: Error: ECONNREFUSED$/);
  });
});

describe("formatStderrReport", () => {
  it("starts with the origin and shows the cell frames and the error", () => {
    const error = thrownBy("throw new Error('late');", "cell-2-1.ts");
    const text = formatStderrReport("Unhandled rejection in a task started by Cell In[2]", error, cells({ "cell-2-1.ts": { count: 2, source: "throw new Error('late');" } }));
    const clean = stripAnsi(text);
    expect(clean.startsWith("Unhandled rejection in a task started by Cell In[2]:\n")).toBe(true);
    expect(clean).toContain("Cell In[2], line 1\n----> 1 throw new Error('late');");
    expect(clean.endsWith("Error: late\n")).toBe(true);
  });
});

describe("frames in the user's own files", () => {
  it("show the file's source lines; library frames only their place", () => {
    const dir = mkdtempSync(join(tmpdir(), "looplab-traceback-"));
    const helper = join(dir, "helpers.js");
    writeFileSync(helper, "// helpers\nexport function parse(text) {\n  return JSON.parse(text);\n}\n");
    const error = new SyntaxError("Unexpected token");
    error.stack = [
      "SyntaxError: Unexpected token",
      "    at JSON.parse (<anonymous>)",
      `    at parse (file://${helper}:3:15)`,
      `    at wrap (${join(dir, "node_modules", "lib", "index.js")}:10:3)`,
      "    at cell-5-1.ts:1:1",
    ].join("\n");
    const text = plain(formatError(error, cells({ "cell-5-1.ts": { count: 5, source: "parse('{')" } })).traceback);
    expect(text).toContain(`File ${helper}:3, in parse()\n      1 // helpers\n      2 export function parse(text) {\n----> 3   return JSON.parse(text);\n      4 }`);
    expect(text).toContain(`File ${join(dir, "node_modules", "lib", "index.js")}:10, in wrap()\n\n`);
  });
});

describe("function names", () => {
  it("does not call a timer callback by Node's timer object", () => {
    const error = new Error("late");
    error.stack = "Error: late\n    at Timeout._onTimeout (cell-2-1.ts:1:20)\n    at listOnTimeout (node:internal/timers:581:17)";
    const text = plain(formatError(error, cells({ "cell-2-1.ts": { count: 2, source: "setTimeout(() => { throw new Error('late') })" } })).traceback);
    expect(text).toContain("Cell In[2], line 1\n----> 1 setTimeout");
    expect(text).not.toContain("_onTimeout");
  });
});

describe("cell wrapper frames", () => {
  it("hides frames in a cell's generated wrapper, unless nothing else names the cell", () => {
    const source = "null.x";
    const error = thrownBy("void 0;\nnull.x", "cell-8-1.ts");
    const lookup = cells({ "cell-8-1.ts": { count: 8, source, shift: 1 } });
    // A frame in wrapper code (generated line 1 maps to nothing) called by the user's code, as a cell's async
    // wrapper function shows up in real stacks.
    const lines = (error as Error).stack!.split("\n");
    const userFrame = lines.findIndex((line) => line.includes("cell-8-1.ts:2:"));
    lines.splice(userFrame + 1, 0, "    at cell-8-1.ts:1:1");
    (error as Error).stack = lines.join("\n");
    const text = plain(formatError(error, lookup).traceback);
    expect(text).not.toMatch(/Cell In\[8\]\n/);
    expect(text).toContain("Cell In[8], line 1\n----> 1 null.x");
    const onlyWrapper = new Error("x");
    onlyWrapper.stack = "Error: x\n    at cell-8-1.ts:1:5";
    expect(plain(formatError(onlyWrapper, lookup).traceback)).toContain("Cell In[8]\n");
  });
});
