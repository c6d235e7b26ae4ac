// Renderers: the SVG is well-formed XML with the labels, axis, legend and figures a reader needs; the text
// chart and the trace events carry the same facts.
import { describe, expect, it } from "vitest";
import { axisTicks, formatDuration } from "../../runtime/timeline/format.ts";
import { concurrencySteps, peakConcurrency } from "../../runtime/timeline/model.ts";
import { STATE_COLORS, renderSvg } from "../../runtime/timeline/svg.ts";
import { renderText } from "../../runtime/timeline/text.ts";
import { toTraceEvents } from "../../runtime/timeline/trace-events.ts";
import { gatherDownloads, manySpans, mixedOutcomes, semaphoreWaves, span } from "./fixtures.ts";
import { allElements, parseXml, texts, type XmlElement } from "./xml.ts";

/**
 * The concurrency curve under the lanes (the filled path in the running colour) as a step function x -> y,
 * with the y of its baseline and of the dashed "peak" line above it.
 */
function concurrencyCurve(root: XmlElement): { at(x: number): number; base: number; peakY: number; x0: number; x1: number } {
  const paths = allElements(root).filter((e) => e.name === "path");
  const curve = paths.find((e) => e.attrs.fill === STATE_COLORS.running && e.attrs["fill-opacity"] === "0.22" && e.attrs.stroke === STATE_COLORS.running);
  if (!curve) throw new Error("no concurrency curve in the chart");
  const peak = paths.find((e) => e.attrs["stroke-dasharray"] === "3 3");
  if (!peak) throw new Error("no peak line in the chart");
  const [, x0, base] = /^M([\d.]+) ([\d.]+)/.exec(curve.attrs.d!)!.map(Number);
  // Walk the H/V commands into horizontal pieces [from, to, y].
  const pieces: Array<[number, number, number]> = [];
  let x = x0!;
  let y = base!;
  for (const [, command, value] of curve.attrs.d!.slice(curve.attrs.d!.indexOf("H")).matchAll(/([HV])([\d.]+)/g)) {
    if (command === "H") {
      pieces.push([x, Number(value), y]);
      x = Number(value);
    } else y = Number(value);
  }
  return {
    at: (at) => pieces.find(([from, to]) => at >= from && at < to)?.[2] ?? base!,
    base: base!,
    peakY: Number(/^M[\d.]+ ([\d.]+)/.exec(peak.attrs.d!)![1]),
    x0: x0!,
    x1: x,
  };
}

