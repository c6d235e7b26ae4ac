// The execution context: which request a piece of running code belongs to, carried through every await.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Message } from "../wire/message.ts";

export interface Execution {
  /** The execute_request this work belongs to; its header is the parent of everything the work outputs. */
  readonly request: Message;
  readonly executionCount: number;
  /** JupyterLab's cell id (execute_request metadata.cellId), when the front end sends one. */
  readonly cellId: string | undefined;
  /** Set when the same cell ran again: its old request is no longer listened to, so output moves there. */
  supersededBy: Execution | undefined;
  /** True once the execute_reply was sent. */
  finished: boolean;
  /** Set when the cell was interrupted: its code stops at the next await it resumes from. */
  interrupted?: boolean;
}

export const executions = new AsyncLocalStorage<Execution>();

export function currentExecution(): Execution | undefined {
  return executions.getStore();
}

/** Where output of `origin` should go now: itself, or the newest run of the same cell. */
export function routeOf(origin: Execution): { target: Execution; moved: boolean } {
  let target = origin;
  while (target.supersededBy) target = target.supersededBy;
  return { target, moved: target !== origin };
}
