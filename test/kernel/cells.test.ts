// Cells as a user writes them: TypeScript, top-level await, declarations that persist, imports, errors, display.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stripAnsi } from "../../kernel/course/notebook/ansi.ts";
import { startKernel, type TestKernel } from "../support/kernel.ts";

let kernel: TestKernel;
let notebookDir: string;

beforeAll(async () => {
  // A notebook directory with its own node_modules: a CommonJS package, an ESM-only one, and a .ts helper.
  notebookDir = mkdtempSync(join(tmpdir(), "looplab-nb-"));
  const pkg = (name: string, manifest: object, files: Record<string, string>) => {
    const dir = join(notebookDir, "node_modules", name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name, ...manifest }));
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  };
  pkg("cjs-greeter", { main: "index.js" }, { "index.js": "exports.greet = (n) => 'hello ' + n;" });
  pkg("esm-only", { type: "module", exports: { import: "./index.js" } }, { "index.js": "export const shout = (s) => s.toUpperCase() + '!';" });
  writeFileSync(join(notebookDir, "data.json"), JSON.stringify({ answer: 42 }));
  writeFileSync(join(notebookDir, "helper.ts"), "export interface Point { x: number }\nexport const double = (p: Point): number => p.x * 2;\n");
  kernel = await startKernel({ cwd: notebookDir });
});
afterAll(async () => {
  await kernel?.close();
});

const text = (run: { result?: Record<string, unknown> }) => run.result?.["text/plain"];

describe("TypeScript cells", () => {
  it("accepts types, interfaces, enums, generics, parameter properties and satisfies", async () => {
    const run = await kernel.execute(`
interface Named { name: string }
enum Color { Red = "red", Green = "green" }
class Box<T> { constructor(public readonly value: T) {} }
const config = { retries: 3 } satisfies Record<string, number>;
function first<T>(items: T[]): T | undefined { return items[0]; }
[new Box<Named>({ name: "a" }).value.name, Color.Green, config.retries, first([7, 8])]`);
    expect(run.error).toBeUndefined();
    expect(text(run)).toBe("[ 'a', 'green', 3, 7 ]");
  });

  it("disposes `using` declarations at the end of the cell", async () => {
    const run = await kernel.execute(`
const log: string[] = [];
{ using res = { [Symbol.dispose]() { log.push("disposed"); } }; log.push("used"); }
log`);
    expect(text(run)).toBe("[ 'used', 'disposed' ]");
  });
});

describe("top-level await", () => {
  it("awaits anywhere, including for await", async () => {
    const run = await kernel.execute(`
async function* count() { for (let i = 1; i <= 3; i++) { await new Promise((r) => setTimeout(r, 5)); yield i; } }
let total = 0;
for await (const n of count()) total += n;
const doubled = await Promise.resolve(total * 2);
doubled`);
    expect(text(run)).toBe("12");
  });
});

describe("declarations persist", () => {
  it("keeps const, let, var, function, class, enum and destructured names across cells", async () => {
    await kernel.execute(`
const a = 1; let b = 2; var c = 3;
function f() { return "f"; }
class K { k = "k"; }
enum E { One = 1 }
const { d, e: [g] } = { d: 4, e: [5] };`);
    const run = await kernel.execute("JSON.stringify([a, b, c, f(), new K().k, E.One, d, g])");
    expect(text(run)).toBe(`'[1,2,3,"f","k",1,4,5]'`);
  });

  it("lets a cell that declares const run again", async () => {
    const first = await kernel.execute("const rerun = Math.random(); 'ok'");
    const second = await kernel.execute("const rerun = Math.random(); 'ok'");
    expect(first.error).toBeUndefined();
    expect(second.error).toBeUndefined();
  });

  it("shows nothing for undefined and for declarations", async () => {
    expect((await kernel.execute("undefined")).result).toBeUndefined();
    expect((await kernel.execute("const nothing = 5")).result).toBeUndefined();
  });
});

describe("imports", () => {
  it("imports node: built-ins, CommonJS and ESM-only packages, relative .ts files and looplab", async () => {
    const run = await kernel.execute(`
import { join } from "node:path";
import { greet } from "cjs-greeter";
import { shout } from "esm-only";
import { double } from "./helper.ts";
import { sleep, gather } from "looplab";
const results = await gather(sleep(5, "x"), sleep(1, "y"));
[join("a", "b"), greet("you"), shout("hey"), double({ x: 21 }), results]`);
    expect(run.error).toBeUndefined();
    expect(text(run)).toBe("[ 'a/b', 'hello you', 'HEY!', 42, [ 'x', 'y' ] ]");
  });

  it("imports relative JavaScript files: ES modules (.mjs), CommonJS (.js without a type, .cjs)", async () => {
    writeFileSync(join(notebookDir, "esm-helper.mjs"), "export const triple = (n) => n * 3;\n");
    writeFileSync(join(notebookDir, "cjs-helper.js"), "exports.half = (n) => n / 2;\n");
    writeFileSync(join(notebookDir, "cjs-helper.cjs"), "module.exports = { negate: (n) => -n };\n");
    const run = await kernel.execute(`
import { triple } from "./esm-helper.mjs";
import { half } from "./cjs-helper.js";
import { negate } from "./cjs-helper.cjs";
[triple(7), half(8), negate(9)]`);
    expect(run.error).toBeUndefined();
    expect(text(run)).toBe("[ 21, 4, -9 ]");
  });

  it("imports JSON with import attributes and knows import.meta of the notebook directory", async () => {
    const run = await kernel.execute(`import data from "./data.json" with { type: "json" };
[data.answer, import.meta.dirname === process.cwd(), import.meta.url.startsWith("file://")]`);
    expect(run.error).toBeUndefined();
    expect(text(run)).toBe("[ 42, true, true ]");
  });

  it("keeps imported names for later cells", async () => {
    await kernel.execute(`import * as path from "node:path";`);
    expect(text(await kernel.execute("path.basename('/x/y.ts')"))).toBe("'y.ts'");
  });
});

