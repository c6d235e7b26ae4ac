// The span data model of a timeline: what a recording produces and every renderer consumes.
//
// Times are nominal milliseconds (runtime/clock.ts), measured from the start of the recording, so a chart
// made under LOOPLAB_TIME_SCALE shows the same seconds as one made in real time. Renderers are pure
// functions of a TimelineData; nothing here knows how the data was recorded.

import type { WaitKind } from "../trace.ts";

/**
 * What a lane does during a segment: "running" outside any runtime wait, else the kind of wait; "frozen" is a
 * sleep while the event loop was blocked (its timer could not fire then; see freeze.ts).
 */
export type State = "running" | "frozen" | WaitKind;

/** How a task ended; "pending" when it was still going when the recording stopped (or is drawn live). */
export type Outcome = "ok" | "error" | "cancelled" | "timeout" | "pending";

/** A stretch of one task's life in one state. */
export interface Segment {
  readonly state: State;
  readonly start: number;
  readonly end: number;
  /** The wait's label when the runtime gave one (e.g. a queue's or lock's name). */
  readonly label?: string;
}

/** One task's life: segments cover [start, end] without gaps, in time order. */
export interface Span {
  /** Unique within the recording, 1-based, in start order. */
  readonly id: number;
  readonly name: string;
  /** The id of the recorded span current when this task was created, if any. */
  readonly parentId?: number;
  readonly start: number;
  readonly end: number;
  readonly outcome: Outcome;
  /** Why a lane that failed, was cancelled or timed out did so: `TypeError: bad input`. */
  readonly reason?: string;
  readonly segments: readonly Segment[];
}

/** A stretch in which the event loop could run nothing else (a synchronous block of 50 ms or more). */
export interface Stall {
  readonly start: number;
  readonly end: number;
}

/** Everything a renderer needs. */
export interface TimelineData {
  readonly title?: string;
  /** Nominal length of the recording in ms. */
  readonly wallMs: number;
  readonly spans: readonly Span[];
  readonly stalls: readonly Stall[];
  /** True while the recording is still going (a live redraw): unfinished spans are drawn as such. */
  readonly live?: boolean;
  /**
   * A time axis shared with another chart (timeline's `axis` option): its length in ms (the chart's own wall
   * when that is longer) and the lane-label column's width in px, so equal times are equal lengths in both.
   */
  readonly axis?: Axis;
}

/** A chart's time axis, as another chart can share it. */
export interface Axis {
  readonly ms: number;
  readonly labelWidth: number;
}

/** Human words for each state, used by legends in every format. */
export const STATE_LABELS: Readonly<Record<State, string>> = {
  // Outside runtime waits a task is computing or awaiting some other promise (fetch, a file): both are work
  // in progress, and the chart cannot tell them apart.
  running: "running / awaiting I/O",
  sleep: "sleeping",
  thread: "in a thread",
  lock: "waiting: lock",
  semaphore: "waiting: semaphore",
  condition: "waiting: condition",
  event: "waiting: event",
  barrier: "waiting: barrier",
  "queue-get": "waiting: queue get",
  "queue-put": "waiting: queue put",
  "thread-queue": "waiting: free thread",
  frozen: "stuck: loop blocked",
  wait: "awaiting tasks",
};

/** Legend order: doing something first, then the kinds of waiting. */
export const STATE_ORDER: readonly State[] = [
  "running",
  "sleep",
  "thread",
  "thread-queue",
  "semaphore",
  "lock",
  "condition",
  "event",
  "barrier",
  "queue-get",
  "queue-put",
  "frozen",
  "wait",
];

/**
 * States in which a task makes progress (computes, waits on I/O or a timer, or has work in a thread), as
 * opposed to queueing behind a lock, a semaphore or another task. The concurrency curve counts these, so a
 * Semaphore(2) over four jobs peaks at 2 and a gather of three downloads at 3.
 */
const ACTIVE: ReadonlySet<State> = new Set<State>(["running", "sleep", "thread"]);

export const isActive = (state: State): boolean => ACTIVE.has(state);

/** One step of the concurrency curve: from `time` on, `count` tasks are active. */
export interface Step {
  readonly time: number;
  readonly count: number;
}

/** Curves already computed, by spans array: a Timeline's figure, SVG and text all need the same one. */
const computed = new WeakMap<readonly Span[], Step[]>();

/**
 * The number of active tasks over time, as a step function starting at 0.
 *
 * A task that is "running" while one of its own child tasks is alive is taken to be awaiting them (a plain
 * `await gather(...)` or `await task` is not a runtime wait, so it would otherwise count as running), which
 * keeps a parent from inflating the count of the work it delegated.
 *
 * Short peaks, under 1/150 of the recording (about 5 px of the chart; at least 1 ms), are dropped: when a
 * lane releases a semaphore, the next holder's code runs first (its wake-up was queued before the releaser's
 * return), so the releaser still looks busy while the new holder starts, for as long as that start computes
 * (a first fetch on a loaded machine: 17 ms of a 3.8 s chart, seen in lesson 5); a sliver of "4" on a
 * Semaphore(3) chart would teach the wrong thing. Peaks are what a reader can see.
 */
