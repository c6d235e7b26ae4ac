// Semaphore and BoundedSemaphore: at most n tasks at a time (asyncio.Semaphore, asyncio.BoundedSemaphore).
//
// Semantics:
// - A semaphore holds a counter, `value`, starting at n. `acquire()` takes one unit when value > 0 and otherwise
//   waits; it resolves to a Held token (`await using _ = await sem.acquire()` releases at scope end).
//   `release()` gives one unit back. `sem.run(fn)` holds one unit around fn: the way to limit concurrency.
// - Fair: acquire() and run() callers form one line. A release hands its unit straight to the oldest caller in
//   line (the counter stays at 0), so a caller arriving after the release cannot take the unit first.
//   `locked()` is true when an acquire would wait.
// - A task cancelled while waiting leaves the line without taking a unit; acquire/run reject with CancelledError.
// - A plain Semaphore may be released more often than acquired (the counter then exceeds n), as in asyncio.
//   BoundedSemaphore throws RangeError (asyncio's ValueError) on a release that would push value above n.
//
// Why run() is not "await acquire(); try fn() finally release()": with 100k jobs behind 10 units that costs a
// promise, a suspended async frame and a microtask hop per queued job. Instead a queued run() is a small record,
// and the release that frees a unit starts the next fn directly. fn must still run in the async context of its
// run() call (its task, the cell whose output it writes to, any AsyncLocalStorage). Calls made from one
// context form a Lane, identified by the async resource and runtime frame current at the call. Starting a job
// straight from the end of a job of the same lane stays in that context; when the unit passes to another lane,
// the job hops through that lane's one armed promise, whose reaction runs in the lane's context. Inside a task
// each lane also holds one runtime wait (waitable) while it has jobs in line: cancelling the task drops them.
// Limit (Node 20, 22): AsyncLocalStorage.run() entered synchronously does not change the async resource, so run()
// calls made in one synchronous stretch under different als.run() stores share a lane. Calls from different
// tasks, awaits or callbacks are always told apart.
// Under AsyncContextFrame (Node 24+) the resource names no caller (see caller-context.ts): lanes are then kept
// per runtime frame only (for cancellation, and so a unit passing to another task still hops through that lane's
// promise, after the releasing task has finished), and each queued job carries an AsyncResource made at its
// run() call, whose scope it starts in. That is exact, and costs ~50 ns per queued job (AsyncLocalStorage.snapshot() would
// cost ~1 µs: it binds a function and defines properties on it).

import { AsyncResource, executionAsyncResource } from "node:async_hooks";
import { resourcesIdentifyContexts } from "./caller-context.ts";
import { runtimeContext, type Frame } from "./context.ts";
import { Deque } from "./deque.ts";
import { Held } from "./held.ts";
import { waitable } from "./task.ts";

const WAITING = 0;
const DONE = 1;

/** The resource every lane shares when resources name no caller: lanes then differ by runtime frame alone. */
const ANY_RESOURCE = {};

/** An acquire() in line: woken with a token. */
interface Acquirer {
  state: 0 | 1;
  lane: undefined;
  resolve: (held: Held) => void;
}

/** A run() in line: started in its lane's context, or in its own resource's scope where lanes cannot tell callers apart. */
interface Job {
  state: 0 | 1;
  lane: Lane;
  /** The caller's context where lanes cannot tell callers apart; undefined where the lane's context is it. */
  context: AsyncResource | undefined;
  fn: () => unknown;
  resolve: (value: any) => void;
  reject: (error: unknown) => void;
}

type InLine = Acquirer | Job;

/** Queued run() calls made from one async context. */
class Lane {
  /** Jobs of this lane still in line. */
  queued = 0;
  /** Jobs handed a unit by another lane, to start in this lane's context. */
  readonly handed: Job[] = [];
  private wake: (() => void) | undefined = undefined;
  /** Ends the lane's runtime wait (inside a task). */
  endWait: ((value: void) => void) | undefined = undefined;
  /** Another lane of the same async resource (different runtime frame). */
  next: Lane | undefined = undefined;

