// What a chart may claim, in plain Node with the documented step (traced): one lane per call, and no lie about
// who ran when. A blocking child is drawn running and its caller awaiting; while the loop is frozen no lane is
// drawn sleeping; a thread call that waits for a worker is drawn waiting, then in a thread; a 1.5 ms failure
// is a visible mark with its reason; two charts on one axis are as long as their runs; a chart fits 400 px.
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTask, gather, setTimeScale, getTimeScale, sleep, sleepSync, timeline, toThread, traced, Semaphore, type Span } from "../../runtime/index.ts";
import { closeThreads } from "../../runtime/thread.ts";
import { launchChromiumProfile } from "../support/browser.ts";
import { requireOrSkip } from "../support/jupyter.ts";

let previousScale = 1;
beforeAll(() => {
  previousScale = getTimeScale();
  setTimeScale(10);
});
afterAll(async () => {
  setTimeScale(previousScale);
  await closeThreads();
});

const download = traced(async function download(name: string, seconds: number) {
  await sleep(seconds * 1000);
  return name;
});

const lane = (spans: readonly Span[], name: string): Span => {
  const found = spans.find((s) => s.name === name);
  if (!found) throw new Error(`no lane ${name} in ${spans.map((s) => s.name).join(", ")}`);
  return found;
};

/** Nominal ms in which two or more lanes are drawn running at once. */
function runningTogether(spans: readonly Span[]): number {
  const edges: Array<[number, number]> = [];
  for (const s of spans) for (const g of s.segments) if (g.state === "running" && g.end > g.start) edges.push([g.start, 1], [g.end, -1]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let count = 0;
  let since = 0;
  let total = 0;
  for (const [t, d] of edges) {
    if (count >= 2) total += t - since;
    count += d;
    since = t;
  }
  return total;
}

/** ms of `state` in the span within [from, to]. */
function timeIn(span: Span, state: string, from = -Infinity, to = Infinity): number {
  let total = 0;
  for (const g of span.segments) if (g.state === state) total += Math.max(0, Math.min(g.end, to) - Math.max(g.start, from));
  return total;
}

describe("plain Node: traced(fn) draws the same lanes as kernel cells", () => {
  it("three downloads, four jobs in two waves, two pages with two downloads each", async () => {
    const three = await timeline(() => gather(download("a", 2), download("b", 1), download("c", 2)));
    expect(three.spans.map((s) => s.name)).toEqual(["main", 'download("a", 2)', 'download("b", 1)', 'download("c", 2)']);
    expect(three.maxConcurrency).toBe(3);

    const sem = new Semaphore(2);
    const job = traced((name: string) => sem.run(() => sleep(1000, name)), "job");
    const waves = await timeline(() => Promise.all(["f1", "f2", "f3", "f4"].map((f) => job(f))));
    expect(waves.spans.map((s) => s.name)).toEqual(["main", 'job("f1")', 'job("f2")', 'job("f3")', 'job("f4")']);
    expect(timeIn(lane(waves.spans, 'job("f3")'), "semaphore")).toBeGreaterThan(800);
    expect(waves.maxConcurrency).toBe(2);

    const page = traced(async function page(name: string) {
      return gather(download(`${name}-1`, 1), download(`${name}-2`, 1));
    });
    const pages = await timeline(() => gather(page("x"), page("y")));
    expect(lane(pages.spans, 'download("y-2", 1)').parentId).toBe(lane(pages.spans, 'page("y")').id);
    expect(pages.maxConcurrency).toBe(4);
  });
});

describe("tasks and calls", () => {
  it("a task that only makes one call is one lane; a task that goes on after it keeps the call as a child", async () => {
    const one = await timeline(() => createTask(() => download("only", 0.5)));
    expect(one.spans.map((s) => s.name)).toEqual(["main", 'download("only", 0.5)']);
    expect(one.spans[1]!.segments.some((g) => g.state === "sleep")).toBe(true);

    const named = await timeline(() => createTask(() => download("x", 0.5), { name: "fetcher" }));
    expect(named.spans.map((s) => s.name)).toEqual(["main", "fetcher"]);

    const two = await timeline(() =>
      createTask(
        async () => {
          await download("first", 0.3);
          await download("second", 0.3);
        },
        { name: "worker" },
      ),
    );
    expect(two.spans.map((s) => [s.name, s.parentId])).toEqual([
      ["main", undefined],
      ["worker", 1],
      ['download("first", 0.3)', 2],
      ['download("second", 0.3)', 2],
    ]);
  });
});

describe("truth rules", () => {
  it("a child that blocks the loop is drawn running, its caller awaiting: never two lanes running at once", async () => {
    const blocker = traced(async function blocker() {
      sleepSync(300);
    });
    const tl = await timeline(() => Promise.all([blocker(), download("after", 0.2)]));
    const b = lane(tl.spans, "blocker()");
    expect(timeIn(b, "running")).toBeGreaterThan(250);
    // The caller, while the blocker runs, is awaiting.
    expect(timeIn(lane(tl.spans, "main"), "running", b.start, b.end)).toBeLessThan(5);
    expect(runningTogether(tl.spans)).toBeLessThan(5);
  });

  it("a lane that hands a semaphore on is drawn awaiting while the new holder's first step computes", async () => {
    const sem = new Semaphore(1);
    // The second job's start blocks for 200 ms (a slow synchronous start), before the first job's return runs.
    const job = traced(async function job(n: number) {
      return sem.run(async () => {
        if (n === 2) sleepSync(200);
        await sleep(300);
      });
    });
    const tl = await timeline(() => Promise.all([job(1), job(2)]));
    expect(runningTogether(tl.spans)).toBeLessThan(5);
    expect(tl.maxConcurrency).toBe(1);
    const first = lane(tl.spans, "job(1)");
    expect(first.segments.at(-1)).toMatchObject({ state: "wait", label: "handed over" });
  });

  it("while the loop is frozen no lane is drawn sleeping, and the lane that blocked is drawn running", async () => {
    const tl = await timeline(async function main() {
      const pending = download("starved", 0.2);
      sleepSync(500);
      await pending;
    });
    expect(tl.stalls.length).toBe(1);
    const [stall] = tl.stalls;
    const starved = lane(tl.spans, 'download("starved", 0.2)');
    expect(timeIn(starved, "sleep", stall!.start, stall!.end)).toBe(0);
    expect(timeIn(starved, "frozen", stall!.start, stall!.end)).toBeGreaterThan(450);
    expect(timeIn(lane(tl.spans, "main"), "running", stall!.start, stall!.end)).toBeGreaterThan(450);
    expect(runningTogether(tl.spans)).toBeLessThan(5);
    expect(tl.toSVG()).toContain("stuck: loop blocked");
  });

  it("a toThread call that waits for a free worker is drawn waiting, then in a thread", async () => {
    function spin(ms: number): number {
      const end = Date.now() + ms;
      while (Date.now() < end);
      return ms;
    }
    const crunch = traced(async function crunch(i: number) {
      return toThread(spin, 300 + i);
    });
    const n = availableParallelism() + 1;
    const tl = await timeline(() => Promise.all(Array.from({ length: n }, (_, i) => crunch(i))));
    const last = lane(tl.spans, `crunch(${n - 1})`);
    const states = last.segments.filter((g) => g.end - g.start > 50).map((g) => g.state);
    expect(states).toEqual(["thread-queue", "thread"]);
    // The first call found a free worker: no wait for one (starting the worker may show as running first).
    const first = lane(tl.spans, "crunch(0)").segments.map((g) => g.state);
    expect(first).toContain("thread");
    expect(first).not.toContain("thread-queue");
    expect(tl.toText()).toContain("waiting: free thread");
  });

  it("a 1.5 ms failure in a 2 s chart is a visible mark with its reason in the hover title", async () => {
    const attempt = traced(async function attempt(n: number) {
      await sleep(1.5);
      throw new Error(`503 from server (try ${n})`);
    });
    const tl = await timeline(async () => {
      await Promise.all([attempt(1).catch(() => "failed"), download("slow", 2)]);
    });
    const failed = lane(tl.spans, "attempt(1)");
    expect(failed.outcome).toBe("error");
    expect(failed.reason).toBe("Error: 503 from server (try 1)");
    const svg = tl.toSVG();
    const mark = svg.match(/<g><title>attempt\(1\): error after [^<]*: Error: 503 from server \(try 1\)<\/title><rect [^>]*width="(\d+)" height="(\d+)"/);
    expect(mark, svg).not.toBeNull();
    // At least 5 px wide and taller than the bar: a mark, not a sliver.
    expect(Number(mark![1])).toBeGreaterThanOrEqual(5);
    expect(Number(mark![2])).toBeGreaterThanOrEqual(16);
  });

  it("two charts on one axis are as long as their runs", async () => {
    const sequential = await timeline(async function main() {
      await download("a", 2);
      await download("b", 2);
      await download("c", 2);
    });
    const concurrent = await timeline(() => gather(download("a", 2), download("b", 2), download("c", 2)), { axis: sequential });
    const mainWidth = (svg: string) => Number(svg.match(/<clipPath id="[^"]*c0"><rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"/)![1]);
    const ratio = mainWidth(concurrent.toSVG()) / mainWidth(sequential.toSVG());
    expect(ratio).toBeGreaterThan(0.28);
    expect(ratio).toBeLessThan(0.4);
    // Drawn alone, the concurrent run fills its chart.
    const alone = await timeline(() => gather(download("a", 2), download("b", 2), download("c", 2)));
    expect(mainWidth(alone.toSVG()) / mainWidth(sequential.toSVG())).toBeGreaterThan(0.85);
  });
});