export function concurrencySteps(spans: readonly Span[]): readonly Step[] {
  let steps = computed.get(spans);
  if (steps === undefined) computed.set(spans, (steps = computeSteps(spans)));
  return steps;
}

function computeSteps(spans: readonly Span[]): Step[] {
  const childLife = new Map<number, Array<[number, number]>>();
  for (const s of spans) {
    if (s.parentId === undefined) continue;
    let list = childLife.get(s.parentId);
    if (!list) childLife.set(s.parentId, (list = []));
    list.push([s.start, s.end]);
  }
  // Starts and ends in two typed arrays sorted natively: no tuple per event, no comparator calls.
  let n = 0;
  for (const span of spans) n += span.segments.length;
  let starts: Float64Array = new Float64Array(n);
  let ends: Float64Array = new Float64Array(n);
  let k = 0;
  const add = (a: number, b: number): void => {
    if (k === starts.length) {
      starts = grow(starts);
      ends = grow(ends);
    }
    starts[k] = a;
    ends[k++] = b;
  };
  for (const span of spans) {
    const children = childLife.get(span.id);
    const busy = children ? union(children) : undefined;
    for (const seg of span.segments) {
      if (!isActive(seg.state) || seg.end <= seg.start) continue;
      if (busy && seg.state === "running") for (const [a, b] of subtract([seg.start, seg.end], busy)) add(a, b);
      else add(seg.start, seg.end);
    }
  }
  const s = starts.subarray(0, k).sort();
  const e = ends.subarray(0, k).sort();
  const steps: Step[] = [{ time: 0, count: 0 }];
  let count = 0;
  let i = 0;
  let j = 0;
  while (i < k || j < k) {
    // Ends before starts at equal times, so back-to-back segments do not count twice.
    const t = j < k && (i >= k || e[j]! <= s[i]!) ? e[j]! : s[i]!;
    while (j < k && e[j] === t) {
      count--;
      j++;
    }
    while (i < k && s[i] === t) {
      count++;
      i++;
    }
    const last = steps[steps.length - 1]!;
    if (last.time === t) steps[steps.length - 1] = { time: t, count };
    else if (last.count !== count) steps.push({ time: t, count });
  }
  return smooth(steps);
}

function grow(a: Float64Array): Float64Array {
  const bigger = new Float64Array(a.length * 2 + 16);
  bigger.set(a);
  return bigger;
}

function smooth(steps: Step[]): Step[] {
  if (steps.length < 3) return steps;
  const min = Math.max(1, steps[steps.length - 1]!.time / 150);
  const out: Step[] = [steps[0]!];
  for (let i = 1; i < steps.length; i++) {
    const step = steps[i]!;
    const next = steps[i + 1];
    const prev = out[out.length - 1]!;
    // A blip: a short local peak (not the final step, which lasts to the end).
    if (next !== undefined && next.time - step.time < min && step.count > prev.count && step.count > next.count) continue;
    if (prev.count !== step.count) out.push(step);
  }
  return out;
}

/** The highest value of the concurrency curve. */
export function peakConcurrency(steps: readonly Step[]): number {
  let peak = 0;
  for (const s of steps) if (s.count > peak) peak = s.count;
  return peak;
}

/**
 * The curve sampled into `count` bins of `msPerBin` from time 0, each bin holding the highest count within it
 * (so short peaks stay visible); the last step lasts until `wall`. Both charts draw their curve from this.
 */
export function peakPerBin(steps: readonly Step[], wall: number, msPerBin: number, count: number): Float64Array {
  const values = new Float64Array(count);
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (step.count === 0) continue;
    const end = i + 1 < steps.length ? steps[i + 1]!.time : wall;
    const from = Math.min(count - 1, Math.floor(step.time / msPerBin));
    const to = Math.min(count - 1, Math.max(from, Math.ceil(end / msPerBin) - 1));
    for (let b = from; b <= to; b++) if (step.count > values[b]!) values[b] = step.count;
  }
  return values;
}

/** Merges overlapping intervals (sorted result). */
function union(intervals: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** The parts of [a, b] not covered by the sorted, disjoint intervals `cut`. */
function subtract([a, b]: [number, number], cut: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let from = a;
  // The first interval that ends after a (binary search: a parent of 20k calls has 40k segments to cut).
  let lo = 0;
  let hi = cut.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cut[mid]![1] <= a) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < cut.length; i++) {
    const [c, d] = cut[i]!;
    if (d <= from) continue;
    if (c >= b) break;
    if (c > from) out.push([from, c]);
    from = Math.max(from, d);
    if (from >= b) break;
  }
  if (from < b) out.push([from, b]);
  return out;
}