  constructor(
    readonly sem: Semaphore,
    readonly resource: object,
    readonly frame: Frame | undefined,
  ) {}

  /** Registers the reaction that will run handed jobs; must be called in the lane's own context. */
  arm(): void {
    new Promise<void>((resolve) => {
      this.wake = resolve;
    }).then(() => this.fire());
  }

  hand(job: Job): void {
    this.handed.push(job);
    const wake = this.wake;
    if (wake !== undefined) {
      this.wake = undefined;
      wake();
    }
  }

  private fire(): void {
    // Runs in the lane's context: re-arm first (still in it), then start what was handed over.
    if (this.queued > 0) this.arm();
    const handed = this.handed.splice(0);
    for (const job of handed) {
      if (job.context !== undefined) job.context.runInAsyncScope(startJob, undefined, this.sem, job);
      else this.sem.start(job.fn, job.resolve, job.reject, this.resource, this.frame);
    }
  }
}

/** Starts a queued job; a plain function, so runInAsyncScope can call it without a closure per job. */
function startJob(sem: Semaphore, job: Job): void {
  sem.start(job.fn, job.resolve, job.reject, job.lane.resource, job.lane.frame);
}

export class Semaphore {
  protected units: number;
  private readonly line = new Deque<InLine>();
  private live = 0;
  private lanes: Map<object, Lane> | undefined;

  constructor(value = 1) {
    if (!(Number.isInteger(value) && value >= 0)) throw new RangeError(`Semaphore initial value must be an integer >= 0, got ${value}`);
    this.units = value;
  }

  /** Units free right now. */
  get value(): number {
    return this.units;
  }

  /** Number of callers waiting for a unit. */
  get waiting(): number {
    return this.live;
  }

  /** True when acquire() would have to wait. */
  locked(): boolean {
    // Hand-off keeps units at 0 while anyone waits, so the counter alone answers.
    return this.units === 0;
  }

  /** Waits for a unit (first come, first served) and takes it. */
  acquire(): Promise<Held> {
    if (this.units > 0) {
      this.units--;
      return Promise.resolve(new Held(this));
    }
    return waitable<Held>("semaphore", (resolve) => {
      const acquirer: Acquirer = { state: WAITING, lane: undefined, resolve };
      this.line.push(acquirer);
      this.live++;
      return () => {
        if (acquirer.state !== WAITING) return;
        acquirer.state = DONE;
        this.live--;
        this.sweep();
      };
    });
  }

  /** Gives a unit back: to the oldest caller in line if there is one. */
  release(): void {
    this.pass(undefined, undefined);
  }

  /** Runs fn holding one unit; the unit goes back however fn ends. */
  run<R>(fn: () => R | PromiseLike<R>): Promise<Awaited<R>> {
    const resource = resourcesIdentifyContexts ? executionAsyncResource() : ANY_RESOURCE;
    const frame = runtimeContext.getStore();
    if (this.units > 0) {
      this.units--;
      return new Promise<Awaited<R>>((resolve, reject) => this.start(fn, resolve, reject, resource, frame));
    }
    let lane = this.laneOf(resource, frame);
    if (lane === undefined) {
      lane = new Lane(this, resource, frame);
      if (frame?.task !== undefined) {
        // One runtime wait per lane makes every queued job of this task cancellable at once.
        let started = false;
        const registration = waitable<void>("semaphore", (resolve) => {
          started = true;
          lane!.endWait = resolve;
          return () => this.cancelLane(lane!, registration);
        });
        // A cancel requested earlier rejects the registration at once: this run() is cancelled.
        if (!started) return registration as Promise<never>;
      }
      lane.arm();
      this.addLane(lane);
    }
    const context = resourcesIdentifyContexts ? undefined : new AsyncResource("looplab.Semaphore");
    return new Promise<Awaited<R>>((resolve, reject) => {
      this.line.push({ state: WAITING, lane: lane!, context, fn, resolve, reject });
      this.live++;
      lane!.queued++;
    });
  }

