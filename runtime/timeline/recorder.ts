// The timeline's trace observer: turns the runtime's task, call and wait events into spans of states.
//
// The runtime calls it (runtime/trace.ts) for every task and traced call (runtime/call.ts) started under it:
// taskStarted / callStarted, waitStarted(kind), waitEnded, taskFinished / callFinished(outcome, reason). Each
// lane's life is cut into segments at those events. Waits may overlap within one lane (Promise.all of two runtime
// awaits): the lane shows the kind of its most recent open wait, and is "running" again only when all have ended.
// `waitEnded` does not say which wait ended, so overlapping waits of different kinds are attributed last-in,
// first-out.
//
// A lane outside any runtime wait while lanes it started are alive is drawn "awaiting" them: JavaScript runs
// one piece of code at a time, and the code a chart can see running is the children's (a plain `await
// Promise.all([...])` is no runtime wait). Such implicit waits carry the label AWAITING_CALLS (freeze.ts), so that a
// stall can give the running back to the lane that blocked.
// A lane that hands a semaphore or lock on (its release ends another lane's wait) and then only returns is drawn
// awaiting from that moment (HANDED_OVER): the woken lane's code runs before the releaser's return does (its
// wake-up was queued first), so a "running" tail there would draw two lanes running at once, and a Semaphore(3)
// with a fourth lane active while the new holder's fetch starts.
// A task whose body is one traced call (observer.taskBody) is drawn as one lane: the task's name, the call's
// states, the call's children.
// A recorder can be nested in another (a timeline inside a %%timeline cell): it passes every event on.

import type { Call } from "../call.ts";
import { now } from "../clock.ts";
import { creatorLane, type Task } from "../task.ts";
import type { Lane, TaskObserver, TaskOutcome, WaitKind } from "../trace.ts";
import { runtimeContext } from "../context.ts";
import { AWAITING_CALLS, drawFrozen } from "./freeze.ts";

/** The label of a lane's last stretch after it handed a permit on (see the module comment). */
export const HANDED_OVER = "handed over";

/** Real ms between a body call's end and its task's end for the two to be one lane (microtasks apart). */
const BODY_SLACK_MS = 1;
import type { Segment, Span, Stall, State, TimelineData } from "./model.ts";

interface Open {
  readonly id: number;
  name: string;
  readonly parent: Open | undefined;
  /** Lanes started by this one that are not finished yet. */
  live: number;
  /** The traced call that is this task's body, or the task whose body this call is. */
  body: Open | undefined;
  bodyOf: Open | undefined;
  /** The name the lane was opened with (a task that is its call is shown by the call's name). */
  readonly ownName: string;
  /** performance.now() at the end, for telling whether a task ended with its body call. */
  realEnd: number;
  /** When the lane, running, released a permit another lane was waiting for (nothing happened in it since). */
  handedOver: number | undefined;
  reason: string | undefined;
  readonly start: number;
  readonly segments: Segment[];
  /** The most recent open wait (undefined: running); older overlapping ones in `outer`, most recent last. */
  wait: WaitKind | undefined;
  label: string | undefined;
  outer: Array<[WaitKind, string | undefined]> | undefined;
  segmentStart: number;
  end: number | undefined;
  outcome: TaskOutcome | undefined;
  /** The span as snapshots give it, kept once the task has finished (it never changes again). */
  span: Span | undefined;
}

export class Recorder implements TaskObserver {
  /** Nominal time (clock.now()) of the recording's start; every span time is relative to it. */
  readonly origin: number;
  readonly #outer: TaskObserver | undefined;
  // A Map keeps insertion order, which is start order: ids are assigned in it.
  readonly #tasks = new Map<Lane, Open>();
  #ids = 0;
  #stopped = false;

  constructor(origin = now(), outer?: TaskObserver) {
    this.origin = origin;
    this.#outer = outer;
  }

  /**
   * Ends the recording: tasks still running keep this observer (the runtime gave it to them), but their
   * later events and any tasks they start are no longer recorded, so nothing grows after the chart is drawn.
   */
  stop(): void {
    this.#stopped = true;
  }

