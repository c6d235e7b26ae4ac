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
//   delivered to any await (it finished first) still ends cancelled. A second cancel() that arrives while the first
//   one's CancelledError is still on its way into the task merges with it, so cleanup awaits in `finally` work.
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

import { reasonOf, taskStep, type Call } from "./call.ts";
import { runtimeContext, type Frame, type Lane } from "./context.ts";
import { CancelledError, InvalidStateError, TimeoutError, isCancelledError } from "./errors.ts";
import { observerFailed, type TaskObserver, type TaskOutcome, type WaitKind } from "./trace.ts";

export interface TaskOptions {
  /** Shown in timelines and errors; default: fn's name, else `Task-N`. */
  name?: string;
}

/** A done callback; `arg` lets one shared function serve many tasks without a closure each. */
type Callback = (task: Task<any>, arg: any) => void;

// Task states. Plain numbers compare fastest and keep the object small.
const PENDING = 0;
const SUCCEEDED = 1;
const FAILED = 2;
const CANCELLED = 3;
type State = typeof PENDING | typeof SUCCEEDED | typeof FAILED | typeof CANCELLED;

// Flag bits, packed into one field: a task is an object we make a hundred thousand of.
const STARTED = 1;
/** A cancel was requested while no await could take it: the next await (or the end) delivers it. */
const MUST_CANCEL = 2;
/** Someone awaited the task or asked for its result/exception: a failure is theirs to handle. */
const RETRIEVED = 4;
/**
 * A cancel has just rejected one of the task's awaits and the CancelledError is on its way into the task's code.
 * Further cancel() calls until the task's next await (or the next turn of the loop) merge into it, as asyncio's do
 * while the task has not resumed: so a double cancel (the kernel cancels a child and, through gather, its parent
 * cancels it again) does not also break the child's cleanup awaits.
 */
const CANCEL_IN_FLIGHT = 8;

let taskCounter = 0;

/**
 * Real ms a task's first step may go on after its one traced call returned, and still be that call. As long as
 * the stall threshold (50 ms, below which a timeline draws no work of its own): at 1 ms a busy machine's pause
 * between the call's return and the step's end split `createTask(() => download(f), { name: f })` in two lanes.
 */
const BODY_SLACK_MS = 50;

