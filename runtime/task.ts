// Tasks: a function running concurrently on the event loop, with a name, a parent, and cooperative cancellation.
//
// Semantics (asyncio's Task, in TypeScript):
// - `createTask(fn, { name? })` schedules fn to start soon (like loop.call_soon: on a microtask, never inside the
//   createTask call) and returns its Task. A Task is PromiseLike: `await task` gives fn's value or throws its error.
//   Its name is the given one, else fn's name, else `Task-N`. `parent` is the task current at creation.
// - `task.cancel(msg?)` requests cancellation and returns false only when the task is already done. If the task is
//   inside a runtime await (sleep, acquire, get, put, wait, waitFor, toThread, gather, awaiting another task), that
//   await rejects with CancelledError(msg) and its cleanup runs (a queue forgets the waiter, a timer is cleared).
//   Otherwise the NEXT runtime await rejects at once. A task cancelled before it started never runs its function.
//   The task ends "cancelled" when fn ends by throwing CancelledError. A task that catches CancelledError and goes
//   on finishes normally; `finally` blocks run either way. As in asyncio, a task whose cancel request was never
//   delivered to any await (it finished first) still ends cancelled.
// - Awaiting a task from inside another task links them like asyncio: cancelling the awaiting task cancels the
//   awaited one and waits for it to finish, so its cleanup has run when CancelledError arrives (use `shield` to
//   opt out). Awaiting from outside any task is a plain promise await.
// - `cancelling()` / `uncancel()` count pending cancel requests, as timeouts and TaskGroup need to tell their own
//   cancellation from one that came from outside.
// - `currentSignal()` is an AbortSignal, created on first use, aborted (reason: CancelledError) when the current
//   task is cancelled: hand it to fetch, timers/promises, streams.
// - Failures nobody looks at are not swallowed. A task that fails while nobody has awaited it, attached `then`, or
//   called result()/exception() rejects a promise of its own with the error, at that moment. Node then applies its
//   usual unhandled-rejection rule (print and exit by default; the kernel prints it in the cell): exactly what an
//   un-awaited failing async function call does, at the cost of one promise for failing tasks only. Awaiting the
//   task later in the same turn of the event loop still counts as handling it. Cancellation is never reported.
//
// `waitable(kind, start, label?)` is the one primitive every runtime await is built on; see its comment.

import { runtimeContext, type Frame } from "./context.ts";
import { CancelledError, InvalidStateError, TimeoutError, isCancelledError } from "./errors.ts";
import { observerFailed, type TaskObserver, type TaskOutcome, type WaitKind } from "./trace.ts";

export interface TaskOptions {
  /** Shown in timelines and errors; default: fn's name, else `Task-N`. */
  name?: string;
}

type Callback = (task: Task<any>) => void;

// Task states. Plain numbers compare fastest and keep the object's shape small.
const PENDING = 0;
const SUCCEEDED = 1;
const FAILED = 2;
const CANCELLED = 3;
type State = typeof PENDING | typeof SUCCEEDED | typeof FAILED | typeof CANCELLED;

/** Every task not yet done, for allTasks() and the kernel's interrupt. */
const pendingTasks = new Set<Task<any>>();
let taskCounter = 0;

// Tasks start in batches: the first createTask of a turn queues one microtask that starts every task created
// before it runs. Cheaper than a microtask per task, and the same order.
let startQueue: Task<any>[] | undefined;
let startAll: (queue: Task<any>[]) => void;
function drainStartQueue(): void {
  const queue = startQueue!;
  startQueue = undefined;
  startAll(queue);
}

/**
 * One runtime await of one task: the bookkeeping that lets cancel() find it, undo it and reject it.
 * `forward`, when present, is asked to pass the cancellation on (to an awaited task or a gather's children);
 * if it does, the await is left to settle on its own once the cancelled work has finished.
 */
class Wait<V> {
  settled = false;
  cleanup: (() => void) | void = undefined;
  promise!: Promise<V>;
  resolve!: (value: V) => void;
  reject!: (error: unknown) => void;
  constructor(
    readonly task: Task<any>,
    readonly observer: TaskObserver | undefined,
    readonly forward: ((message: string | undefined) => boolean) | undefined,
  ) {}