  taskStarted(task: Task<unknown>): void {
    if (!this.#stopped) this.#open(task, task.name, creatorLane(task));
    this.#outer?.taskStarted(task);
  }

  callStarted(call: Call): void {
    if (!this.#stopped) this.#open(call, call.name, call.parent);
    this.#outer?.callStarted?.(call);
  }

  taskBody(task: Task<unknown>, call: Call): void {
    const open = this.#tasks.get(task);
    const body = this.#tasks.get(call);
    if (open !== undefined && body !== undefined && body.parent === open) {
      open.body = body;
      body.bodyOf = open;
      // A task nobody named is called after its call: `download("a", 2)` says more than `Task-7`.
      if (/^Task-\d+$/.test(open.name)) open.name = body.name;
    }
    this.#outer?.taskBody?.(task, call);
  }

  callFinished(call: Call, outcome: TaskOutcome, reason?: string): void {
    this.#close(this.#stopped ? undefined : this.#tasks.get(call), outcome, reason);
    this.#outer?.callFinished?.(call, outcome, reason);
  }

  #open(lane: Lane, name: string, creator: Lane | undefined): void {
    const t = now() - this.origin;
    const parent = creator === undefined ? undefined : this.#tasks.get(creator);
    // Cut before the count changes: the segment that ends now had the old state.
    if (parent !== undefined && parent.end === undefined) {
      if (parent.live === 0) this.#cut(parent, t);
      parent.live++;
    }
    this.#tasks.set(lane, { id: ++this.#ids, name, ownName: name, realEnd: 0, handedOver: undefined, parent, live: 0, body: undefined, bodyOf: undefined, reason: undefined, start: t, segments: [], wait: undefined, label: undefined, outer: undefined, segmentStart: t, end: undefined, outcome: undefined, span: undefined });
  }

  #close(open: Open | undefined, outcome: TaskOutcome, reason: string | undefined): void {
    if (open === undefined || open.end !== undefined) return;
    const t = now() - this.origin;
    if (open.handedOver !== undefined && stateOf(open) === "running") {
      const at = open.handedOver;
      this.#cut(open, at);
      pushSegment(open.segments, "wait", at, t, HANDED_OVER);
      open.segmentStart = t;
    }
    this.#cut(open, t);
    open.wait = open.label = open.outer = undefined;
    open.end = t;
    open.realEnd = performance.now();
    open.outcome = outcome;
    open.reason = reason;
    // A task went on after its body call had ended: the call was not its body after all, but a lane of its own.
    const body = open.body;
    if (body !== undefined && (body.end === undefined || open.realEnd - body.realEnd > BODY_SLACK_MS)) {
      open.body = body.bodyOf = undefined;
      open.name = open.ownName;
    }
    const parent = open.parent;
    if (parent !== undefined && parent.end === undefined) {
      if (parent.live === 1) this.#cut(parent, t);
      parent.live--;
    }
  }

  waitStarted(task: Lane, kind: WaitKind, label?: string): void {
    const open = this.#stopped ? undefined : this.#tasks.get(task);
    if (open !== undefined && open.end === undefined) {
      this.#cut(open, now() - this.origin);
      if (open.wait !== undefined) (open.outer ??= []).push([open.wait, open.label]);
      open.wait = kind;
      open.label = label;
    }
    this.#outer?.waitStarted(task, kind, label);
  }

  waitEnded(task: Lane): void {
    const open = this.#stopped ? undefined : this.#tasks.get(task);
    if (open !== undefined && open.end === undefined && open.wait !== undefined) {
      const t = now() - this.origin;
      if (open.wait === "semaphore" || open.wait === "lock") this.#handOver(task, t);
      this.#cut(open, t);
      const previous = open.outer?.pop();
      open.wait = previous?.[0];
      open.label = previous?.[1];
    }
    this.#outer?.waitEnded(task);
  }

  taskFinished(task: Task<unknown>, outcome: TaskOutcome, reason?: string): void {
    this.#close(this.#stopped ? undefined : this.#tasks.get(task), outcome, reason);
    this.#outer?.taskFinished(task, outcome, reason);
  }

