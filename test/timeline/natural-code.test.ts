// Timelines of the code people write, through the real kernel: every async call in a cell (or in the user's own
// module) is a lane of its own, named as written, nested under its caller, with the states it went through,
// and the concurrency peak counts them. No createTask anywhere in these cells.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kernelPerFile, repoRoot } from "../support/kernel.ts";

// Lessons' seconds, 20 times faster; charts still show nominal seconds.
const cwd = mkdtempSync(join(tmpdir(), "looplab-natural-"));
const kernel = kernelPerFile({ cwd, env: { LOOPLAB_TIME_SCALE: "20" } });

// The lanes and the states each spent over a tenth of its life in (a resumed await runs for an instant).
interface Lane {
  id: number;
  name: string;
  parentId?: number;
  outcome: string;
  start: number;
  end: number;
  states: string[];
}

const SUMMARY = `console.log("@@" + JSON.stringify({ peak: tl.maxConcurrency, spans: tl.spans.map((s) => ({ id: s.id, name: s.name, parentId: s.parentId, outcome: s.outcome, start: s.start, end: s.end, states: [...new Set(s.segments.filter((g) => g.end - g.start > 0.1 * (s.end - s.start)).map((g) => g.state))] })) }))`;

async function chart(cell: string): Promise<{ peak: number; lanes: Lane[]; byName: (name: string) => Lane }> {
  const run = await kernel.execute(`${cell}\n${SUMMARY}`);
  expect(run.error, run.error?.traceback.join("\n")).toBeUndefined();
  const line = run.stdout.split("\n").find((l) => l.startsWith("@@"));
  expect(line, run.stdout + run.stderr).toBeDefined();
  const { peak, spans } = JSON.parse(line!.slice(2)) as { peak: number; spans: Lane[] };
  const byName = (name: string) => {
    const found = spans.find((s) => s.name === name);
    if (!found) throw new Error(`no lane ${name} in ${spans.map((s) => s.name).join(", ")}`);
    return found;
  };
  return { peak, lanes: spans, byName };
}

const DOWNLOAD = `import { gather, sleep, timeline, Semaphore } from "looplab";
async function download(name: string, seconds: number) { await sleep(seconds * 1000); return name }`;

