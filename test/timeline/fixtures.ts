// Hand-made timelines for renderer tests: the shapes the lessons draw, without running anything.
import type { Outcome, Segment, Span, State, TimelineData } from "../../runtime/timeline/model.ts";

let nextId = 1;

/** A span from [state, ms] pieces laid end to end from `start`. */
export function span(name: string, start: number, pieces: Array<[State, number]>, outcome: Outcome = "ok", parentId?: number): Span {
  const segments: Segment[] = [];
  let t = start;
  for (const [state, ms] of pieces) {
    segments.push({ state, start: t, end: t + ms });
    t += ms;
  }
  return { id: nextId++, name, start, end: t, outcome, segments, ...(parentId !== undefined ? { parentId } : {}) };
}

export function gatherDownloads(): TimelineData {
  const main = span("main", 0, [["running", 2], ["wait", 2000], ["running", 3]]);
  const kids = [1, 2, 3].map((i) => span(`download ${i}`, 2, [["running", 1], ["sleep", 1990 + i * 2], ["running", 1]], "ok", main.id));
  return { title: "gather: three downloads at once", wallMs: 2005, spans: [main, ...kids], stalls: [] };
}

export function semaphoreWaves(): TimelineData {
  const main = span("main", 0, [["running", 1], ["wait", 2001]]);
  const jobs = [1, 2, 3, 4].map((i) =>
    span(`job ${i}`, 1, i <= 2 ? [["running", 1], ["sleep", 999]] : [["semaphore", 1000], ["running", 1], ["sleep", 999]], "ok", main.id),
  );
  return { title: "Semaphore(2): four jobs in two waves", wallMs: 2002, spans: [main, ...jobs], stalls: [] };
}

export function mixedOutcomes(): TimelineData {
  const main = span("main", 0, [["running", 5], ["wait", 800], ["running", 50], ["sleep", 300], ["running", 5]]);
  const spans = [
    main,
    span("worker <a & b>", 5, [["queue-get", 100], ["running", 20], ["thread", 300], ["queue-put", 80], ["lock", 120]], "error", main.id),
    span("watcher", 5, [["event", 400], ["condition", 200]], "cancelled", main.id),
    span("slow call", 5, [["sleep", 500], ["barrier", 50]], "timeout", main.id),
    span("background", 10, [["sleep", 1150]], "pending", main.id),
  ];
  return { title: 'Mixed "states" & outcomes', wallMs: 1160, spans, stalls: [{ start: 805, end: 855 + 0 }, { start: 900, end: 1150 }] };
}

export function manySpans(n: number): TimelineData {
  const spans: Span[] = [];
  for (let i = 0; i < n; i++) {
    const start = (i % 100) * 10 + Math.floor(i / 100) * 3;
    spans.push(span(`job ${i + 1}`, start, [["semaphore", (i % 7) * 5], ["running", 1], ["sleep", 40], ["running", 1]], i % 50 === 0 ? "error" : "ok"));
  }
  return { title: `${n} jobs`, wallMs: 1400, spans, stalls: [{ start: 500, end: 620 }] };
}