  /**
   * The recording as renderers take it, now. Tasks not finished yet end now with outcome "pending".
   * `omit`: the id of a span to leave out.
   */
  snapshot(options: { title?: string; stalls?: readonly Stall[]; live?: boolean; omit?: number } = {}): TimelineData {
    const at = now() - this.origin;
    const spans: Span[] = [];
    for (const open of this.#tasks.values()) {
      // A left-out span's children become roots: renderers treat a parent they cannot find as none.
      if (open.id === options.omit || open.bodyOf !== undefined) continue;
      // A finished lane's span never changes again: built once, then shared by every later (live) snapshot.
      if (open.span !== undefined) {
        spans.push(open.span);
        continue;
      }
      const end = open.end ?? Math.max(at, open.segmentStart);
      let segments = segmentsOf(open, end);
      const body = open.body;
      if (body !== undefined) {
        // The task's own states before and after its body call, the call's in between.
        const inner = segmentsOf(body, body.end ?? end);
        segments = [...clip(segments, -Infinity, body.start), ...inner, ...clip(segments, body.end ?? end, Infinity)];
      }
      // A lane that ran entirely within one instant still gets a (zero-length) mark.
      if (segments.length === 0) segments = [{ state: "running", start: open.start, end }];
      const { id, name, start } = open;
      const parent = open.parent?.bodyOf ?? open.parent;
      const outcome = open.outcome ?? "pending";
      const reason = open.reason ?? body?.reason;
      const span: Span = {
        id,
        name,
        ...(parent !== undefined ? { parentId: parent.id } : {}),
        start,
        end,
        outcome,
        ...(reason !== undefined && outcome !== "ok" ? { reason } : {}),
        segments,
      };
      if (open.end !== undefined && (body === undefined || body.end !== undefined)) open.span = span;
      spans.push(span);
    }
    let wallMs = at;
    for (const span of spans) if (span.end > wallMs) wallMs = span.end;
    const stalls = options.stalls ?? [];
    return {
      ...(options.title !== undefined ? { title: options.title } : {}),
      wallMs,
      spans: stalls.length > 0 ? drawFrozen(spans, stalls) : spans,
      stalls,
      ...(options.live ? { live: true } : {}),
    };
  }

  /** Closes the lane's current segment at t. */
  #cut(open: Open, t: number): void {
    pushSegment(open.segments, stateOf(open), open.segmentStart, t, labelOf(open));
    open.segmentStart = t;
    open.handedOver = undefined;
  }

  /** A semaphore or lock wait of `woken` ends at t: the running lane that released it is handing over. */
  #handOver(woken: Lane, t: number): void {
    const releaser = runtimeContext.getStore()?.lane;
    if (releaser === undefined || releaser === woken) return;
    const open = this.#tasks.get(releaser);
    if (open !== undefined && open.end === undefined && stateOf(open) === "running") open.handedOver = t;
  }
}

/** The lane's segments up to `end`, its current one included while it is not finished. */
function segmentsOf(open: Open, end: number): Segment[] {
  if (open.end !== undefined) return open.segments;
  const segments = [...open.segments];
  pushSegment(segments, stateOf(open), open.segmentStart, end, labelOf(open));
  return segments;
}

/** The parts of segments within [from, to]. */
function clip(segments: readonly Segment[], from: number, to: number): Segment[] {
  const out: Segment[] = [];
  for (const seg of segments) {
    const start = Math.max(seg.start, from);
    const end = Math.min(seg.end, to);
    if (end > start) out.push(start === seg.start && end === seg.end ? seg : { ...seg, start, end });
  }
  return out;
}

function stateOf(open: Open): State {
  return open.wait ?? (open.live > 0 ? "wait" : "running");
}

function labelOf(open: Open): string | undefined {
  return open.wait !== undefined ? open.label : open.live > 0 ? AWAITING_CALLS : undefined;
}

/** Appends a segment, dropping empty ones and merging with an equal neighbour. */
function pushSegment(segments: Segment[], state: State, start: number, end: number, label: string | undefined): void {
  if (end <= start) return;
  const last = segments[segments.length - 1];
  if (last !== undefined && last.state === state && last.end === start && last.label === label) {
    segments[segments.length - 1] = last.label !== undefined ? { state, start: last.start, end, label } : { state, start: last.start, end };
    return;
  }
  segments.push(label !== undefined ? { state, start, end, label } : { state, start, end });
}