  /** Calls fn now (a unit is held for it) and passes the unit on when it settles. */
  start(fn: () => unknown, resolve: (value: any) => void, reject: (error: unknown) => void, resource: object, frame: Frame | undefined): void {
    let result: unknown;
    try {
      result = fn();
    } catch (error) {
      reject(error);
      this.pass(resource, frame);
      return;
    }
    if (result !== null && typeof (result as PromiseLike<unknown>)?.then === "function") {
      Promise.resolve(result).then(
        (value) => {
          resolve(value);
          this.pass(resource, frame);
        },
        (error) => {
          reject(error);
          this.pass(resource, frame);
        },
      );
    } else {
      resolve(result);
      this.pass(resource, frame);
    }
  }

  /**
   * Hands a freed unit to the oldest caller in line, or puts it back. resource/frame name the context the
   * unit is freed from (undefined: unknown, e.g. a user's release()), so a job of that same lane starts at once.
   */
  private pass(resource: object | undefined, frame: Frame | undefined): void {
    for (;;) {
      const next = this.line.shift();
      if (next === undefined) {
        this.units++;
        return;
      }
      if (next.state !== WAITING) continue;
      next.state = DONE;
      this.live--;
      const lane = next.lane;
      if (lane === undefined) {
        next.resolve(new Held(this));
        return;
      }
      if (--lane.queued === 0) this.retireLane(lane);
      if (lane.resource !== resource || lane.frame !== frame) lane.hand(next);
      else if (next.context !== undefined) next.context.runInAsyncScope(startJob, undefined, this, next);
      else this.start(next.fn, next.resolve, next.reject, resource!, frame);
      return;
    }
  }

  private laneOf(resource: object, frame: Frame | undefined): Lane | undefined {
    for (let lane = this.lanes?.get(resource); lane !== undefined; lane = lane.next) if (lane.frame === frame) return lane;
    return undefined;
  }

  private addLane(lane: Lane): void {
    const lanes = (this.lanes ??= new Map());
    lane.next = lanes.get(lane.resource);
    lanes.set(lane.resource, lane);
  }

  private retireLane(lane: Lane): void {
    const lanes = this.lanes!;
    let first = lanes.get(lane.resource);
    if (first === lane) {
      if (lane.next === undefined) lanes.delete(lane.resource);
      else lanes.set(lane.resource, lane.next);
    } else {
      while (first !== undefined && first.next !== lane) first = first.next;
      if (first !== undefined) first.next = lane.next;
    }
    lane.next = undefined;
    lane.endWait?.();
  }

  /** The lane's task was cancelled: its queued jobs leave the line and reject with the CancelledError. */
  private cancelLane(lane: Lane, registration: Promise<void>): void {
    if (lane.queued === 0) return;
    const dropped: Job[] = [];
    this.line.retain((entry) => {
      if (entry.lane !== lane || entry.state !== WAITING) return true;
      entry.state = DONE;
      dropped.push(entry);
      return false;
    });
    this.live -= dropped.length;
    lane.queued = 0;
    lane.endWait = undefined;
    this.retireLane(lane);
    registration.catch((error) => {
      for (const job of dropped) job.reject(error);
    });
  }

  /** Cancelled acquirers stay in the ring as tombstones (O(1) cancel); sweep them when they dominate. */
  private sweep(): void {
    if (this.line.length > 64 && this.live < this.line.length >> 1) this.line.retain((entry) => entry.state === WAITING);
  }

  toString(): string {
    return `${this.constructor.name}(value: ${this.units}${this.live ? `, waiters: ${this.live}` : ""})`;
  }
}

export class BoundedSemaphore extends Semaphore {
  private readonly bound: number;

  constructor(value = 1) {
    super(value);
    this.bound = value;
  }

  /** Gives a unit back; throws RangeError when that would exceed the initial value. */
  override release(): void {
    if (this.units >= this.bound) throw new RangeError("BoundedSemaphore released too many times");
    super.release();
  }
}
