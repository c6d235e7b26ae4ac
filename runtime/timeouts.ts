// Timeouts: `timeout(ms, fn)` and `waitFor(awaitable, ms)` (asyncio.timeout and asyncio.wait_for).
//
// Semantics:
// - `timeout(ms, fn)` runs fn in the current task with a deadline. When the deadline passes, the current task is
//   cancelled (its runtime await rejects with CancelledError, its currentSignal() aborts); when that cancellation
//   comes back out of fn, it becomes a TimeoutError. A cancellation from anyone else stays a CancelledError: the
//   task's cancel count (cancelling/uncancel) tells the two apart, as in asyncio. If fn swallows the cancellation
//   and returns, timeout returns fn's value. Outside any task, timeout runs itself as a task.
// - `waitFor(awaitable, ms)`: awaits a task, promise or function (started as a task) with a deadline. On timeout
//   it cancels the inner task and WAITS for it to finish (so its `finally` blocks have run), then rejects with
//   TimeoutError; a plain promise cannot be cancelled and is simply abandoned. Cancelling the task that awaits
//   waitFor cancels the inner task too.
// - `ms` of null, undefined or Infinity means no deadline; ms <= 0 times out as soon as the loop turns.
// - A task that ends with this TimeoutError is drawn as "timeout" on a timeline.
// - Deadlines run on the runtime clock (time scale honoured); messages show nominal milliseconds.

import { realDelay } from "./clock.ts";
import { TimeoutError, isCancelledError } from "./errors.ts";
import { toTaskOrPromise, type Awaitable, type AwaitedResult } from "./gather.ts";
import { createTask, currentTask, Task, waitable } from "./task.ts";

/** Runs fn with a deadline of `ms` nominal milliseconds; rejects with TimeoutError when it passes. */
export function timeout<T>(ms: number | null | undefined, fn: () => T | PromiseLike<T>): Promise<Awaited<T>> {
  return withDeadline(ms, fn, fn.name || "timeout");
}

async function withDeadline<T>(ms: number | null | undefined, fn: () => T | PromiseLike<T>, name: string): Promise<Awaited<T>> {
  const task = currentTask();
  if (task === undefined) {
    // Cancellation needs a task to act on: outside any, the deadline gets one of its own.
    return (await createTask(() => withDeadline(ms, fn, name), { name })) as Awaited<T>;
  }
  if (ms === null || ms === undefined || ms === Infinity) return await fn();
  const cancellingBefore = task.cancelling();
  let expired = false;
  const timer = setTimeout(
    () => {
      expired = true;
      task.cancel(`timeout after ${ms} ms`);
    },
    Math.max(0, realDelay(ms)),
  );
  try {
    return await fn();
  } catch (error) {
    if (expired) {
      expired = false;
      // Only our own expiry turns into TimeoutError: if someone else cancelled too, their request stays counted.
      if (task.uncancel() <= cancellingBefore && isCancelledError(error)) {
        throw new TimeoutError(`timed out after ${ms} ms`, { cause: error });
      }
    }
    throw error;
  } finally {
    clearTimeout(timer);
    if (expired) task.uncancel();
  }
}

/** Awaits `awaitable` for at most `ms` nominal milliseconds; on timeout cancels it and rejects with TimeoutError. */
export function waitFor<A extends Awaitable>(awaitable: A, ms: number | null | undefined): Promise<AwaitedResult<A>> {
  const inner = toTaskOrPromise(awaitable) as Task<AwaitedResult<A>> | PromiseLike<AwaitedResult<A>>;
  // A task is awaited as a linked await (a cancel reaches the inner task); a plain promise through a cancellable
  // await of its own, so the deadline can abandon it.
  const awaitInner = inner instanceof Task ? () => inner : () => abandonable(inner);
  return withDeadline(ms, awaitInner, "waitFor") as Promise<AwaitedResult<A>>;
}

/** Awaits a promise as a runtime await that a cancel rejects at once (the promise itself goes on). */
function abandonable<T>(promise: PromiseLike<T>): Promise<T> {
  return waitable<T>("wait", (resolve, reject) => void promise.then(resolve, reject));
}
