// Traced calls: each call of an async function is a lane of its own in a timeline, without becoming a task.
//
// A Call is a lightweight async-context frame: it keeps its caller's task (so cancellation, currentTask() and
// everything else about tasks stay as they were) and adds a lane, named after the call as written, under which
// the recorder draws the call's waits; tasks and calls started inside nest under it. It exists only while a
// timeline records: with no observer a traced call costs one context lookup and calls fn.
//
// - `tracedCall(name, args, fn)` is what the kernel's compiler wraps around the body of every async function and
//   async arrow in user code (cells and the user's own modules). The label is `name(args…)` with each argument
//   shortly formatted (`download("a", 2)`); an anonymous async function gets the name and parameters of the
//   nearest named function around it, so `const job = (n) => sem.run(async () => …)` draws `job("file-1")`.
// - `traced(fn, name?)` is the same for plain Node: a function that runs fn as a traced call each time.
// - A task whose first step makes exactly one traced call and then ends at once (`createTask(() => download("a",
//   1))`, or a task of a compiled async function) may be that call: observer.taskBody says so, and the recorder
//   draws the two as one lane if the task also ends as soon as the call does.
// - The call ends when its promise settles; a rejection is "cancelled" (CancelledError), "timeout"
//   (TimeoutError) or "error", with the error's message as the reason the chart shows.

import { runtimeContext, type Frame, type Lane } from "./context.ts";
import { isCancelledError, TimeoutError } from "./errors.ts";
import { Task, whenDone } from "./task.ts";
import { observerFailed, type TaskObserver, type TaskOutcome } from "./trace.ts";

/** One traced async call: a frame and a lane (see the module comment). */
export class Call implements Frame {
  /** Set when the call's promise has settled. */
  done = false;
  constructor(
    /** The called function's name (what a callback inside it is matched by). */
    readonly fn: string,
    readonly name: string,
    readonly task: Task<unknown> | undefined,
    readonly observer: TaskObserver,
    /** The lane that made the call. */
    readonly parent: Lane | undefined,
  ) {}

  /** A call is its own lane: code running in it has its waits drawn here. */
  get lane(): Call {
    return this;
  }
}

/**
 * The first step of a task being run (set by the task, runtime-internal): how many traced calls it made at the
 * top of its stack, and the first. One call means the task is that call (see taskBody in trace.ts).
 */
export const taskStep: { task: Task<unknown> | undefined; calls: number; first: Call | undefined; returned: number } = { task: undefined, calls: 0, first: undefined, returned: 0 };
/** How many traced calls are on the stack right now (their synchronous parts). */
let depth = 0;

/** tracedCall's flags: the body is a callback of the function `name` (WITHIN); fn's value is returned as is (KEEP). */
export const WITHIN = 1;
export const KEEP = 2;

/**
 * Runs fn as a traced call labelled `name(args)`; see the module comment. Compiled user code calls this.
 * WITHIN marks an anonymous callback of the function `name`: inside that function's own live call it adds no
 * lane (the callback's waits are the call's), elsewhere it is a call of its own. KEEP (a function that is not
 * async) returns fn's value itself, never a promise in its place: a wrapper that returns a Task still does.
 */
export function tracedCall<T>(name: string | null | undefined, args: ArrayLike<unknown> | null | undefined, fn: () => T, flags = 0): T {
  const frame = runtimeContext.getStore();
  const observer = frame?.observer;
  if (observer === undefined || observer.callStarted === undefined) return fn();
  if ((flags & WITHIN) !== 0) {
    const lane = frame!.lane;
    if (lane instanceof Call && !lane.done && lane.fn === name) return fn();
  }
  return startCall(frame!, observer, name ?? "", callLabel(name, args), fn, (flags & KEEP) !== 0);
}

/** A function that runs fn as a traced call each time it is called (for code the kernel does not compile). */
export function traced<A extends unknown[], R>(fn: (...args: A) => R, name: string = fn.name): (...args: A) => R {
  if (typeof fn !== "function") throw new TypeError("traced expects a function");
  // An async function's promise may be replaced by another settling the same way; anything else is returned as is.
  const async = fn.constructor?.name === "AsyncFunction";
  const wrapper = function (this: unknown, ...args: A): R {
    const frame = runtimeContext.getStore();
    const observer = frame?.observer;
    if (observer === undefined || observer.callStarted === undefined) return fn.apply(this, args);
    return startCall(frame!, observer, name, callLabel(name, args), () => fn.apply(this, args), !async);
  };
  Object.defineProperty(wrapper, "name", { value: name, configurable: true });
  return wrapper;
}

