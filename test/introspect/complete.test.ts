// complete(): what a notebook user is offered at the cursor, with Jupyter's code point offsets.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { complete, listModules } from "../../kernel/introspect/complete.ts";

/** A notebook scope: globals plus declarations, as properties (the way cells declare them). */
function notebookScope(declarations: Record<string, unknown>): object {
  return Object.assign(Object.create(globalThis), declarations);
}

/** Completes with the cursor at the `|` in the text. */
function at(textWithCursor: string, scope: object = globalThis, extra = {}) {
  const cursor = [...textWithCursor.slice(0, textWithCursor.indexOf("|"))].length;
  return complete(textWithCursor.replace("|", ""), cursor, scope, extra);
}

describe("complete: names", () => {
  it("offers globals, notebook declarations and keywords for a bare prefix", () => {
    const scope = notebookScope({ counter: 1, countWords: () => 0 });
    const reply = at("cou|", scope);
    expect(reply.matches).toEqual(expect.arrayContaining(["counter", "countWords"]));
    expect(at("con|").matches).toEqual(expect.arrayContaining(["console", "const", "continue"]));
    expect(reply.cursor_start).toBe(0);
    expect(reply.cursor_end).toBe(3);
    const types = reply.metadata._jupyter_types_experimental!;
    expect(types.find((t) => t.text === "countWords")?.type).toBe("function");
  });

  it("offers names declared earlier in the cell being typed", () => {
    const reply = at("const totalPrice = 3;\nconst x = totalP|");
    expect(reply.matches).toContain("totalPrice");
    expect(reply.cursor_start).toBe("const totalPrice = 3;\nconst x = ".length);
  });

  it("offers nothing inside ordinary strings and comments", () => {
    expect(at('const s = "con|').matches).toEqual([]);
    expect(at("// con|").matches).toEqual([]);
    expect(at("/* con|").matches).toEqual([]);
    expect(at("`text ${con|").matches).toContain("console");
    expect(at("`text ${a} con|").matches).toEqual([]);
  });
});

describe("complete: members", () => {
  it("lists members of live objects along a chain, own ones first", () => {
    const scope = notebookScope({ config: { server: { port: 8080, host: "localhost", start() {} } } });
    const reply = at("config.server.|", scope);
    expect(reply.matches.slice(0, 3)).toEqual(["host", "port", "start"]);
    expect(reply.matches).toContain("hasOwnProperty");
    expect(reply.matches).not.toContain("__proto__");
    expect(reply.cursor_start).toBe("config.server.".length);
    const partial = at("config.server.po|", scope);
    expect(partial.matches).toEqual(["port"]);
    expect(partial.cursor_start).toBe("config.server.".length);
    expect(partial.cursor_end).toBe("config.server.po".length);
  });

  it("handles optional chaining, spaces and members of built-ins", () => {
    expect(at("console.lo|").matches).toEqual(["log"]);
    expect(at("Math?.ma|").matches).toEqual(["max"]);
    expect(at("process.stdout.wri|").matches).toContain("write");
    expect(at("new Map().|").matches).toEqual([]); // resolving it would mean calling something
  });

  it("members of primitives come from their prototypes", () => {
    const scope = notebookScope({ title: "hello" });
    expect(at("title.toUpp|", scope).matches).toEqual(["toUpperCase"]);
  });

  it("never runs user getters or Proxy traps", () => {
    let calls = 0;
    const scope = notebookScope({
      lazy: { get expensive() { calls++; return { inner: 1 }; } },
      trap: new Proxy({}, { ownKeys() { calls++; return []; }, get() { calls++; return 1; } }),
    });
    expect(at("lazy.|", scope).matches).toContain("expensive");
    expect(at("lazy.expensive.|", scope).matches).toEqual([]);
    expect(at("trap.|", scope).matches).toEqual([]);
    expect(calls).toBe(0);
  });

  it("uses native getters such as Map#size", () => {
    const scope = notebookScope({ seen: new Map([[1, 1]]) });
    expect(at("seen.size.toFi|", scope).matches).toEqual(["toFixed"]);
  });
});

describe("complete: magics and modules", () => {
  it("completes magics at the start of a line", () => {
    const magics = ["%time", "%timeit", "%%time", "%%timeline", "%lsmagic"];
    expect(at("%ti|", globalThis, { magics }).matches).toEqual(["%time", "%timeit"]);
    const cell = at("%%ti|", globalThis, { magics });
    expect(cell.matches).toEqual(["%%time", "%%timeline"]);
    expect(cell.cursor_start).toBe(0);
    expect(at("x\n  %ls|", globalThis, { magics }).cursor_start).toBe(4);
  });

  it("completes module names inside an import's quotes", () => {
    const modules = () => ["node:fs", "node:fs/promises", "fs", "looplab", "lodash"];
    const reply = at('import { readFile } from "node:f|', globalThis, { modules });
    expect(reply.matches).toEqual(["node:fs", "node:fs/promises"]);
    expect(reply.cursor_start).toBe('import { readFile } from "'.length);
    expect(at("const m = await import('lo|", globalThis, { modules }).matches).toEqual(["lodash", "looplab"]);
    expect(at('import "|', globalThis, { modules }).matches).not.toContain("fs");
    expect(at('const s = "lo|', globalThis, { modules }).matches).toEqual([]);
  });

  it("lists node built-ins, node_modules packages (scoped too) and looplab", () => {
    const dir = mkdtempSync(join(tmpdir(), "looplab-complete-"));
    mkdirSync(join(dir, "node_modules", "left-pad"), { recursive: true });
    mkdirSync(join(dir, "node_modules", "@acme", "widgets"), { recursive: true });
    mkdirSync(join(dir, "node_modules", ".bin"), { recursive: true });
    const names = listModules(dir);
    expect(names).toEqual(expect.arrayContaining(["node:fs", "node:test", "left-pad", "@acme/widgets", "looplab"]));
    expect(names).not.toContain(".bin");
    expect(at('import pad from "lef|', globalThis, { cwd: dir }).matches).toEqual(["left-pad"]);
  });

  it("completes relative imports from the notebook directory", () => {
    const dir = mkdtempSync(join(tmpdir(), "looplab-complete-"));
    writeFileSync(join(dir, "helpers.ts"), "");
    writeFileSync(join(dir, "notes.txt"), "");
    mkdirSync(join(dir, "lib"));
    expect(at('import { x } from "./|', globalThis, { cwd: dir }).matches).toEqual(["./helpers.ts", "./lib/"]);
  });
});

describe("complete: positions", () => {
  it("counts code points, not UTF-16 units, before the cursor", () => {
    const scope = notebookScope({ résumé: 1, emojiCount: 2 });
    const reply = at('const s = "😀😀"; emo|', scope);
    expect(reply.matches).toEqual(["emojiCount"]);
    expect(reply.cursor_start).toBe([...'const s = "😀😀"; '].length);
    expect(reply.cursor_end).toBe([...'const s = "😀😀"; emo'].length);
    expect(at("rés|", scope).matches).toEqual(["résumé"]);
  });

  it("never throws on odd input", () => {
    expect(complete("", 0, globalThis).matches.length).toBeGreaterThan(10);
    expect(complete("abc", 99, globalThis).cursor_end).toBe(3);
    expect(complete("x.", -5, globalThis).cursor_start).toBe(0);
  });
});