describe("SVG chart", () => {
  it("is well-formed XML with a lane label per task, axis ticks, a legend and the figures", () => {
    const svg = renderSvg(gatherDownloads());
    const root = parseXml(svg);
    expect(root.name).toBe("svg");
    expect(root.attrs.xmlns).toBe("http://www.w3.org/2000/svg");
    expect(Number(root.attrs.width)).toBe(800);
    const words = texts(root, "text").join("\n");
    for (const label of ["main", "download 1", "download 2", "download 3"]) expect(words).toContain(label);
    for (const tick of ["0", "0.5 s", "1 s", "1.5 s", "2 s"]) expect(texts(root, "text")).toContain(tick);
    expect(words).toContain("sleeping");
    expect(words).toContain("awaiting tasks");
    expect(words).toMatch(/wall 2\.0\d s/);
    expect(words).toContain("peak 3");
    expect(words).toContain("gather: three downloads at once");
  });

  it("draws the active-task curve under the lanes: as high as the peak line while the most tasks are active", () => {
    // Two tasks active for the first half, one for the second: the curve steps from full height to half.
    const data = { title: "two, then one", wallMs: 1000, spans: [span("long", 0, [["running", 1000]]), span("short", 0, [["sleep", 500]])], stalls: [] };
    const root = parseXml(renderSvg(data));
    expect(texts(root, "text")).toContain("active tasks");
    const curve = concurrencyCurve(root);
    const xAt = (ms: number) => curve.x0 + (ms / 1000) * (curve.x1 - curve.x0);
    expect(curve.peakY).toBeLessThan(curve.base);
    expect(curve.at(xAt(250))).toBe(curve.peakY);
    expect(curve.at(xAt(750))).toBeCloseTo((curve.base + curve.peakY) / 2, 0);
    expect(curve.at(xAt(999))).not.toBe(curve.peakY);
  });

  it("keeps the curve at its peak (three) while the three downloads sleep", () => {
    const root = parseXml(renderSvg(gatherDownloads()));
    const curve = concurrencyCurve(root);
    const middle = (curve.x0 + curve.x1) / 2;
    expect(curve.at(middle)).toBe(curve.peakY);
  });

  it("has no scripts, no external references and no web fonts", () => {
    const svg = renderSvg(mixedOutcomes());
    const names = new Set(allElements(parseXml(svg)).map((e) => e.name));
    expect(names.has("script")).toBe(false);
    expect(names.has("foreignObject")).toBe(false);
    expect(svg).not.toMatch(/href=|@import|@font-face|url\((?!#)/);
    expect(svg).not.toMatch(/\son[a-z]+=/);
  });

  it("escapes labels and titles", () => {
    const svg = renderSvg(mixedOutcomes());
    parseXml(svg);
    expect(svg).toContain("worker &lt;a &amp; b&gt;");
    expect(svg).toContain("Mixed &quot;states&quot; &amp; outcomes");
  });

  it("shows outcomes, every state used in the legend, and stalls with their length", () => {
    const words = texts(parseXml(renderSvg(mixedOutcomes())), "text").join("\n");
    for (const w of ["✕ error", "cancelled", "timed out", "unfinished"]) expect(words).toContain(w);
    for (const w of ["running", "in a thread", "waiting: lock", "waiting: queue get", "waiting: queue put", "waiting: condition", "waiting: event", "waiting: barrier"]) {
      expect(words).toContain(w);
    }
    expect(words).toContain("loop blocked 50 ms");
    expect(words).toContain("250 ms");
    expect(words).toContain("event loop blocked (≥ 50 ms)");
  });

  it("draws a waiting semaphore only where it was used, and peak 2 for two waves", () => {
    const words = texts(parseXml(renderSvg(semaphoreWaves())), "text").join("\n");
    expect(words).toContain("waiting: semaphore");
    expect(words).not.toContain("waiting: lock");
    expect(words).toContain("peak 2");
  });

  it("groups 10k spans into at most 40 lanes, says so, and stays under 300 KB", () => {
    const svg = renderSvg(manySpans(10_000));
    const root = parseXml(svg);
    const words = texts(root, "text").join("\n");
    expect(words).toContain("10,000 tasks grouped by name");
    expect(svg.length).toBeLessThan(300_000);
    const laneLabels = texts(root, "text").filter((t) => t.startsWith("job #"));
    expect(laneLabels.length).toBeGreaterThan(1);
    expect(laneLabels.length).toBeLessThanOrEqual(40);
  });

  it("says when nothing was recorded", () => {
    const svg = renderSvg({ wallMs: 0, spans: [], stalls: [] });
    expect(texts(parseXml(svg), "text").join("\n")).toContain("no runtime tasks were recorded");
  });

  it("gives different charts different ids and the same chart the same bytes", () => {
    const ids = (svg: string) => allElements(parseXml(svg)).map((e) => e.attrs.id).filter(Boolean);
    const a = renderSvg(mixedOutcomes());
    const b = renderSvg(semaphoreWaves());
    expect(ids(a).length).toBeGreaterThan(0);
    expect(ids(b).length).toBeGreaterThan(0);
    // Two different charts inlined in one page must not share clip paths or patterns.
    expect(ids(a).filter((id) => ids(b).includes(id))).toEqual([]);
    // Rendering is deterministic: a live display's last frame equals the Timeline's own rendering.
    expect(renderSvg(mixedOutcomes())).toBe(a);
    expect(a).not.toContain("\u0000");
  });
});

describe("text chart", () => {
  it("draws an ASCII Gantt chart with labels, bars, active counts and an axis", () => {
    const text = renderText(semaphoreWaves());
    const lines = text.split("\n");
    expect(lines[0]).toBe("Semaphore(2): four jobs in two waves");
    expect(lines[1]).toBe("5 tasks, wall 2.00 s, peak 2 active at once");
    const job3 = lines.find((l) => l.includes("job 3"))!;
    // Waits on the semaphore for the first half, then sleeps.
    expect(job3).toMatch(/job 3\s+s{10,}={10,}$/);
    const job1 = lines.find((l) => l.includes("job 1"))!;
    expect(job1).toMatch(/job 1\s+={10,}$/);
    expect(lines.find((l) => l.startsWith("active tasks"))).toMatch(/^active tasks\s+2+$/);
    expect(text).toContain("0.5 s");
    expect(text).toContain("s waiting: semaphore");
    expect(text).toMatch(/^[\x20-\x7e\n]*$/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });

  it("marks outcomes and stalls", () => {
    const text = renderText(mixedOutcomes());
    expect(text).toMatch(/worker <a & b> .* x error/);
    expect(text).toMatch(/watcher .* cancelled/);
    expect(text).toMatch(/slow call .* timed out/);
    expect(text).toMatch(/loop blocked .*!+ 250 ms/);
  });

  it("keeps to the requested width", () => {
    for (const width of [40, 60, 120]) {
      for (const line of renderText(mixedOutcomes(), { width }).split("\n")) expect(line.length).toBeLessThanOrEqual(width);
    }
  });
});

describe("trace events", () => {
  it("has a named track per task with nested state slices, stalls and an active-task counter", () => {
    const data = mixedOutcomes();
    const trace = toTraceEvents(data);
    expect(trace.displayTimeUnit).toBe("ms");
    const threadNames = trace.traceEvents.filter((e) => e.ph === "M" && e.name === "thread_name").map((e) => e.args!.name);
    expect(threadNames).toEqual(["event loop", "main", "worker <a & b>", "watcher", "slow call", "background"]);
    for (const e of trace.traceEvents) {
      expect(typeof e.pid).toBe("number");
      expect(typeof e.tid).toBe("number");
      if (e.ph === "X") {
        expect(e.ts).toBeGreaterThanOrEqual(0);
        expect(e.dur).toBeGreaterThanOrEqual(0);
      }
    }
    // Slices on one track nest: every state slice lies inside its task's slice.
    for (const span of data.spans) {
      const track = trace.traceEvents.find((e) => e.ph === "M" && e.name === "thread_name" && e.args!.name === span.name)!.tid;
      const slices = trace.traceEvents.filter((e) => e.ph === "X" && e.tid === track);
      const task = slices.find((e) => e.cat === "task")!;
      expect(task.args!.outcome).toBe(span.outcome);
      for (const s of slices.filter((e) => e.cat === "state")) {
        expect(s.ts!).toBeGreaterThanOrEqual(task.ts!);
        expect(s.ts! + s.dur!).toBeLessThanOrEqual(task.ts! + task.dur! + 1e-6);
      }
    }
    const stalls = trace.traceEvents.filter((e) => e.cat === "stall");
    expect(stalls.map((e) => e.dur)).toEqual([50_000, 250_000]);
    expect(trace.traceEvents.some((e) => e.ph === "C" && e.name === "active tasks")).toBe(true);
    // Round-trips through JSON (what a user saves to open in Perfetto).
    expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
  });
});

describe("figures", () => {
  it("formats durations and picks round ticks", () => {
    expect(formatDuration(7.25)).toBe("7.3 ms");
    expect(formatDuration(250)).toBe("250 ms");
    expect(formatDuration(2000)).toBe("2.00 s");
    expect(axisTicks(2000).map((t) => t.label)).toEqual(["0", "0.5 s", "1 s", "1.5 s", "2 s"]);
    expect(axisTicks(120).map((t) => t.label)).toEqual(["0", "20 ms", "40 ms", "60 ms", "80 ms", "100 ms", "120 ms"]);
    expect(axisTicks(1000, 5).map((t) => t.label)).toEqual(["0", "0.2 s", "0.4 s", "0.6 s", "0.8 s", "1 s"]);
  });

  it("counts active tasks, not those queueing on a semaphore or awaiting children", () => {
    expect(peakConcurrency(concurrencySteps(gatherDownloads().spans))).toBe(3);
    expect(peakConcurrency(concurrencySteps(semaphoreWaves().spans))).toBe(2);
  });
});
