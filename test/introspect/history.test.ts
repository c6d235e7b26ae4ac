// HistoryStore: history_request's tail/range/search over sessions that survive restarts, and a corrupt file.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { globToRegExp, HistoryStore, jupyterDataDir } from "../../kernel/introspect/history.ts";

function tempFile(): string {
  return join(mkdtempSync(join(tmpdir(), "looplab-history-")), "looplab", "history.jsonl");
}

/** A kernel's life: a store, some cells, closed as at shutdown. */
async function session(file: string, inputs: string[], warnings: string[] = []): Promise<HistoryStore> {
  const store = new HistoryStore({ file, onWarning: (w) => warnings.push(w) });
  inputs.forEach((input, i) => store.append(i + 1, input));
  await store.close();
  return store;
}

describe("HistoryStore", () => {
  it("numbers sessions across restarts and answers tail over all of them", async () => {
    const file = tempFile();
    const first = await session(file, ["a = 1", "b = 2"]);
    expect(first.session).toBe(1);
    const second = new HistoryStore({ file });
    second.append(1, "c = 3");
    expect(second.session).toBe(2);
    expect(second.tail(2)).toEqual([[1, 2, "b = 2"], [2, 1, "c = 3"]]);
    expect(second.tail(10)).toHaveLength(3);
    expect(second.tail(0)).toEqual([]);
    await second.close();
    expect(new HistoryStore({ file }).session).toBe(3);
  });

  it("writes later, in a batch, not on append", async () => {
    const file = tempFile();
    const store = new HistoryStore({ file });
    store.append(1, "x");
    expect(existsSync(file)).toBe(false);
    await store.close();
    expect(readFileSync(file, "utf8")).toBe('{"s":1,"l":1,"i":"x"}\n');
  });

  it("answers range for this, earlier and relative sessions, stop exclusive", async () => {
    const file = tempFile();
    await session(file, ["one", "two", "three"]);
    const store = new HistoryStore({ file });
    store.append(1, "four");
    store.append(2, "five");
    expect(store.range(1, 2, 3)).toEqual([[1, 2, "two"]]);
    expect(store.range(1, 2)).toEqual([[1, 2, "two"], [1, 3, "three"]]);
    expect(store.range(0, 0)).toEqual([[2, 1, "four"], [2, 2, "five"]]);
    expect(store.range(-1, 3)).toEqual([[1, 3, "three"]]);
    expect(store.range(7, 0)).toEqual([]);
  });

  it("searches with globs, newest n, unique", async () => {
    const file = tempFile();
    await session(file, ["print(1)", "x = 1", "print(2)", "print(1)"]);
    const store = new HistoryStore({ file });
    store.append(1, "print(3)");
    expect(store.search("print(*)").map((e) => e[2])).toEqual(["print(1)", "print(2)", "print(1)", "print(3)"]);
    expect(store.search("print(*)", 2).map((e) => e[2])).toEqual(["print(1)", "print(3)"]);
    expect(store.search("print(?)", 0, true)).toEqual([[1, 3, "print(2)"], [1, 4, "print(1)"], [2, 1, "print(3)"]]);
    expect(store.search("x*")).toEqual([[1, 2, "x = 1"]]);
    expect(store.search("*1*", 0, true).map((e) => e[2])).toEqual(["x = 1", "print(1)"]);
    expect(store.search("print")).toEqual([]); // whole input, as IPython's GLOB
  });

  it("returns outputs when asked, null where there was none", async () => {
    const file = tempFile();
    const store = new HistoryStore({ file });
    store.append(1, "1 + 1");
    store.setOutput(1, "2");
    store.append(2, "let y");
    expect(store.tail(2, true)).toEqual([[1, 1, ["1 + 1", "2"]], [1, 2, ["let y", null]]]);
    await store.close();
    expect(new HistoryStore({ file }).range(1, 1, 2, true)).toEqual([[1, 1, ["1 + 1", "2"]]]);
  });

  it("reports a corrupt file once, keeps it aside and starts fresh", async () => {
    const file = tempFile();
    await session(file, ["good"]);
    writeFileSync(file, '{"s":1,"l":1,"i":"good"}\n\u0000\u0001garbage{{{\n{"s":1,"l":2,"i":"after"}\n');
    const warnings: string[] = [];
    const store = new HistoryStore({ file, onWarning: (w) => warnings.push(w) });
    store.append(1, "fresh");
    expect(store.tail(10)).toEqual([[1, 1, "fresh"]]);
    expect(store.search("*")).toHaveLength(1);
    store.append(2, "more");
    await store.close();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/history file .* is corrupt \(line 2 is not a history record\); it was moved to .*corrupt-/);
    expect(store.warning).toBe(warnings[0]);
    const dir = join(file, "..");
    const aside = readdirSync(dir).filter((name) => name.startsWith("history.jsonl.corrupt-"));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0]!), "utf8")).toContain("garbage");
    const next: string[] = [];
    const restarted = await session(file, [], next);
    expect(next).toEqual([]);
    expect(restarted.tail(10).map((e) => e[2])).toEqual(["fresh", "more"]);
  });

  it("treats records of the wrong shape as corruption too", () => {
    const file = tempFile();
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, '{"s":"one","l":1,"i":"x"}\n');
    const warnings: string[] = [];
    const store = new HistoryStore({ file, onWarning: (w) => warnings.push(w) });
    expect(store.tail(5)).toEqual([]);
    expect(store.session).toBe(1);
    expect(warnings).toHaveLength(1);
  });

  it("tolerates a last line cut short by a crash, silently", async () => {
    const file = tempFile();
    await session(file, ["kept"]);
    writeFileSync(file, readFileSync(file, "utf8") + '{"s":1,"l":2,"i":"cut sh');
    const warnings: string[] = [];
    const store = await session(file, ["next"], warnings);
    expect(warnings).toEqual([]);
    expect(store.session).toBe(2);
    const reread: string[] = [];
    expect((await session(file, [], reread)).tail(5).map((e) => e[2])).toEqual(["kept", "next"]);
    expect(reread).toEqual([]);
  });

  it("keeps history in memory when the data dir cannot be used", async () => {
    const base = mkdtempSync(join(tmpdir(), "looplab-history-"));
    writeFileSync(join(base, "not-a-dir"), "");
    const warnings: string[] = [];
    const store = new HistoryStore({ file: join(base, "not-a-dir", "history.jsonl"), onWarning: (w) => warnings.push(w) });
    store.append(1, "a");
    await store.close();
    store.append(2, "b");
    await store.close();
    expect(store.tail(5).map((e) => e[2])).toEqual(["a", "b"]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/in memory for this session only/);
  });

  it("compacts a file that grew past the limit, keeping the newest", async () => {
    const file = tempFile();
    await session(file, Array.from({ length: 30 }, (_, i) => `cell ${i + 1}`));
    const store = new HistoryStore({ file, maxEntries: 20, keepEntries: 10 });
    expect(store.tail(100).map((e) => e[2])).toEqual(Array.from({ length: 10 }, (_, i) => `cell ${i + 21}`));
    expect(readFileSync(file, "utf8").trim().split("\n")).toHaveLength(10);
    expect(store.session).toBe(2);
  });

  it("writes this session's cells before anything read the whole file, and a later query sees each once", async () => {
    const file = tempFile();
    // 200 earlier sessions: far more than the 64 KiB tail the session number is read from.
    const earlier = Array.from({ length: 200 }, (_, s) =>
      Array.from({ length: 5 }, (_, l) => JSON.stringify({ s: s + 1, l: l + 1, i: `x${s + 1}_${l + 1} = ${"y".repeat(80)}` })).join("\n"),
    );
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, `${earlier.join("\n")}\n`);
    const store = new HistoryStore({ file, maxEntries: 2000, keepEntries: 1000 });
    store.append(1, "mine = 1");
    store.append(2, "mine + 1");
    await store.close();
    expect(store.session).toBe(201);
    expect(readFileSync(file, "utf8").trim().split("\n").slice(-2)).toEqual([
      JSON.stringify({ s: 201, l: 1, i: "mine = 1" }),
      JSON.stringify({ s: 201, l: 2, i: "mine + 1" }),
    ]);
    // The first query reads everything: this session's records appear once, with their session number.
    expect(store.range(0)).toEqual([
      [201, 1, "mine = 1"],
      [201, 2, "mine + 1"],
    ]);
    expect(store.tail(3).map((e) => e[2])).toEqual([expect.stringMatching(/^x200_5 = /), "mine = 1", "mine + 1"]);
    expect(store.range(-1).map((e) => e[1])).toEqual([1, 2, 3, 4, 5]);
  });

  it("keeps this session's written cells when a later query compacts the file", async () => {
    const file = tempFile();
    await session(file, Array.from({ length: 30 }, (_, i) => `cell ${i + 1}`));
    const store = new HistoryStore({ file, maxEntries: 20, keepEntries: 10 });
    store.append(1, "new cell");
    await store.close();
    expect(store.tail(2).map((e) => e[2])).toEqual(["cell 30", "new cell"]);
    // A kernel started afterwards still finds the cell in the rewritten file.
    expect(new HistoryStore({ file }).tail(1)).toEqual([[2, 1, "new cell"]]);
  });
});