describe("streams", () => {
  it("sends console.log/info/debug to stdout and console.error/warn to stderr, in order", async () => {
    const run = await kernel.execute(`
console.log("one"); console.info("two"); console.debug("three");
console.error("oops"); console.warn("careful");
process.stdout.write("raw\\n"); process.stderr.write("raw err\\n");`);
    expect(run.stdout).toBe("one\ntwo\nthree\nraw\n");
    expect(run.stderr).toBe("oops\ncareful\nraw err\n");
  });
});

describe("errors", () => {
  it("maps the stack to the cell's lines and names the error", async () => {
    const run = await kernel.execute(`interface Unused {
  a: number;
}
function fail(): never {
  throw new RangeError("out of range");
}
fail();`);
    expect(run.content.status).toBe("error");
    expect(run.error).toMatchObject({ ename: "RangeError", evalue: "out of range" });
    const traceback = stripAnsi(run.error!.traceback.join("\n"));
    const count = run.content.execution_count;
    expect(traceback).toContain(`Cell In[${count}], line 5`);
    expect(traceback).toContain('throw new RangeError("out of range")');
    expect(traceback).not.toMatch(/kernel\/dist|node:internal/);
  });

  it("points a syntax error at its line and column", async () => {
    const run = await kernel.execute("const fine = 1;\nconst broken = ;");
    expect(run.content.status).toBe("error");
    expect(run.error!.ename).toMatch(/SyntaxError/);
    expect(stripAnsi(run.error!.traceback.join("\n"))).toMatch(/line 2/);
  });

  it("keeps state after an error", async () => {
    await kernel.execute("const survivor = 'still here'");
    await kernel.execute("null.boom");
    expect(text(await kernel.execute("survivor"))).toBe("'still here'");
  });
});

describe("rich display", () => {
  it("displays values, updates handles, and renders Jupyter.display objects", async () => {
    const run = await kernel.execute(`
const handle = display.html("<b>first</b>", { displayId: true });
handle.update("<b>second</b>");
display({ [Symbol.for("Jupyter.display")]() { return { "text/markdown": "**md**", "text/plain": "md" }; } });
({ [Symbol.for("Jupyter.display")]() { return { "image/svg+xml": "<svg xmlns='http://www.w3.org/2000/svg'/>", "text/plain": "svg" }; } })`);
    expect(run.error).toBeUndefined();
    const [shown, updated, markdown] = run.displays;
    expect(shown.header.msg_type).toBe("display_data");
    expect(updated.header.msg_type).toBe("update_display_data");
    expect((updated.content.transient as { display_id: string }).display_id).toBe((shown.content.transient as { display_id: string }).display_id);
    expect((markdown.content.data as Record<string, string>)["text/markdown"]).toBe("**md**");
    expect(run.result?.["image/svg+xml"]).toMatch(/<svg/);
  });
});

describe("worker threads", () => {
  it("runs a cell's function with loops in toThread (the kernel's loop checks work in the worker)", async () => {
    const run = await kernel.execute(`
import { toThread } from "looplab";
function sumTo(n: number): number { let total = 0; for (let i = 1; i <= n; i++) total += i; return total; }
await toThread(sumTo, 1000)`);
    expect(run.error).toBeUndefined();
    expect(text(run)).toBe("500500");
  });
});

describe("display handles", () => {
  it("a cell ending in display.html(...) shows the HTML once and no Out[n] for the handle", async () => {
    const run = await kernel.execute(`display.html("<i>once</i>")`);
    expect(run.error).toBeUndefined();
    expect(run.displays.map((m) => m.header.msg_type)).toEqual(["display_data"]);
    expect(run.result).toBeUndefined();
  });
});

describe("the thread pool", () => {
  it("leaves cells Node's four thread-pool threads, beside the two the kernel holds", async () => {
    // Three reads that block their threads (FIFOs nobody writes yet), then an ordinary file read: it needs a
    // fourth thread of its own.
    const run = await kernel.execute(`
import { execFileSync } from "node:child_process";
import { open, read, readFile, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
const poolDir = mkdtempSync(join(tmpdir(), "pool-"));
const fifos = [1, 2, 3].map((i) => join(poolDir, "f" + i));
for (const fifo of fifos) execFileSync("mkfifo", [fifo]);
const blocked = await Promise.all(fifos.map((fifo) => new Promise<number>((resolve) => open(fifo, "r+", (e, fd) => resolve(fd)))));
const pending = blocked.map((fd) => new Promise((resolve) => read(fd, Buffer.alloc(1), 0, 1, null, resolve)));
writeFileSync(join(poolDir, "plain.txt"), "plain");
const answer = await Promise.race([
  new Promise((resolve) => readFile(join(poolDir, "plain.txt"), "utf8", (e, text) => resolve(text))),
  new Promise((resolve) => setTimeout(resolve, 3000, "no free thread")),
]);
for (const fifo of fifos) writeFileSync(fifo, "x");
await Promise.all(pending);
answer`);
    expect(run.error).toBeUndefined();
    expect(run.result?.["text/plain"]).toBe("'plain'");
  });
});
