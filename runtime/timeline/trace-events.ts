// Converts a timeline to the Chrome trace event format (JSON object form), which Perfetto and
// chrome://tracing open: one track per task with its states nested inside, a track for event-loop stalls,
// and a counter track of active tasks.

import { concurrencySteps, STATE_LABELS, type TimelineData } from "./model.ts";
import { layoutLanes } from "./lanes.ts";

/** One entry of `traceEvents` (the fields this converter uses; times in microseconds). */
export interface TraceEvent {
  readonly name: string;
  readonly ph: "X" | "M" | "C" | "i";
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly cat?: string;
  readonly s?: "t" | "p" | "g";
  readonly args?: Record<string, unknown>;
}

export interface TraceFile {
  readonly traceEvents: TraceEvent[];
  readonly displayTimeUnit: "ms";
  readonly otherData: Record<string, unknown>;
}

const PID = 1;
// Track ids start at 1: some importers give id 0 a meaning of its own (the idle "swapper" thread).
const LOOP_TID = 1;
const tidOf = (spanId: number): number => spanId + 1;

export function toTraceEvents(data: TimelineData): TraceFile {
  // Microseconds rounded to whole nanoseconds; a duration is the difference of two rounded times, so a state
  // slice never pokes out of its task's slice by a rounding error (Perfetto would then refuse to nest it).
  const ns = (ms: number): number => Math.round(ms * 1e6);
  // With `from`, a duration: the difference of the two rounded end points.
  const us = (ms: number, from?: number): number => (from === undefined ? ns(ms) : ns(from + ms) - ns(from)) / 1000;
  const events: TraceEvent[] = [
    { name: "process_name", ph: "M", pid: PID, tid: LOOP_TID, ts: 0, args: { name: data.title ?? "LoopLab timeline" } },
    { name: "thread_name", ph: "M", pid: PID, tid: LOOP_TID, ts: 0, args: { name: "event loop" } },
    { name: "thread_sort_index", ph: "M", pid: PID, tid: LOOP_TID, ts: 0, args: { sort_index: 0 } },
  ];
  // Tracks follow the chart's tree order; with no lane limit every task gets its own track.
  const { lanes } = layoutLanes(data.spans, Infinity);
  lanes.forEach((lane, index) => {
    const span = lane.spans[0]!;
    const tid = tidOf(span.id);
    events.push({ name: "thread_name", ph: "M", pid: PID, tid, ts: 0, args: { name: span.name } });
    events.push({ name: "thread_sort_index", ph: "M", pid: PID, tid, ts: 0, args: { sort_index: index + 1 } });
    const args: Record<string, unknown> = { outcome: span.outcome };
    if (span.parentId !== undefined) args.parent = span.parentId;
    events.push({ name: span.name, cat: "task", ph: "X", pid: PID, tid, ts: us(span.start), dur: us(span.end - span.start, span.start), args });
    for (const seg of span.segments) {
      const segArgs: Record<string, unknown> = { state: seg.state };
      if (seg.label !== undefined) segArgs.label = seg.label;
      events.push({ name: STATE_LABELS[seg.state], cat: "state", ph: "X", pid: PID, tid, ts: us(seg.start), dur: us(seg.end - seg.start, seg.start), args: segArgs });
    }
  });
  for (const stall of data.stalls) {
    events.push({ name: "event loop blocked", cat: "stall", ph: "X", pid: PID, tid: LOOP_TID, ts: us(stall.start), dur: us(stall.end - stall.start, stall.start) });
  }
  for (const step of concurrencySteps(data.spans)) {
    events.push({ name: "active tasks", ph: "C", pid: PID, tid: LOOP_TID, ts: us(step.time), args: { active: step.count } });
  }
  return { traceEvents: events, displayTimeUnit: "ms", otherData: { generator: "looplab", wallMs: data.wallMs } };
}