describe("timelines of natural code", () => {
  it("gather of three downloads: three lanes under main, peak 3", async () => {
    const { peak, lanes, byName } = await chart(`${DOWNLOAD}\nconst tl = await timeline(() => gather(download("a", 2), download("b", 1), download("c", 2)))`);
    expect(lanes.map((l) => l.name)).toEqual(["main", 'download("a", 2)', 'download("b", 1)', 'download("c", 2)']);
    const main = byName("main");
    for (const name of ['download("a", 2)', 'download("b", 1)', 'download("c", 2)']) {
      expect(byName(name).parentId).toBe(main.id);
      expect(byName(name).states).toEqual(["sleep"]);
      expect(byName(name).outcome).toBe("ok");
    }
    expect(main.states).toEqual(["wait"]);
    expect(byName('download("b", 1)').end).toBeLessThan(byName('download("a", 2)').end);
    expect(peak).toBe(3);
  }, 60_000);

  it("Promise.all of async calls: two lanes, the caller drawn awaiting them", async () => {
    const { peak, lanes, byName } = await chart(`${DOWNLOAD}\nconst tl = await timeline(() => Promise.all([download("x", 1), download("y", 1)]))`);
    expect(lanes.map((l) => l.name)).toEqual(["main", 'download("x", 1)', 'download("y", 1)']);
    expect(byName("main").states).toEqual(["wait"]);
    expect(peak).toBe(2);
  }, 60_000);

  it("sem.run jobs: four lanes named by the wrapper's call, two waves, waiting on the semaphore, peak 2", async () => {
    const { peak, lanes, byName } = await chart(
      `${DOWNLOAD}
const sem = new Semaphore(2)
const job = (name: string) => sem.run(async () => { await sleep(1000); return name })
const tl = await timeline(() => Promise.all(["file-1", "file-2", "file-3", "file-4"].map((f) => job(f))))`,
    );
    const jobs = ['job("file-1")', 'job("file-2")', 'job("file-3")', 'job("file-4")'];
    expect(lanes.map((l) => l.name)).toEqual(["main", ...jobs]);
    for (const name of jobs) expect(byName(name).parentId).toBe(byName("main").id);
    expect(byName(jobs[0]!).states).toEqual(["sleep"]);
    expect(byName(jobs[2]!).states).toEqual(["semaphore", "sleep"]);
    expect(byName(jobs[3]!).states).toEqual(["semaphore", "sleep"]);
    // Two waves: the second ends about a second after the first.
    expect(byName(jobs[2]!).end - byName(jobs[0]!).end).toBeGreaterThan(800);
    expect(byName("main").states).not.toContain("semaphore");
    expect(peak).toBe(2);
  }, 60_000);

  it("two awaits in a row: two sequential lanes, peak 1", async () => {
    const { peak, lanes, byName } = await chart(`${DOWNLOAD}\nconst tl = await timeline(async function main() { await download("a", 1); await download("b", 1) })`);
    expect(lanes.map((l) => l.name)).toEqual(["main", 'download("a", 1)', 'download("b", 1)']);
    expect(byName('download("b", 1)').start).toBeGreaterThanOrEqual(byName('download("a", 1)').end);
    expect(peak).toBe(1);
  }, 60_000);

  it("nested gathers: two pages with two downloads each, nested under their page, peak 4", async () => {
    const { peak, lanes, byName } = await chart(
      `${DOWNLOAD}
async function page(name: string) { return gather(download(name + "-1", 1), download(name + "-2", 1)) }
const tl = await timeline(() => gather(page("x"), page("y")))`,
    );
    expect(lanes.map((l) => l.name)).toEqual(["main", 'page("x")', 'download("x-1", 1)', 'download("x-2", 1)', 'page("y")', 'download("y-1", 1)', 'download("y-2", 1)']);
    expect(byName('download("x-2", 1)').parentId).toBe(byName('page("x")').id);
    expect(byName('download("y-1", 1)').parentId).toBe(byName('page("y")').id);
    expect(byName('page("x")').parentId).toBe(byName("main").id);
    expect(byName('page("x")').states).toEqual(["wait"]);
    expect(peak).toBe(4);
  }, 60_000);

  it("%%timeline over top-level awaits draws the cell's calls", async () => {
    await kernel.execute(DOWNLOAD);
    const run = await kernel.execute(`%%timeline two\nawait gather(download("p", 1), download("q", 1))`);
    expect(run.error).toBeUndefined();
    // The chart's final frame (its bundle carries no spans since issue 17: text, SVG and PNG): its lanes by name.
    const svgs = run.displays.map((m) => (m.content.data as Record<string, unknown>)["image/svg+xml"]).filter((svg): svg is string => typeof svg === "string");
    const chart = svgs.at(-1)!.replace(/&quot;|&#34;/g, '"');
    for (const name of ["Cell In[" + String(run.content.execution_count) + "]", 'download("p", 1)', 'download("q", 1)']) expect(chart).toContain(`>${name}<`);
    expect(chart).toMatch(/3 tasks?, wall [\d.]+ s, peak 2 active at once/);
  }, 60_000);

  it("a plain function that returns a task still returns the task (not a promise in its place)", async () => {
    const { lanes } = await chart(
      `${DOWNLOAD}
import { createTask } from "looplab"
const inTask = (fn: () => Promise<void>) => createTask(fn, { name: "ticker" })
function startTicker() { return inTask(async () => { for (;;) await sleep(100) }) }
const tl = await timeline(async () => { const t = startTicker(); await sleep(350); t.cancel(); await t.catch(() => {}) })`,
    );
    expect(lanes.find((l) => l.name === "ticker")?.outcome).toBe("cancelled");
    expect(lanes.find((l) => l.name === "startTicker()")?.outcome).toBe("cancelled");
  }, 60_000);

  it("an async function of a cell still runs in a toThread worker (where nothing records)", async () => {
    const run = await kernel.execute(`import { toThread } from "looplab"\nconst twice = async (n: number) => n * 2\nawait toThread(twice, 21)`);
    expect(run.error, run.error?.evalue).toBeUndefined();
    expect(run.result?.["text/plain"]).toBe("42");
  }, 60_000);

  it("async functions of the user's own module are lanes too", async () => {
    // The notebook folder's own package setup: looplab installed beside the user's module.
    mkdirSync(join(cwd, "node_modules"), { recursive: true });
    symlinkSync(repoRoot, join(cwd, "node_modules", "looplab"));
    writeFileSync(join(cwd, "fetcher.ts"), `import { sleep } from "looplab";\nexport async function fetchPage(url: string) { await sleep(500); return url.length }\n`);
    const { peak, lanes } = await chart(`import { fetchPage } from "./fetcher.ts"\nimport { timeline } from "looplab"\nconst tl = await timeline(() => Promise.all([fetchPage("a"), fetchPage("bb")]))`);
    expect(lanes.map((l) => l.name)).toEqual(["main", 'fetchPage("a")', 'fetchPage("bb")']);
    expect(peak).toBe(2);
  }, 60_000);
});