describe("jupyterDataDir", () => {
  it("follows Jupyter's rules", () => {
    expect(jupyterDataDir({ JUPYTER_DATA_DIR: "/data/j", HOME: "/home/u" }, "linux")).toBe("/data/j");
    expect(jupyterDataDir({ HOME: "/home/u" }, "linux")).toBe("/home/u/.local/share/jupyter");
    expect(jupyterDataDir({ HOME: "/home/u", XDG_DATA_HOME: "/xdg" }, "linux")).toBe("/xdg/jupyter");
    expect(jupyterDataDir({ HOME: "/Users/u" }, "darwin")).toBe("/Users/u/Library/Jupyter");
  });
});

describe("globToRegExp", () => {
  it("matches whole inputs with *, ? and classes, everything else literally", () => {
    expect(globToRegExp("a*c").test("abbbc")).toBe(true);
    expect(globToRegExp("a*c").test("abbbcd")).toBe(false);
    expect(globToRegExp("a?c").test("a\nc")).toBe(true);
    expect(globToRegExp("[ab]x").test("bx")).toBe(true);
    expect(globToRegExp("[!ab]x").test("bx")).toBe(false);
    expect(globToRegExp("f(x.y)+$").test("f(x.y)+$")).toBe(true);
    expect(globToRegExp("f(x.y)").test("f(xzy)")).toBe(false);
  });
});
