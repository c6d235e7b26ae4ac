// The timeline's trace observer: turns the runtime's task and wait events into spans of states.
//
// The runtime calls it (runtime/trace.ts) for every task created under it: taskStarted, waitStarted(kind),
// waitEnded, taskFinished(outcome). Each task's life is cut into segments at those events; between waits a
// task is "running". Waits may overlap within one task (Promise.all of two runtime awaits): the task shows the
// kind of its most recent open wait, and is "running" again only when all have ended. `waitEnded` does not
// say which wait ended, so overlapping waits of different kinds are attributed last-in, first-out.
// A recorder can be nested in another (a timeline inside a %%timeline cell): it passes every event on.

import { now } from "../clock.ts";
import type { Task } from "../task.ts";
import type { TaskObserver, TaskOutcome, WaitKind } from "../trace.ts";
import type { Segment, Span, Stall, State, TimelineData } from "./model.ts";

interface Open {
  readonly id: number;
  readonly name: string;
  readonly parentId: number | undefined;
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
  readonly #tasks = new Map<Task<unknown>, Open>();
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
    if (this.#stopped) {
      this.#outer?.taskStarted(task);
      return;
    }
    const t = now() - this.origin;
    const parent = task.parent === undefined ? undefined : this.#tasks.get(task.parent);
    this.#tasks.set(task, { id: this.#tasks.size + 1, name: task.name, parentId: parent?.id, start: t, segments: [], wait: undefined, label: undefined, outer: undefined, segmentStart: t, end: undefined, outcome: undefined, span: undefined });
    this.#outer?.taskStarted(task);
  }

  waitStarted(task: Task<unknown>, kind: WaitKind, label?: string): void {
    const open = this.#stopped ? undefined : this.#tasks.get(task);
    if (open !== undefined && open.end === undefined) {
      this.#cut(open, now() - this.origin);
      if (open.wait !== undefined) (open.outer ??= []).push([open.wait, open.label]);
      open.wait = kind;
      open.label = label;
    }
    this.#outer?.waitStarted(task, kind, label);
  }

  waitEnded(task: Task<unknown>): void {
    const open = this.#stopped ? undefined : this.#tasks.get(task);
    if (open !== undefined && open.end === undefined && open.wait !== undefined) {
      this.#cut(open, now() - this.origin);
      const previous = open.outer?.pop();
      open.wait = previous?.[0];
      open.label = previous?.[1];
    }
    this.#outer?.waitEnded(task);
  }

  taskFinished(task: Task<unknown>, outcome: TaskOutcome): void {
    const open = this.#stopped ? undefined : this.#tasks.get(task);
    if (open !== undefined && open.end === undefined) {
      const t = now() - this.origin;
      this.#cut(open, t);
      open.wait = open.label = open.outer = undefined;
      open.end = t;
      open.outcome = outcome;
    }
    this.#outer?.taskFinished(task, outcome);
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
      if (open.id === options.omit) continue;
      // A finished task's span never changes again: built once, then shared by every later (live) snapshot.
      if (open.span !== undefined) {
        spans.push(open.span);
        continue;
      }
      let segments = open.segments;
      let end = open.end;
      if (end === undefined) {
        segments = [...segments];
        end = Math.max(at, open.segmentStart);
        pushSegment(segments, stateOf(open), open.segmentStart, end, open.label);
      }
      // A task that ran entirely within one instant still gets a (zero-length) mark.
      if (segments.length === 0) segments = [{ state: "running", start: open.start, end }];
      const { id, name, parentId, start } = open;
      const outcome = open.outcome ?? "pending";
      const span: Span = parentId !== undefined ? { id, name, parentId, start, end, outcome, segments } : { id, name, start, end, outcome, segments };
      if (open.end !== undefined) open.span = span;
      spans.push(span);
    }
    let wallMs = at;
    for (const span of spans) if (span.end > wallMs) wallMs = span.end;
    return {
      ...(options.title !== undefined ? { title: options.title } : {}),
      wallMs,
      spans,
      stalls: options.stalls ?? [],
      ...(options.live ? { live: true } : {}),
    };
  }

  /** Closes the task's current segment at t. */
  #cut(open: Open, t: number): void {
    pushSegment(open.segments, stateOf(open), open.segmentStart, t, open.label);
    open.segmentStart = t;
  }
}

function stateOf(open: Open): State {
  return open.wait ?? "running";
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