const haveChromium = requireOrSkip("chromium");

describe.skipIf(!haveChromium)("a chart on a phone-width page", () => {
  it("scales to 400 px, inline and as an image, instead of overflowing", async () => {
    const tl = await timeline(() => gather(download("a", 1), download("b", 1)));
    const svg = tl.toSVG();
    const profile = mkdtempSync(join(tmpdir(), "looplab-chromium-"));
    const context = await launchChromiumProfile(profile, { viewport: { width: 400, height: 800 } });
    try {
      const page = await context.newPage();
      const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
      // The classic Notebook and exported pages inline the SVG; JupyterLab shows an <img> (its CSS: max-width 100%).
      await page.setContent(`<body style="margin:0"><div id="inline">${svg}</div><img id="img" style="max-width:100%;height:auto" src="${src}"></body>`);
      const sizes = await page.evaluate(async () => {
        await Promise.all(Array.from(document.images).map((img) => img.decode()));
        const box = (el: Element) => el.getBoundingClientRect();
        const svgEl = document.querySelector("#inline svg")!;
        return { inline: [box(svgEl).width, box(svgEl).height], img: [box(document.images[0]!).width, box(document.images[0]!).height], scroll: document.documentElement.scrollWidth };
      });
      const [w, h] = svg.match(/width="(\d+)" height="(\d+)"/)!.slice(1).map(Number) as [number, number];
      expect(sizes.inline[0]).toBeLessThanOrEqual(400);
      expect(sizes.inline[1]! / sizes.inline[0]!).toBeCloseTo(h / w, 2);
      expect(sizes.img[0]).toBeLessThanOrEqual(400);
      expect(sizes.scroll).toBeLessThanOrEqual(400);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }, 60_000);
});