// Tasks start in batches: the first createTask of a turn queues one microtask that starts every task created
// before it runs. Cheaper than a microtask per task, and the same order.
// The queue holds (task, fn) pairs, so a task never keeps its function after it has started.
let startQueue: unknown[] | undefined;
let startAll: (queue: unknown[]) => void;
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
export class Wait<V> {
  settled = false;
  cleanup: (() => void) | void = undefined;
  promise!: Promise<V>;
  resolve!: (value: V) => void;
  reject!: (error: unknown) => void;
  constructor(
    readonly task: Task<any>,
    /** Where the wait is drawn: the task, or the traced call inside it that waits. */
    readonly lane: Lane,
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
        observer.waitEnded(this.lane);
      } catch (error) {
        observerFailed(error);
      }
    }
    return true;
  }

  /**
   * The wait goes on as another kind (a thread job that waited for a free worker starts running in one): the
   * timeline sees one wait end and the next begin, at this moment.
   */
  becomes(kind: WaitKind, label?: string): void {
    const observer = this.observer;
    if (this.settled || observer === undefined) return;
    try {
      observer.waitEnded(this.lane);
      observer.waitStarted(this.lane, kind, label);
    } catch (error) {
      observerFailed(error);
    }
  }

  /** Resolves the await unless it already ended (the shape sleep(0)'s batch calls directly). */
  finish(value: V): void {
    if (this.end()) this.resolve(value);
  }

  /** Rejects the await unless it already ended. */
  fail(error: unknown): void {
    if (this.end()) this.reject(error);
  }

  cancel(message: string | undefined): void {
    if (this.settled) return;
    if (this.forward !== undefined && this.forward(message)) return;
    this.end();
    markCancelInFlight(this.task);
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
const promiseThen = Promise.prototype.then;

// Module functions that reach a task's private state, assigned by Task's static blocks: the runtime's other
// modules use them through the exported wrappers below, and none of it shows on the public class.
let removeWait: (task: Task<any>, wait: Wait<any>) => void;
let beginWait: <V>(
  task: Task<any>,
  kind: WaitKind,
  label: string | undefined,
  forward: ((message: string | undefined) => boolean) | undefined,
  frame: Frame,
) => Wait<V> | Promise<V>;
let markRetrievedImpl: (task: Task<any>) => void;
let markCancelInFlight: (task: Task<any>) => void;
let runStep: (task: Task<any>, fn: () => unknown) => void;
let succeededInContext: (value: unknown) => void;
let failedInContext: (error: unknown) => void;
let takePendingCancelImpl: (task: Task<any>) => Promise<never> | undefined;
let creatorLaneImpl: (task: Task<any>) => Lane | undefined;
let whenDoneImpl: <A>(task: Task<any>, callback: (task: Task<any>, arg: A) => void, arg: A) => void;

// Pending tasks form an intrusive doubly linked list (for allTasks and the kernel's interrupt): no hashing and no
// table to grow when a hundred thousand tasks start at once.
let firstPending: Task<any> | undefined;
let listAll: () => Set<Task<unknown>>;

interface Extra<T> {
  cancelMessage?: string | undefined;
  controller?: AbortController;
  /** The promise `then` hands out outside tasks (or that reports an unseen failure). */
  promise?: Promise<T>;
  /** The traced call the task was created in, when it was (a timeline nests the task under it). */
  creator?: Call;
}

/** A function running concurrently as a task. Create one with `createTask`. */
export class Task<T = unknown> implements PromiseLike<T>, Frame {
  /** The task that was current when this one was created. */
  readonly parent: Task<unknown> | undefined;
  /** The timeline observer this task reports to, if it was created under one. */
  readonly observer: TaskObserver | undefined;
  /** The given name, or the task's number until `name` first formats `Task-N`. */
  #name: string | number;
  #state: State = PENDING;
  #flags = 0;
  /** fn's value, or the error that ended the task. */
  #result: unknown = undefined;
  #cancelRequests = 0;
  /** Runtime awaits in progress: usually one, a Set in the rare case of overlapping awaits. */
  #waits: Wait<any> | Set<Wait<any>> | undefined = undefined;
  /** Done callbacks: one function (with #callbackArg), or an array of function, argument pairs. */
  #callbacks: Callback | unknown[] | undefined = undefined;
  #callbackArg: unknown = undefined;
  /** What few tasks need (a cancel message, an AbortController, an outcome promise), allocated on first need. */
  #extra: Extra<T> | undefined = undefined;
  #prev: Task<any> | undefined = undefined;
  #next: Task<any> | undefined = undefined;

  constructor(fn: () => T | PromiseLike<T>, options?: TaskOptions) {
    if (typeof fn !== "function") throw new TypeError("createTask expects a function (a started promise cannot join a task)");
    const frame = runtimeContext.getStore();
    this.parent = frame?.task;
    this.observer = frame?.observer;
    // Only while a timeline records can the lane be a call: otherwise this costs one comparison.
    if (frame !== undefined && frame.lane !== frame.task) this.#ext().creator = frame.lane as Call;
    ++taskCounter;
    this.#name = options?.name ?? (fn.name || taskCounter);
    const head = firstPending;
    if (head !== undefined) {
      head.#prev = this;
      this.#next = head;
    }
    firstPending = this;
    if (startQueue === undefined) {
      startQueue = [this, fn];
      queueMicrotask(drainStartQueue);
    } else {
      startQueue.push(this, fn);
    }
  }

  static {
    startAll = (queue) => {
      for (let i = 0; i < queue.length; i += 2) (queue[i] as Task<any>).#start(queue[i + 1] as () => unknown);
    };
    removeWait = (task, wait) => {
      const waits = task.#waits;
      if (waits === wait) task.#waits = undefined;
      else if (waits instanceof Set) waits.delete(wait);
    };
    beginWait = (task, kind, label, forward, frame) => task.#beginWait(kind, label, forward, frame);
    creatorLaneImpl = (task) => task.#extra?.creator ?? task.parent;
    markRetrievedImpl = (task) => {
      task.#flags |= RETRIEVED;
    };
    markCancelInFlight = (task) => {
      if ((task.#flags & CANCEL_IN_FLIGHT) !== 0) return;
      task.#flags |= CANCEL_IN_FLIGHT;
      setImmediate(() => (task.#flags &= ~CANCEL_IN_FLIGHT));
    };
    listAll = () => {
      const tasks = new Set<Task<unknown>>();
      for (let task = firstPending; task !== undefined; task = task.#next) tasks.add(task);
      return tasks;
    };
  }

  /** A task is its own async-context frame: code running in it sees itself as the current task. */
  get task(): Task<unknown> {
    return this;
  }

  /** ... and its own lane in a timeline. */
  get lane(): Task<unknown> {
    return this;
  }

  /** The task's name: given, else its function's name, else `Task-N`. */
  get name(): string {
    const name = this.#name;
    return typeof name === "string" ? name : (this.#name = `Task-${name}`);
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
        return this.#result instanceof TimeoutError ? "timeout" : "error";
    }
  }

  /** fn's value; throws fn's error, CancelledError if cancelled, InvalidStateError if not done yet. */
  result(): T {
    if (this.#state === PENDING) throw new InvalidStateError(`Task ${this.name} is not done`);
    this.#flags |= RETRIEVED;
    if (this.#state === SUCCEEDED) return this.#result as T;
    throw this.#result;
  }

  /** fn's error, or undefined if it succeeded; throws CancelledError if cancelled, InvalidStateError if pending. */
  exception(): unknown {
    if (this.#state === PENDING) throw new InvalidStateError(`Task ${this.name} is not done`);
    this.#flags |= RETRIEVED;
    if (this.#state === CANCELLED) throw this.#result;
    return this.#state === FAILED ? this.#result : undefined;
  }

  /**
   * Requests cancellation (see the module comment). Returns false if the task is already done, else true; a true
   * return does not promise the task will end cancelled, since its code may catch CancelledError.
   */
  cancel(message?: string): boolean {
    if (this.#state !== PENDING) return false;
    this.#cancelRequests++;
    const extra = message === undefined ? this.#extra : this.#ext();
    if (extra !== undefined) extra.cancelMessage = message;
    const controller = extra?.controller;
    if (controller !== undefined && !controller.signal.aborted) controller.abort(new CancelledError(message));
    if ((this.#flags & CANCEL_IN_FLIGHT) !== 0) return true;
    if ((this.#flags & STARTED) !== 0 && this.#deliverCancel(message)) return true;
    this.#flags |= MUST_CANCEL;
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
      if (this.#cancelRequests === 0) this.#flags &= ~MUST_CANCEL;
    }
    return this.#cancelRequests;
  }

  /** Aborted when this task is cancelled; created on first access, so tasks that never ask pay nothing. */
  get signal(): AbortSignal {
    const extra = this.#ext();
    if (extra.controller === undefined) {
      extra.controller = new AbortController();
      if (this.#cancelRequests > 0 && this.#state === PENDING) extra.controller.abort(new CancelledError(extra.cancelMessage));
    }
    return extra.controller.signal;
  }

  /**
   * Calls fn(task) when the task is done (on a microtask if it already is). Registering a callback does not count
   * as retrieving a failure: call result() or exception() in it.
   */
  addDoneCallback(fn: (task: Task<T>) => void): void {
    if (this.#state !== PENDING) {
      queueMicrotask(() => fn(this));
      return;
    }
    this.#addCallback(fn as Callback, undefined);
  }

  /** Removes every registration of fn; returns how many there were. */
  removeDoneCallback(fn: (task: Task<T>) => void): number {
    const callbacks = this.#callbacks;
    if (callbacks === undefined) return 0;
    if (typeof callbacks === "function") {
      if (callbacks !== fn) return 0;
      this.#callbacks = this.#callbackArg = undefined;
      return 1;
    }
    const kept: unknown[] = [];
    for (let i = 0; i < callbacks.length; i += 2) if (callbacks[i] !== fn) kept.push(callbacks[i], callbacks[i + 1]);
    this.#callbacks = kept;
    return (callbacks.length - kept.length) / 2;
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

  #ext(): Extra<T> {
    return (this.#extra ??= {});
  }

  #cancelledError(): CancelledError {
    return new CancelledError(this.#extra?.cancelMessage);
  }

  #start(fn: () => unknown): void {
    this.#flags |= STARTED;
    const observer = this.observer;
    if (observer !== undefined) {
      try {
        observer.taskStarted(this);
      } catch (error) {
        observerFailed(error);
      }
    }
    if ((this.#flags & MUST_CANCEL) !== 0) {
      // Cancelled before its first step: like a coroutine that gets CancelledError thrown in before it began.
      this.#flags &= ~MUST_CANCEL;
      this.#finish(CANCELLED, this.#cancelledError());
      return;
    }
    runtimeContext.run(this, runStep, this, fn);
  }

  static {
    // The first step of every task, run inside the task's context. For a native promise result the handlers are
    // two shared functions, not two closures per task: a promise reaction runs in the async context where `then`
    // was called, so the handler finds its task as the current one.
    runStep = (task, fn) => {
      let result: unknown;
      // While a timeline records, count the traced calls of this step: one means the task is that call.
      const traced = task.observer !== undefined;
      if (traced) {
        taskStep.task = task;
        taskStep.calls = 0;
      }
      try {
        result = fn();
      } catch (error) {
        if (traced) taskStep.task = taskStep.first = undefined;
        task.#failed(error);
        return;
      }
      if (traced) {
        // The step made one call and did nothing measurable after it: the task's function may be that call.
        const body = taskStep.calls === 1 && performance.now() - taskStep.returned < BODY_SLACK_MS ? taskStep.first : undefined;
        taskStep.task = taskStep.first = undefined;
        if (body !== undefined) {
          try {
            task.observer!.taskBody?.(task, body);
          } catch (error) {
            observerFailed(error);
          }
        }
      }
      if (result instanceof Promise && result.then === promiseThen) {
        result.then(succeededInContext, failedInContext);
      } else if (result !== null && typeof (result as PromiseLike<unknown>)?.then === "function") {
        (result as PromiseLike<unknown>).then(
          (value) => task.#succeeded(value),
          (error) => task.#failed(error),
        );
      } else {
        task.#succeeded(result);
      }
    };
    succeededInContext = (value) => (runtimeContext.getStore() as Task<any>).#succeeded(value);
    failedInContext = (error) => (runtimeContext.getStore() as Task<any>).#failed(error);
    takePendingCancelImpl = (task) => {
      if ((task.#flags & MUST_CANCEL) === 0) return undefined;
      task.#flags &= ~MUST_CANCEL;
      return Promise.reject(task.#cancelledError());
    };
    whenDoneImpl = (task, callback, arg) => {
      if (task.#state === PENDING) task.#addCallback(callback, arg);
      else callback(task, arg);
    };
  }

  #succeeded(value: T): void {
    if ((this.#flags & MUST_CANCEL) !== 0) {
      this.#flags &= ~MUST_CANCEL;
      this.#finish(CANCELLED, this.#cancelledError());
    } else {
      this.#finish(SUCCEEDED, value);
    }
  }

  #failed(error: unknown): void {
    this.#flags &= ~MUST_CANCEL;
    this.#finish(isCancelledError(error) ? CANCELLED : FAILED, error);
  }

  #finish(state: State, result: unknown): void {
    if (this.#state !== PENDING) return;
    this.#state = state;
    this.#result = result;
    // Unlink from the pending list.
    const prev = this.#prev;
    const next = this.#next;
    if (prev === undefined) firstPending = next;
    else prev.#next = next;
    if (next !== undefined) next.#prev = prev;
    this.#prev = this.#next = undefined;

    const callbacks = this.#callbacks;
    if (callbacks !== undefined) {
      const arg = this.#callbackArg;
      this.#callbacks = this.#callbackArg = undefined;
      if (typeof callbacks === "function") this.#runCallback(callbacks, arg);
      else for (let i = 0; i < callbacks.length; i += 2) this.#runCallback(callbacks[i] as Callback, callbacks[i + 1]);
    }
    if (state === FAILED && (this.#flags & RETRIEVED) === 0 && this.#extra?.promise === undefined) {
      // Nobody is looking: hand the error to Node's unhandled-rejection machinery (see the module comment).
      this.#ext().promise = Promise.reject(result);
    }
    const observer = this.observer;
    if (observer !== undefined) {
      try {
        observer.taskFinished(this, this.outcome!, state === SUCCEEDED ? undefined : reasonOf(result));
      } catch (e) {
        observerFailed(e);
      }
    }
  }

  #runCallback(callback: Callback, arg: unknown): void {
    try {
      callback(this, arg);
    } catch (error) {
      // A broken callback is a bug; surface it like an uncaught exception rather than lose it.
      queueMicrotask(() => {
        throw error;
      });
    }
  }

  #addCallback(callback: Callback, arg: unknown): void {
    const callbacks = this.#callbacks;
    if (callbacks === undefined) {
      this.#callbacks = callback;
      this.#callbackArg = arg;
    } else if (typeof callbacks === "function") {
      this.#callbacks = [callbacks, this.#callbackArg, callback, arg];
      this.#callbackArg = undefined;
    } else {
      callbacks.push(callback, arg);
    }
  }

  /** The settled-or-settling promise of this task's outcome, created on first need. */
  #ownPromise(): Promise<T> {
    const extra = this.#ext();
    if (extra.promise !== undefined) return extra.promise;
    switch (this.#state) {
      case SUCCEEDED:
        return (extra.promise = Promise.resolve(this.#result as T));
      case FAILED:
      case CANCELLED:
        return (extra.promise = Promise.reject(this.#result));
    }
    return (extra.promise = new Promise<T>((resolve, reject) => {
      this.#addCallback((task) => (task.#state === SUCCEEDED ? resolve(task.#result as T) : reject(task.#result)), undefined);
    }));
  }

  /**
   * What `await task` gets. From inside another pending task, a linked runtime await (cancelling the awaiter
   * cancels this task and waits for it); otherwise the plain outcome promise.
   */
  #promiseForAwaiter(): Promise<T> {
    this.#flags |= RETRIEVED;
    if (this.#state === PENDING) {
      const frame = runtimeContext.getStore();
      const awaiter = frame?.task;
      if (awaiter === this) return Promise.reject(new InvalidStateError(`Task ${this.name} cannot await itself`));
      if (awaiter !== undefined && awaiter.#state === PENDING) {
        const wait = awaiter.#beginWait<T>("wait", this.name, (message) => this.cancel(message), frame!);
        if (wait instanceof Promise) return wait;
        const onDone = (task: Task<any>) => (task.#state === SUCCEEDED ? wait.finish(task.#result as T) : wait.fail(task.#result));
        this.#addCallback(onDone, undefined);
        wait.cleanup = () => this.removeDoneCallback(onDone);
        return wait.promise;
      }
    }
    return this.#ownPromise();
  }

  /** Delivers a cancel request to the awaits in progress; false when there are none. */
  #deliverCancel(message: string | undefined): boolean {
    const waits = this.#waits;
    if (waits === undefined) return false;
    if (waits instanceof Set) {
      if (waits.size === 0) return false;
      for (const wait of [...waits]) wait.cancel(message);
    } else {
      waits.cancel(message);
    }
    return true;
  }

  /**
   * Registers a new await of this task and returns its Wait (whose promise the caller hands out), or, when a cancel
   * is pending, consumes it and returns the already rejected promise instead.
   */
  #beginWait<V>(
    kind: WaitKind,
    label: string | undefined,
    forward: ((message: string | undefined) => boolean) | undefined,
    frame: Frame,
  ): Wait<V> | Promise<V> {
    if ((this.#flags & MUST_CANCEL) !== 0) {
      this.#flags &= ~MUST_CANCEL;
      return Promise.reject(this.#cancelledError());
    }
    this.#flags &= ~CANCEL_IN_FLIGHT;
    const observer = frame.observer;
    const lane = frame.lane ?? this;
    const wait = new Wait<V>(this, lane, observer, forward);
    wait.promise = new Promise<V>((resolve, reject) => {
      wait.resolve = resolve;
      wait.reject = reject;
    });
    const waits = this.#waits;
    if (waits === undefined) this.#waits = wait;
    else if (waits instanceof Set) waits.add(wait);
    else this.#waits = new Set([waits, wait]);
    if (observer !== undefined) {
      try {
        observer.waitStarted(lane, kind, label);
      } catch (error) {
        observerFailed(error);
      }
    }
    return wait;
  }
}

/**
 * Begins an await's operation; returns a cleanup that undoes it, or nothing. `wait` is the task's Wait (undefined
 * outside a task), for an operation that goes through stages (see Wait.becomes).
 */
export type WaitStart<T> = (resolve: (value: T) => void, reject: (error: unknown) => void, wait?: Wait<T>) => (() => void) | void;

/** Starts an await's operation and wires its resolve/reject to the wait. */
function runStart<V>(wait: Wait<V>, start: WaitStart<V>): Promise<V> {
  try {
    wait.cleanup = start(
      (value) => wait.finish(value),
      (error) => wait.fail(error),
      wait,
    );
  } catch (error) {
    wait.fail(error);
  }
  return wait.promise;
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
  start: WaitStart<T>,
  label?: string,
): Promise<T> {
  return linkedWaitable(kind, start, undefined, label);
}

/**
 * Like waitable, for awaits over other cancellable work (awaiting a task, gather): on cancel, `forward(msg)`, if
 * given, is asked to cancel that work; if it returns true the await settles when that work ends (asyncio's
 * behaviour), otherwise it is cancelled at once like any waitable. Runtime-internal.
 */
export function linkedWaitable<T>(
  kind: WaitKind,
  start: WaitStart<T>,
  forward: ((message: string | undefined) => boolean) | undefined,
  label?: string,
): Promise<T> {
  const frame = runtimeContext.getStore();
  const task = frame?.task;
  if (task === undefined || task.done()) return new Promise<T>(start);
  const wait = beginWait<T>(task, kind, label, forward, frame!);
  return wait instanceof Promise ? wait : runStart(wait, start);
}

/**
 * sleep(0)'s fast path: registers a "sleep" await of the current task and returns it for the caller to resolve with
 * `wait.finish(value)` (a cancelled wait ignores that), the already rejected promise when a cancel was pending, or
 * undefined outside a task. Runtime-internal.
 */
export function beginYield<T>(): Wait<T> | Promise<T> | undefined {
  const frame = runtimeContext.getStore();
  const task = frame?.task;
  if (task === undefined || task.done()) return undefined;
  return beginWait<T>(task, "sleep", undefined, undefined, frame!);
}

/**
 * Calls callback(task, arg) synchronously when the task finishes (at once if it is done): the cheap done callback
 * that gather and friends use, one shared function for many tasks. Does not count as retrieving a failure.
 */
export function whenDone<A>(task: Task<any>, callback: (task: Task<any>, arg: A) => void, arg: A): void {
  whenDoneImpl(task, callback, arg);
}

/**
 * For awaits that register no Wait (sleep(0)'s shared yield): if the task has an undelivered cancel request,
 * consumes it and returns the rejected promise the await must return instead. Runtime-internal.
 */
export function takePendingCancel(task: Task<any>): Promise<never> | undefined {
  return takePendingCancelImpl(task);
}

/** The lane a task was created in (a traced call, or else its parent task): where a timeline nests it. */
export function creatorLane(task: Task<any>): Lane | undefined {
  return creatorLaneImpl(task);
}

/** Marks a task's failure as looked at, so it is not reported as unhandled (wait/asCompleted hand tasks back). */
export function markRetrieved(task: Task<any>): void {
  markRetrievedImpl(task);
}

/** Runs fn as a new Task (started on a microtask, never synchronously). */
export function createTask<T>(fn: () => T | PromiseLike<T>, options?: TaskOptions): Task<Awaited<T>> {
  // An anonymous function gets the task's name, so a stack frame reads `at download 1` rather than the name
  // V8 guesses from the call around it (`createTask.name`). A function with a name of its own keeps it.
  if (options?.name !== undefined && typeof fn === "function" && fn.name === "") {
    Object.defineProperty(fn, "name", { value: options.name, configurable: true });
  }
  return new Task(fn as () => Awaited<T> | PromiseLike<Awaited<T>>, options);
}

/** The task whose code is running, or undefined outside any task. */
export function currentTask(): Task<unknown> | undefined {
  return runtimeContext.getStore()?.task;
}

/** Every task that is not done yet (a new Set each call). */
export function allTasks(): Set<Task<unknown>> {
  return listAll();
}

const neverAborted = new AbortController().signal;

/**
 * An AbortSignal aborted (reason: CancelledError) when the current task is cancelled, for fetch and other
 * AbortSignal-aware APIs. Outside any task, a signal that never aborts.
 */
export function currentSignal(): AbortSignal {
  return runtimeContext.getStore()?.task?.signal ?? neverAborted;
}
