// Trace hooks: how the runtime tells a timeline observer what tasks do, at zero cost when nobody listens.
//
// `runWithObserver(observer, fn)` installs an observer for fn's async context. Tasks created inside carry that
// observer for their whole life, and every runtime await started inside is reported to it:
//   taskStarted(task)                  when the task's function begins to run (its first step)
//   callStarted(call)                  when a traced async call (runtime/call.ts) begins, inside its caller
//   taskBody(task, call)               when a task's first step made exactly one traced call: the task's body
//   waitStarted(lane, kind, label?)    when a lane (a task, or a traced call in it) begins a runtime await
//   waitEnded(lane)                    when that await resolves, rejects or is cancelled
//   callFinished(call, outcome, reason?) once, when the call's promise settles
//   taskFinished(task, outcome, reason?) once, when the task is done: "ok" | "error" | "cancelled" | "timeout"
// A task or call that ends with the runtime's TimeoutError (from waitFor or timeout) finishes as "timeout"; `reason`
// is the error's message for the other failures.
// Waits may nest or overlap (a task can await Promise.all of two sleeps); each waitStarted has one waitEnded.
// When no observer is installed the runtime checks one field and calls nothing.

import type { Call } from "./call.ts";
import { runtimeContext, type Lane } from "./context.ts";
import type { Task } from "./task.ts";

export type { Lane } from "./context.ts";

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
  | "thread-queue"
  | "wait";

/** How a task ended. */
export type TaskOutcome = "ok" | "error" | "cancelled" | "timeout";

/** Implemented by the timeline recorder; the runtime calls it, never the other way round. */
export interface TaskObserver {
  taskStarted(task: Task<unknown>): void;
  waitStarted(lane: Lane, kind: WaitKind, label?: string): void;
  waitEnded(lane: Lane): void;
  taskFinished(task: Task<unknown>, outcome: TaskOutcome, reason?: string): void;
  callStarted?(call: Call): void;
  callFinished?(call: Call, outcome: TaskOutcome, reason?: string): void;
  taskBody?(task: Task<unknown>, call: Call): void;
}

/**
 * Runs fn with `observer` installed for its async context (and returns what fn returns). Pass undefined to run
 * fn with no observer. The current task, if any, stays current inside fn.
 */
export function runWithObserver<T>(observer: TaskObserver | undefined, fn: () => T): T {
  const frame = runtimeContext.getStore();
  return runtimeContext.run({ task: frame?.task, observer, lane: frame?.lane }, fn);
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
