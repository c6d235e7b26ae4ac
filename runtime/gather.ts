// gather: run awaitables concurrently and collect their results in argument order (asyncio.gather).
//
// Semantics:
// - Items are tasks, promises (any PromiseLike), or functions, which are started as tasks. A trailing plain object
//   is the options: `gather(a, b, { returnExceptions: true })`.
// - Results come back in argument order, whatever order the items finish in.
// - Without returnExceptions the first failure rejects gather with that error at once, and the other items go on
//   running (they are not cancelled; their later failures are marked as seen, never reported as unhandled). A child
//   task that ends cancelled counts as a failure with CancelledError.
// - With returnExceptions, gather waits for every item and puts errors (CancelledError for cancelled children) in
//   the result array in place of values.
// - Cancelling the task that awaits gather cancels every child task that is not done; gather then rejects with
//   CancelledError once the cancellation has played out (after the first child ends cancelled, or after all of
//   them with returnExceptions). Plain promises cannot be cancelled; if no child could take the cancellation,
//   gather rejects with CancelledError at once.
// - `gather()` with no items resolves to [].

import { CancelledError } from "./errors.ts";
import { createTask, linkedWaitable, Task, whenDone } from "./task.ts";

export interface GatherOptions {
  /** Put errors in the result array instead of rejecting (asyncio's return_exceptions). */
  returnExceptions?: boolean;
}

/** What gather, wait, asCompleted and progress accept: a task, a promise, or a function to start as a task. */
export type Awaitable<T = unknown> = PromiseLike<T> | (() => T | PromiseLike<T>);

/** The value an Awaitable produces. */
export type AwaitedResult<A> = A extends () => infer R ? Awaited<R> : Awaited<A>;

type Results<I extends readonly unknown[]> = { -readonly [K in keyof I]: AwaitedResult<I[K]> };
type ResultsOrErrors<I extends readonly unknown[]> = { -readonly [K in keyof I]: AwaitedResult<I[K]> | Error };

export function gather<const I extends readonly Awaitable[]>(...items: I): Promise<Results<I>>;
export function gather<const I extends readonly Awaitable[]>(
  ...args: [...items: I, options: GatherOptions & { returnExceptions: true }]
): Promise<ResultsOrErrors<I>>;
export function gather<const I extends readonly Awaitable[]>(
  ...args: [...items: I, options: GatherOptions]
): Promise<Results<I> | ResultsOrErrors<I>>;
export function gather(...args: unknown[]): Promise<unknown[]> {
  let count = args.length;
  let returnExceptions = false;
  if (count > 0 && isOptions(args[count - 1])) {
    returnExceptions = (args[count - 1] as GatherOptions).returnExceptions === true;
    count--;
  }
  if (count === 0) return Promise.resolve([]);
  const children = new Array<Task<unknown> | PromiseLike<unknown>>(count);
  for (let i = 0; i < count; i++) children[i] = toTaskOrPromise(args[i]);

  const results = new Array<unknown>(count);
  let remaining = count;
  let outerDone = false;
  let cancelRequested = false;

  return linkedWaitable<unknown[]>(
    "wait",
    (resolve, reject) => {
      const settle = (index: number, ok: boolean, value: unknown): void => {
        if (outerDone) return;
        if (!ok && !returnExceptions) {
          outerDone = true;
          reject(value);
          return;
        }
        results[index] = value;
        if (--remaining === 0) {
          outerDone = true;
          if (cancelRequested) reject(new CancelledError());
          else resolve(results);
        }
      };
      // One shared done callback for all child tasks, the index riding along as its argument (no closure each).
      const onChildDone = (task: Task<unknown>, index: number): void => {
        let value: unknown;
        try {
          value = task.result(); // also marks a failure as seen, even when gather has already settled
        } catch (error) {
          settle(index, false, error);
          return;
        }
        settle(index, true, value);
      };
      for (let i = 0; i < count; i++) {
        const child = children[i]!;
        if (child instanceof Task) {
          whenDone(child, onChildDone, i);
        } else {
          child.then(
            (value) => settle(i, true, value),
            (error) => settle(i, false, error),
          );
        }
      }
    },
    (message) => {
      // Cancel every child; if none could take it (all plain promises or already done), cancel gather itself now.
      let forwarded = false;
      for (const child of children) if (child instanceof Task && child.cancel(message)) forwarded = true;
      if (forwarded) cancelRequested = true;
      return forwarded;
    },
    "gather",
  );
}

/** A trailing options object: a plain object that is neither a promise nor a function. */
function isOptions(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  if (typeof (value as PromiseLike<unknown>).then === "function") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Functions become tasks; tasks and promises pass through; anything else is a TypeError (like asyncio). */
export function toTaskOrPromise<T>(item: Awaitable<T> | unknown): Task<T> | PromiseLike<T> {
  if (typeof item === "function") return createTask(item as () => T);
  if (item !== null && typeof item === "object" && typeof (item as PromiseLike<T>).then === "function") {
    return item as PromiseLike<T>;
  }
  throw new TypeError(`expected a task, a promise or a function, got ${item === null ? "null" : typeof item}`);
}