function startCall<T>(frame: Frame, observer: TaskObserver, fnName: string, label: string, fn: () => T, keep: boolean): T {
  const call = new Call(fnName, label, frame.task, observer, frame.lane);
  try {
    observer.callStarted!(call);
  } catch (error) {
    observerFailed(error);
  }
  if (depth === 0 && taskStep.task !== undefined && frame.lane === taskStep.task) {
    if (taskStep.calls++ === 0) taskStep.first = call;
  }
  depth++;
  let result: T;
  try {
    result = runtimeContext.run(call, fn);
  } catch (error) {
    finish(call, error, false);
    throw error;
  } finally {
    if (--depth === 0 && taskStep.task !== undefined) taskStep.returned = performance.now();
  }
  if (result === null || typeof (result as PromiseLike<unknown>)?.then !== "function") {
    finish(call, undefined, true);
    return result;
  }
  if (keep) {
    if (result instanceof Task) {
      // A done callback, which does not count as looking at a failure: the task's own rules stay as they were.
      whenDone(result, (task) => finish(call, undefined, task.outcome === "ok", task.outcome), undefined);
    } else {
      // Observing a promise marks it handled: the price of drawing a wrapper that returns one, while recording.
      (result as PromiseLike<unknown>).then(
        () => finish(call, undefined, true),
        (error) => finish(call, error, false),
      );
    }
    return result;
  }
  // The caller gets the chained promise, not the call's own: a failure nobody awaits stays unhandled, as it was.
  return Promise.resolve(result).then(
    (value) => {
      finish(call, undefined, true);
      return value;
    },
    (error) => {
      finish(call, error, false);
      throw error;
    },
  ) as T;
}

function finish(call: Call, error: unknown, ok: boolean, known?: TaskOutcome): void {
  call.done = true;
  try {
    const outcome = ok ? "ok" : (known ?? outcomeOf(error));
    call.observer.callFinished?.(call, outcome, ok || known !== undefined ? undefined : reasonOf(error));
  } catch (e) {
    observerFailed(e);
  }
}

/** How a failure ends a task or a call, as a timeline draws it. */
export function outcomeOf(error: unknown): TaskOutcome {
  if (isCancelledError(error)) return "cancelled";
  return error instanceof TimeoutError ? "timeout" : "error";
}

/** A failure's reason in a few words: `Name: message`, cut short. */
export function reasonOf(error: unknown): string {
  let text: string;
  if (error instanceof Error) text = error.message ? `${error.name}: ${error.message}` : error.name;
  else text = `thrown: ${shortValue(error, 60)}`;
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** `name(a, b)`: the call as a reader would say it, each argument short. */
export function callLabel(name: string | null | undefined, args: ArrayLike<unknown> | null | undefined): string {
  const head = name || "async";
  if (args === null || args === undefined) return `${head}()`;
  const parts: string[] = [];
  let length = head.length;
  for (let i = 0; i < args.length; i++) {
    const part = shortValue(args[i], 24);
    length += part.length + 2;
    if (length > 60) {
      parts.push("…");
      break;
    }
    parts.push(part);
  }
  return `${head}(${parts.join(", ")})`;
}

function shortValue(value: unknown, max: number): string {
  switch (typeof value) {
    case "string": {
      const text = JSON.stringify(value.length > max ? `${value.slice(0, max - 1)}…` : value);
      return text;
    }
    case "number":
    case "boolean":
    case "undefined":
      return String(value);
    case "bigint":
      return `${value}n`;
    case "symbol":
      return value.toString();
    case "function":
      return value.name || "ƒ";
    default:
      if (value === null) return "null";
      if (Array.isArray(value)) return value.length === 0 ? "[]" : `[…${value.length}]`;
      if (value instanceof URL) return shortValue(value.href, max);
      if (value instanceof Date) return value.toISOString();
      return "{…}";
  }
}
