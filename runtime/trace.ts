// Trace hooks: how the runtime tells a timeline observer what tasks do, at zero cost when nobody listens.
//
// `runWithObserver(observer, fn)` installs an observer for fn's async context. Tasks created inside carry that
// observer for their whole life, and every runtime await started inside is reported to it:
//   taskStarted(task)                  when the task's function begins to run (its first step)
//   waitStarted(task, kind, label?)    when the task begins a runtime await (sleep, lock, queue get, ...)
//   waitEnded(task)                    when that await resolves, rejects or is cancelled
//   taskFinished(task, outcome)        once, when the task is done: "ok" | "error" | "cancelled" | "timeout"
// A task whose function ends with the runtime's TimeoutError (from waitFor or timeout) finishes as "timeout".
// Waits may nest or overlap (a task can await Promise.all of two sleeps); each waitStarted has one waitEnded.
// When no observer is installed the runtime checks one field and calls nothing.

import { runtimeContext } from "./context.ts";
import type { Task } from "./task.ts";

/** What a task is waiting on, as a timeline draws it. */
export type WaitKind =
  | "sleep"
  | "lock"
  | "semaphore"
  | "condition"
  | "event"
  | "barrier"
  | "queue-get"
  | "queue-put"
  | "thread"
  | "wait";

/** How a task ended. */
export type TaskOutcome = "ok" | "error" | "cancelled" | "timeout";

/** Implemented by the timeline recorder; the runtime calls it, never the other way round. */
export interface TaskObserver {
  taskStarted(task: Task<unknown>): void;
  waitStarted(task: Task<unknown>, kind: WaitKind, label?: string): void;
  waitEnded(task: Task<unknown>): void;
  taskFinished(task: Task<unknown>, outcome: TaskOutcome): void;
}

/**
 * Runs fn with `observer` installed for its async context (and returns what fn returns). Pass undefined to run
 * fn with no observer. The current task, if any, stays current inside fn.
 */
export function runWithObserver<T>(observer: TaskObserver | undefined, fn: () => T): T {
  const frame = runtimeContext.getStore();
  return runtimeContext.run({ task: frame?.task, observer }, fn);
}

/** The observer of the running code's async context, if any. */
export function currentObserver(): TaskObserver | undefined {
  return runtimeContext.getStore()?.observer;
}

/**
 * Reports an exception thrown by an observer hook as a process warning: a bug in the timeline must not break the
 * task it watches. Call sites wrap each hook call in try/catch (free in V8 when nothing throws).
 */
export function observerFailed(error: unknown): void {
  process.emitWarning(`looplab: timeline observer threw: ${String((error as Error)?.stack ?? error)}`);
}
