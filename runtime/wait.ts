// wait and asCompleted: watch several tasks at once (asyncio.wait, asyncio.as_completed).
//
// `wait(items, { returnWhen, timeout })` resolves to `{ done, pending }`, two Sets of tasks:
//   "ALL_COMPLETED" (default)  when every task is done;
//   "FIRST_COMPLETED"          as soon as at least one is done;
//   "FIRST_EXCEPTION"          when a task fails with an error (cancellation does not count), else when all are done.
// With `timeout` (nominal ms) it resolves when the time is up whatever the state; it never throws TimeoutError and
// never cancels anything: the pending tasks keep running. Items are tasks, functions (started as tasks) or promises
// (wrapped in a task each, so they can be put in the sets). An empty list is a RangeError, as in asyncio.
// Tasks handed back in `done` count as seen: their failures are the caller's to inspect with result()/exception().
//
// `asCompleted(items, { timeout })` is an async iterable that yields the items themselves (tasks, or the given
// promises; functions become tasks) as they finish, earliest first, like Python 3.13's `async for`: await each one
// (or call result()) to get its value or error. With `timeout`, iteration throws TimeoutError once the time is up.
// Leaving the loop early (break) just stops watching; nothing is cancelled.
// Both are runtime awaits: cancelling the awaiting task rejects them with CancelledError and leaves the items alone.

import { realDelay } from "./clock.ts";
import { TimeoutError } from "./errors.ts";
import { toTaskOrPromise, type Awaitable, type AwaitedResult } from "./gather.ts";
import { createTask, markRetrieved, Task, waitable, whenDone } from "./task.ts";

export type ReturnWhen = "FIRST_COMPLETED" | "FIRST_EXCEPTION" | "ALL_COMPLETED";

export interface WaitOptions {
  returnWhen?: ReturnWhen;
  /** Nominal milliseconds; when they pass, wait resolves with whatever is done. */
  timeout?: number | null;
}

export interface WaitResult<T> {
  done: Set<Task<T>>;
  pending: Set<Task<T>>;
}

function failedWithError(task: Task<unknown>): boolean {
  return !task.cancelled() && task.exception() !== undefined;
}

/** Waits for tasks until `returnWhen` holds or `timeout` passes; see the module comment. */
export async function wait<A extends Awaitable>(items: Iterable<A>, options: WaitOptions = {}): Promise<WaitResult<AwaitedResult<A>>> {
  type T = AwaitedResult<A>;
  const returnWhen = options.returnWhen ?? "ALL_COMPLETED";
  if (returnWhen !== "ALL_COMPLETED" && returnWhen !== "FIRST_COMPLETED" && returnWhen !== "FIRST_EXCEPTION") {
    throw new RangeError(`invalid returnWhen: ${String(returnWhen)}`);
  }
  const tasks = new Set<Task<T>>();
  for (const item of items) {
    const taskOrPromise = toTaskOrPromise(item);
    tasks.add((taskOrPromise instanceof Task ? taskOrPromise : createTask(() => taskOrPromise)) as Task<T>);
  }
  if (tasks.size === 0) throw new RangeError("wait() needs at least one task");

  let notDone = 0;
  let failed = false;
  for (const task of tasks) {
    if (!task.done()) notDone++;
    else if (failedWithError(task)) failed = true;
  }
  const satisfied = (): boolean =>
    notDone === 0 ||
    (returnWhen === "FIRST_COMPLETED" && notDone < tasks.size) ||
    (returnWhen === "FIRST_EXCEPTION" && failed);

  if (!satisfied()) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let wake: (() => void) | undefined;
    const onDone = (task: Task<T>): void => {
      notDone--;
      if (failedWithError(task)) failed = true;
      if (satisfied()) wake?.();
    };
    try {
      await waitable<void>("wait", (resolve) => {
        wake = resolve;
        for (const task of tasks) if (!task.done()) whenDone(task, onDone, undefined);
        const ms = options.timeout;
        if (ms !== null && ms !== undefined && ms !== Infinity) timer = setTimeout(resolve, Math.max(0, realDelay(ms)));
      });
    } finally {
      // Stop watching: a task that fails after wait returned is no longer ours to have seen.
      wake = undefined;
      if (timer !== undefined) clearTimeout(timer);
      for (const task of tasks) if (!task.done()) task.removeDoneCallback(onDone);
    }
  }
  const done = new Set<Task<T>>();
  const pending = new Set<Task<T>>();
  for (const task of tasks) {
    if (task.done()) {
      markRetrieved(task);
      done.add(task);
    } else {
      pending.add(task);
    }
  }
  return { done, pending };
}

