// The runtime's async context: which task is running, which lane it draws in, and which timeline observer is
// listening, carried by ONE AsyncLocalStorage through every await, timer and callback.
//
// Why one store for all three: every runtime await needs them, so one `getStore()` answers them together, and
// Node pays the propagation cost of a single storage. A frame is immutable; entering a task, a traced call or
// installing an observer pushes a new frame for that async subtree and leaves the caller's frame alone.

import { AsyncLocalStorage } from "node:async_hooks";
import type { Call } from "./call.ts";
import type { Task } from "./task.ts";
import type { TaskObserver } from "./trace.ts";

/** Where a timeline draws the running code: its task's lane, or the lane of a traced async call inside it. */
export type Lane = Task<unknown> | Call;

export interface Frame {
  /** The task whose code is running, or undefined at top level of a plain script. */
  readonly task: Task<unknown> | undefined;
  /** The timeline observer of this async context, if one is installed. */
  readonly observer: TaskObserver | undefined;
  /** The innermost traced call (or else the task) whose code is running: what a wait is drawn under. */
  readonly lane: Lane | undefined;
}

export const runtimeContext = new AsyncLocalStorage<Frame>();