  /** Marks the wait over; false when it already was (late resolves after a cancel are ignored). */
  end(): boolean {
    if (this.settled) return false;
    this.settled = true;
    removeWait(this.task, this);
    const observer = this.observer;
    if (observer !== undefined) {
      try {
        observer.waitEnded(this.task);
      } catch (error) {
        observerFailed(error);
      }
    }
    return true;
  }

  cancel(message: string | undefined): void {
    if (this.settled) return;
    if (this.forward !== undefined && this.forward(message)) return;
    this.end();
    try {
      this.cleanup?.();
    } finally {
      // A task may hold awaits it never awaits (a pending sleep it dropped): their cancellation must not become an
      // unhandled rejection, so mark the promise handled. Whoever does await it still sees the CancelledError.
      this.promise.catch(noop);
      this.reject(new CancelledError(message));
    }
  }
}

function noop(): void {}

let removeWait: (task: Task<any>, wait: Wait<any>) => void;
let suspendTask: <V>(
  task: Task<any>,
  kind: WaitKind,
  start: (resolve: (value: V) => void, reject: (error: unknown) => void) => (() => void) | void,
  label: string | undefined,
  forward: ((message: string | undefined) => boolean) | undefined,
  observer: TaskObserver | undefined,
) => Promise<V>;
let markRetrievedImpl: (task: Task<any>) => void;

/** A function running concurrently as a task. Create one with `createTask`. */
export class Task<T = unknown> implements PromiseLike<T> {
  /** The task that was current when this one was created. */
  readonly parent: Task<unknown> | undefined;
  readonly #fn: (() => T | PromiseLike<T>) | undefined;
  readonly #frame: Frame;
  readonly #number: number;
  #name: string | undefined;
  #state: State = PENDING;
  #started = false;
  #value: T | undefined = undefined;
  #error: unknown = undefined;
  #cancelRequests = 0;
  #cancelMessage: string | undefined = undefined;
  /** A cancel was requested while no await could take it: the next await (or the end) delivers it. */
  #mustCancel = false;
  /** Runtime awaits in progress: usually one, so one slot plus a set for the rare overlap. */
  #wait: Wait<any> | undefined = undefined;
  #moreWaits: Set<Wait<any>> | undefined = undefined;
  #callbacks: Callback | Callback[] | undefined = undefined;
  /** The promise `then` hands out, created on first need. */
  #promise: Promise<T> | undefined = undefined;
  #settlePromise: ((task: Task<any>) => void) | undefined = undefined;
  #retrieved = false;
  #controller: AbortController | undefined = undefined;

  constructor(fn: () => T | PromiseLike<T>, options?: TaskOptions) {
    if (typeof fn !== "function") throw new TypeError("createTask expects a function (a started promise cannot join a task)");
    const frame = runtimeContext.getStore();
    this.parent = frame?.task;
    this.#fn = fn;
    this.#number = ++taskCounter;
    this.#name = options?.name ?? (fn.name || undefined);
    this.#frame = { task: this, observer: frame?.observer };
    pendingTasks.add(this);
    if (startQueue === undefined) {
      startQueue = [this];
      queueMicrotask(drainStartQueue);
    } else {
      startQueue.push(this);
    }
  }

