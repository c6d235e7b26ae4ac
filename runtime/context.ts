// The runtime's async context: which task is running and which timeline observer is listening, carried by ONE
// AsyncLocalStorage through every await, timer and callback.
//
// Why one store for both: every runtime await needs both facts, so one `getStore()` answers them together, and
// Node pays the propagation cost of a single storage. A frame is immutable; entering a task or installing an
// observer pushes a new frame for that async subtree and leaves the caller's frame alone.

import { AsyncLocalStorage } from "node:async_hooks";
import type { Task } from "./task.ts";
import type { TaskObserver } from "./trace.ts";

export interface Frame {
  /** The task whose code is running, or undefined at top level of a plain script. */
  readonly task: Task<unknown> | undefined;
  /** The timeline observer of this async context, if one is installed. */
  readonly observer: TaskObserver | undefined;
}

export const runtimeContext = new AsyncLocalStorage<Frame>();