export interface AsCompletedOptions {
  /** Nominal milliseconds for the whole iteration; then it throws TimeoutError. */
  timeout?: number | null;
}

/** Yields the items as they finish, earliest first; see the module comment. */
export function asCompleted<T>(items: Iterable<Task<T> | (() => T | PromiseLike<T>)>, options?: AsCompletedOptions): AsyncIterableIterator<Task<Awaited<T>>>;
export function asCompleted<T>(items: Iterable<Awaitable<T>>, options?: AsCompletedOptions): AsyncIterableIterator<PromiseLike<Awaited<T>>>;
export function asCompleted<T>(items: Iterable<Awaitable<T>>, options: AsCompletedOptions = {}): AsyncIterableIterator<PromiseLike<T>> {
  return new AsCompleted<T>(items, options.timeout);
}

class AsCompleted<T> implements AsyncIterableIterator<PromiseLike<T>> {
  /** Finished items not yet handed out, in finishing order. */
  readonly #ready: PromiseLike<T>[] = [];
  #remaining: number;
  #deadline: ReturnType<typeof setTimeout> | undefined;
  #timedOut = false;
  #closed = false;
  /** The pending next() call's resolver, if the consumer is waiting. */
  #wake: (() => void) | undefined;
  readonly #watched: Task<T>[] = [];
  readonly #timeoutMs: number | null | undefined;

  constructor(items: Iterable<Awaitable<T>>, timeoutMs: number | null | undefined) {
    this.#timeoutMs = timeoutMs;
    const list = [...items].map((item) => toTaskOrPromise(item) as Task<T> | PromiseLike<T>);
    this.#remaining = list.length;
    for (const item of list) {
      if (item instanceof Task) {
        this.#watched.push(item);
        whenDone(item, this.#onTaskDone, undefined);
      } else {
        item.then(
          () => this.#arrived(item),
          () => this.#arrived(item),
        );
      }
    }
    if (timeoutMs !== null && timeoutMs !== undefined && timeoutMs !== Infinity && this.#remaining > 0) {
      this.#deadline = setTimeout(() => {
        this.#timedOut = true;
        this.#wake?.();
      }, Math.max(0, realDelay(timeoutMs)));
    }
  }

  readonly #onTaskDone = (task: Task<T>): void => {
    markRetrieved(task); // we hand it to the consumer, whose job it is to look at the outcome
    this.#arrived(task);
  };

  #arrived(item: PromiseLike<T>): void {
    if (this.#closed) return;
    this.#ready.push(item);
    this.#wake?.();
  }

  async next(): Promise<IteratorResult<PromiseLike<T>>> {
    while (true) {
      if (this.#closed) return { done: true, value: undefined };
      if (this.#ready.length > 0) {
        this.#remaining--;
        const value = this.#ready.shift()!;
        if (this.#remaining === 0) this.#close();
        return { done: false, value };
      }
      if (this.#remaining === 0) {
        this.#close();
        return { done: true, value: undefined };
      }
      if (this.#timedOut) {
        this.#close();
        throw new TimeoutError(`asCompleted timed out after ${this.#timeoutMs} ms`);
      }
      await waitable<void>("wait", (resolve) => {
        this.#wake = resolve;
        return () => (this.#wake = undefined);
      });
      this.#wake = undefined;
    }
  }

  async return(): Promise<IteratorResult<PromiseLike<T>>> {
    this.#close();
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#deadline !== undefined) clearTimeout(this.#deadline);
    for (const task of this.#watched) task.removeDoneCallback(this.#onTaskDone);
  }
}
