// Timeouts: `timeout(ms, fn)` and `waitFor(awaitable, ms)` (asyncio.timeout and asyncio.wait_for).
//
// Semantics:
// - `timeout(ms, fn)` runs fn in the current task with a deadline. When the deadline passes, the current task is
//   cancelled (its runtime await rejects with CancelledError, its currentSignal() aborts); when that cancellation
//   comes back out of fn, it becomes a TimeoutError. A cancellation from anyone else stays a CancelledError: the
//   task's cancel count (cancelling/uncancel) tells the two apart, as in asyncio. If fn swallows the cancellation
//   and returns, timeout returns fn's value. Outside any task, timeout runs itself as a task.
//   timeout() is a deadline on the CURRENT task, as asyncio's: its expiry cancels whatever that task is awaiting.
//   So `gather(...urls.map((u) => timeout(300, () => get(u))))`, whose timeouts all run in the caller's task, lets
//   the first expiry cancel the caller and every item. For one deadline per item give gather functions (each runs
//   as a task of its own, as asyncio's gather wraps coroutines): `gather(...urls.map((u) => () => timeout(300, ...)))`,
//   or use waitFor.
// - `waitFor(awaitable, ms)`: awaits a task, promise or function (started as a task) with a deadline of its own,
//   like asyncio.wait_for, which wraps its awaitable in a task and cancels only that: the caller is never
//   cancelled by the deadline, so `gather(...urls.map((u) => waitFor(get(u), 300)), { returnExceptions: true })`
//   puts a TimeoutError in each late slot and the values in the others. On timeout a task (or function) is
//   cancelled and waitFor WAITS for it to finish (its `finally` blocks have run), then rejects with TimeoutError,
//   or returns its value if it swallowed the cancellation. A plain promise cannot be cancelled: on timeout it is
//   abandoned (it runs on; its later result or failure is ignored) and waitFor rejects with TimeoutError at once.
//   To make the work itself stop, pass a function: it runs as a task, whose currentSignal() the deadline aborts.
//   Cancelling the task that awaits waitFor cancels the inner task too (a plain promise is abandoned).
// - `ms` of null, undefined or Infinity means no deadline; ms <= 0 times out as soon as the loop turns.
// - A task that ends with this TimeoutError is drawn as "timeout" on a timeline.
// - Deadlines run on the runtime clock (time scale honoured); messages show nominal milliseconds.

import { realDelay } from "./clock.ts";
import { TimeoutError, isCancelledError } from "./errors.ts";
import { toTaskOrPromise, type Awaitable, type AwaitedResult } from "./gather.ts";
import { createTask, currentTask, linkedWaitable, Task, waitable, whenDone } from "./task.ts";

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
  const limit = ms === null || ms === undefined || ms === Infinity ? undefined : ms;
  return inner instanceof Task ? waitForTask(inner, limit) : waitForPromise(inner, limit);
}

const expiredAfter = (ms: number, cause?: unknown) => new TimeoutError(`timed out after ${ms} ms`, cause === undefined ? undefined : { cause });

/**
 * A linked await of the task (the caller's cancel is passed on to it and waits for its end), with a timer that
 * cancels the task, never the caller, and turns the cancellation that comes out of it into TimeoutError.
 */
function waitForTask<T>(inner: Task<T>, ms: number | undefined): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let expired = false;
  return linkedWaitable<T>(
    "wait",
    (resolve, reject) => {
      whenDone(
        inner,
        (task: Task<T>) => {
          clearTimeout(timer);
          let value: T;
          try {
            value = task.result();
          } catch (error) {
            reject(expired && isCancelledError(error) ? expiredAfter(ms!, error) : error);
            return;
          }
          resolve(value);
        },
        undefined,
      );
      if (ms !== undefined && !inner.done()) {
        timer = setTimeout(
          () => {
            expired = true;
            inner.cancel(`timeout after ${ms} ms`);
          },
          Math.max(0, realDelay(ms)),
        );
      }
      return () => clearTimeout(timer);
    },
    (message) => {
      // The caller is cancelled: from now on the inner task's end is a cancellation, not a timeout.
      clearTimeout(timer);
      return inner.cancel(message);
    },
    inner.name,
  );
}

/** A cancellable await of the promise that rejects with TimeoutError when the deadline passes first. */
function waitForPromise<T>(promise: PromiseLike<T>, ms: number | undefined): Promise<T> {
  return waitable<T>("wait", (resolve, reject) => {
    const timer = ms === undefined ? undefined : setTimeout(() => reject(expiredAfter(ms)), Math.max(0, realDelay(ms)));
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
    return () => clearTimeout(timer);
  });
}