  static {
    startAll = (queue) => {
      for (let i = 0; i < queue.length; i++) queue[i]!.#start();
    };
    removeWait = (task, wait) => {
      if (task.#wait === wait) task.#wait = undefined;
      else task.#moreWaits?.delete(wait);
    };
    suspendTask = (task, kind, start, label, forward, observer) => task.#suspend(kind, start, label, forward, observer);
    markRetrievedImpl = (task) => {
      task.#retrieved = true;
    };
  }

  /** The task's name: given, else its function's name, else `Task-N`. */
  get name(): string {
    return (this.#name ??= `Task-${this.#number}`);
  }

  /** The timeline observer this task reports to, if it was created under one. */
  get observer(): TaskObserver | undefined {
    return this.#frame.observer;
  }

  /** True once the task has a result, an error, or was cancelled. */
  done(): boolean {
    return this.#state !== PENDING;
  }

  /** True when the task ended by cancellation. */
  cancelled(): boolean {
    return this.#state === CANCELLED;
  }

  /** How the task ended (undefined while pending): what the timeline draws. */
  get outcome(): TaskOutcome | undefined {
    switch (this.#state) {
      case PENDING:
        return undefined;
      case SUCCEEDED:
        return "ok";
      case CANCELLED:
        return "cancelled";
      default:
        return this.#error instanceof TimeoutError ? "timeout" : "error";
    }
  }

  /** fn's value; throws fn's error, CancelledError if cancelled, InvalidStateError if not done yet. */
  result(): T {
    if (this.#state === PENDING) throw new InvalidStateError(`Task ${this.name} is not done`);
    this.#retrieved = true;
    if (this.#state === SUCCEEDED) return this.#value as T;
    throw this.#error;
  }

  /** fn's error, or undefined if it succeeded; throws CancelledError if cancelled, InvalidStateError if pending. */
  exception(): unknown {
    if (this.#state === PENDING) throw new InvalidStateError(`Task ${this.name} is not done`);
    this.#retrieved = true;
    if (this.#state === CANCELLED) throw this.#error;
    return this.#state === FAILED ? this.#error : undefined;
  }

  /**
   * Requests cancellation (see the module comment). Returns false if the task is already done, else true; a true
   * return does not promise the task will end cancelled, since its code may catch CancelledError.
   */
  cancel(message?: string): boolean {
    if (this.#state !== PENDING) return false;
    this.#cancelRequests++;
    this.#cancelMessage = message;
    const controller = this.#controller;
    if (controller !== undefined && !controller.signal.aborted) controller.abort(new CancelledError(message));
    if (this.#started && this.#deliverCancel(message)) return true;
    this.#mustCancel = true;
    return true;
  }

  /** Number of cancel requests not yet withdrawn by uncancel(). */
  cancelling(): number {
    return this.#cancelRequests;
  }

  /** Withdraws one cancel request (for timeouts and task groups that absorb their own cancellation). */
  uncancel(): number {
    if (this.#cancelRequests > 0) {
      this.#cancelRequests--;
      if (this.#cancelRequests === 0) this.#mustCancel = false;
    }
    return this.#cancelRequests;
  }

  /** Aborted when this task is cancelled; created on first access, so tasks that never ask pay nothing. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#cancelRequests > 0 && this.#state === PENDING) this.#controller.abort(new CancelledError(this.#cancelMessage));
    }
    return this.#controller.signal;
  }

  /**
   * Calls fn(task) when the task is done (right away on a microtask if it already is). Registering a callback does
   * not count as retrieving a failure: call result() or exception() in it.
   */
  addDoneCallback(fn: (task: Task<T>) => void): void {
    if (this.#state !== PENDING) {
      queueMicrotask(() => fn(this));
      return;
    }
    this.#addCallback(fn as Callback);
  }

  /** Removes every registration of fn; returns how many there were. */
  removeDoneCallback(fn: (task: Task<T>) => void): number {
    const callbacks = this.#callbacks;
    if (callbacks === undefined) return 0;
    if (typeof callbacks === "function") {
      if (callbacks !== fn) return 0;
      this.#callbacks = undefined;
      return 1;
    }
    const kept = callbacks.filter((cb) => cb !== fn);
    this.#callbacks = kept;
    return callbacks.length - kept.length;
  }

  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#promiseForAwaiter().then(onfulfilled, onrejected);
  }

  catch<R = never>(onrejected?: ((reason: any) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#promiseForAwaiter().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#promiseForAwaiter().finally(onfinally);
  }

  get [Symbol.toStringTag](): string {
    return "Task";
  }

  toString(): string {
    const state = ["pending", "done", "failed", "cancelled"][this.#state];
    return `Task<${this.name} ${state}>`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  // ---- internals ----

  #start(): void {
    this.#started = true;
    const observer = this.#frame.observer;
    if (observer !== undefined) {
      try {
        observer.taskStarted(this);
      } catch (error) {
        observerFailed(error);
      }
    }
    if (this.#mustCancel) {
      // Cancelled before its first step: like a coroutine that gets CancelledError thrown in before it began.
      this.#mustCancel = false;
      this.#finish(CANCELLED, undefined, new CancelledError(this.#cancelMessage));
      return;
    }
    let result: T | PromiseLike<T>;
    try {
      result = runtimeContext.run(this.#frame, this.#fn!);
    } catch (error) {
      this.#failed(error);
      return;
    }
    if (result !== null && typeof (result as PromiseLike<T>)?.then === "function") {
      (result as PromiseLike<T>).then(
        (value) => this.#succeeded(value),
        (error) => this.#failed(error),
      );
    } else {
      this.#succeeded(result as T);
    }
  }

  #succeeded(value: T): void {
    if (this.#mustCancel) {
      this.#mustCancel = false;
      this.#finish(CANCELLED, undefined, new CancelledError(this.#cancelMessage));
    } else {
      this.#finish(SUCCEEDED, value, undefined);
    }
  }

  #failed(error: unknown): void {
    this.#mustCancel = false;
    this.#finish(isCancelledError(error) ? CANCELLED : FAILED, undefined, error);
  }

  #finish(state: State, value: T | undefined, error: unknown): void {
    if (this.#state !== PENDING) return;
    this.#state = state;
    this.#value = value;
    this.#error = error;
    pendingTasks.delete(this);
    this.#settlePromise?.(this);
    const callbacks = this.#callbacks;
    if (callbacks !== undefined) {
      this.#callbacks = undefined;
      if (typeof callbacks === "function") this.#runCallback(callbacks);
      else for (const callback of callbacks) this.#runCallback(callback);
    }
    if (state === FAILED && !this.#retrieved && this.#promise === undefined) {
      // Nobody is looking: hand the error to Node's unhandled-rejection machinery (see the module comment).
      this.#promise = Promise.reject(error);
    }
    const observer = this.#frame.observer;
    if (observer !== undefined) {
      try {
        observer.taskFinished(this, this.outcome!);
      } catch (e) {
        observerFailed(e);
      }
    }
  }

  #runCallback(callback: Callback): void {
    try {
      callback(this);
    } catch (error) {
      // A broken callback is a bug; surface it like an uncaught exception rather than lose it.
      queueMicrotask(() => {
        throw error;
      });
    }
  }

  #addCallback(callback: Callback): void {
    const callbacks = this.#callbacks;
    if (callbacks === undefined) this.#callbacks = callback;
    else if (typeof callbacks === "function") this.#callbacks = [callbacks, callback];
    else callbacks.push(callback);
  }

  /** The settled-or-settling promise of this task's outcome, created on first need. */
  #ownPromise(): Promise<T> {
    this.#retrieved = true;
    if (this.#promise !== undefined) return this.#promise;
    switch (this.#state) {
      case SUCCEEDED:
        return (this.#promise = Promise.resolve(this.#value as T));
      case FAILED:
      case CANCELLED:
        return (this.#promise = Promise.reject(this.#error));
    }
    return (this.#promise = new Promise<T>((resolve, reject) => {
      this.#settlePromise = (task) => (task.#state === SUCCEEDED ? resolve(task.#value as T) : reject(task.#error));
    }));
  }

  /**
   * What `await task` gets. From inside another pending task, a linked runtime await (cancelling the awaiter
   * cancels this task and waits for it); otherwise the plain outcome promise.
   */
  #promiseForAwaiter(): Promise<T> {
    this.#retrieved = true;
    if (this.#state === PENDING) {
      const frame = runtimeContext.getStore();
      const awaiter = frame?.task;
      if (awaiter === this) return Promise.reject(new InvalidStateError(`Task ${this.name} cannot await itself`));
      if (awaiter !== undefined && awaiter.#state === PENDING) {
        return awaiter.#suspend<T>(
          "wait",
          (resolve, reject) => {
            const onDone = (task: Task<T>) => (task.#state === SUCCEEDED ? resolve(task.#value as T) : reject(task.#error));
            this.#addCallback(onDone as Callback);
            return () => this.removeDoneCallback(onDone);
          },
          this.name,
          (message) => this.cancel(message),
          frame!.observer,
        );
      }
    }
    return this.#ownPromise();
  }

  /** Delivers a cancel request to the awaits in progress; false when there are none. */
  #deliverCancel(message: string | undefined): boolean {
    const first = this.#wait;
    const more = this.#moreWaits;
    if (first === undefined && (more === undefined || more.size === 0)) return false;
    first?.cancel(message);
    if (more !== undefined) for (const wait of [...more]) wait.cancel(message);
    return true;
  }

  #suspend<V>(
    kind: WaitKind,
    start: (resolve: (value: V) => void, reject: (error: unknown) => void) => (() => void) | void,
    label: string | undefined,
    forward: ((message: string | undefined) => boolean) | undefined,
    observer: TaskObserver | undefined,
  ): Promise<V> {
    if (this.#mustCancel) {
      this.#mustCancel = false;
      return Promise.reject(new CancelledError(this.#cancelMessage));
    }
    const wait = new Wait<V>(this, observer, forward);
    const promise = new Promise<V>((resolve, reject) => {
      wait.resolve = resolve;
      wait.reject = reject;
    });
    wait.promise = promise;
    if (this.#wait === undefined) this.#wait = wait;
    else (this.#moreWaits ??= new Set()).add(wait);
    if (observer !== undefined) {
      try {
        observer.waitStarted(this, kind, label);
      } catch (error) {
        observerFailed(error);
      }
    }
    try {
      wait.cleanup = start(
        (value) => {
          if (wait.end()) wait.resolve(value);
        },
        (error) => {
          if (wait.end()) wait.reject(error);
        },
      );
    } catch (error) {
      if (wait.end()) wait.reject(error);
    }
    return promise;
  }
}

/**
 * Creates the promise of one runtime await (the contract runtime-sync and every awaitable build on).
 * `start(resolve, reject)` begins the operation and may return a cleanup that undoes it (e.g. removes the waiter
 * from a queue). Inside a task the promise becomes one of the task's current waits: `task.cancel()` runs the cleanup
 * and rejects the promise with CancelledError; a cancel requested while the task was not waiting rejects the next
 * waitable at once, without calling start. The wait is reported to the timeline observer, if any, as `kind`.
 * Outside a task it is a plain promise. Resolving after a cancel is ignored, so cleanups may be best-effort.
 */
export function waitable<T>(
  kind: WaitKind,
  start: (resolve: (value: T) => void, reject: (error: unknown) => void) => (() => void) | void,
  label?: string,
): Promise<T> {
  const frame = runtimeContext.getStore();
  const task = frame?.task;
  if (task === undefined || task.done()) {
    return new Promise<T>((resolve, reject) => {
      start(resolve, reject);
    });
  }
  return suspendTask(task, kind, start, label, undefined, frame!.observer);
}

/**
 * Like waitable, for awaits over other cancellable work (awaiting a task, gather): on cancel, `forward(msg)` is
 * asked to cancel that work; if it returns true the await settles when that work ends (asyncio's behaviour),
 * otherwise it is cancelled at once like any waitable. Runtime-internal.
 */
export function linkedWaitable<T>(
  kind: WaitKind,
  start: (resolve: (value: T) => void, reject: (error: unknown) => void) => (() => void) | void,
  forward: (message: string | undefined) => boolean,
  label?: string,
): Promise<T> {
  const frame = runtimeContext.getStore();
  const task = frame?.task;
  if (task === undefined || task.done()) {
    return new Promise<T>((resolve, reject) => {
      start(resolve, reject);
    });
  }
  return suspendTask(task, kind, start, label, forward, frame!.observer);
}

/** Marks a task's failure as looked at, so it is not reported as unhandled (wait/asCompleted hand tasks back). */
export function markRetrieved(task: Task<any>): void {
  markRetrievedImpl(task);
}

/** Runs fn as a new Task (started on a microtask, never synchronously). */
export function createTask<T>(fn: () => T | PromiseLike<T>, options?: TaskOptions): Task<Awaited<T>> {
  return new Task(fn as () => Awaited<T> | PromiseLike<Awaited<T>>, options);
}

/** The task whose code is running, or undefined outside any task. */
export function currentTask(): Task<unknown> | undefined {
  return runtimeContext.getStore()?.task;
}

/** Every task that is not done yet (a new Set each call). */
export function allTasks(): Set<Task<unknown>> {
  return new Set(pendingTasks);
}

const neverAborted = new AbortController().signal;

/**
 * An AbortSignal aborted (reason: CancelledError) when the current task is cancelled, for fetch and other
 * AbortSignal-aware APIs. Outside any task, a signal that never aborts.
 */
export function currentSignal(): AbortSignal {
  return runtimeContext.getStore()?.task?.signal ?? neverAborted;
}
