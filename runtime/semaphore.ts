// Semaphore and BoundedSemaphore: at most n tasks at a time (asyncio.Semaphore, asyncio.BoundedSemaphore).
//
// Semantics:
// - A semaphore holds a counter, `value`, starting at n. `acquire()` takes one unit when value > 0 and otherwise
//   waits; it resolves to a Held token (`await using _ = await sem.acquire()` releases at scope end).
//   `release()` gives one unit back. `sem.run(fn)` holds one unit around fn: the way to limit concurrency.
// - Fair: a release hands its unit straight to the oldest waiter (the counter stays at 0), so a caller arriving
//   after the release cannot take the unit first. `locked()` is true when an acquire would wait.
// - A task cancelled while waiting leaves the line without taking a unit; acquire rejects with CancelledError.
// - A plain Semaphore may be released more often than acquired (the counter then exceeds n), as in asyncio.
//   BoundedSemaphore throws RangeError (asyncio's ValueError) on a release that would push value above n.

import { Held } from "./held.ts";
import { Waiters } from "./waiters.ts";

export class Semaphore {
  protected units: number;
  private readonly waiters = new Waiters<Held>("semaphore");

  constructor(value = 1) {
    if (!(Number.isInteger(value) && value >= 0)) throw new RangeError(`Semaphore initial value must be an integer >= 0, got ${value}`);
    this.units = value;
  }

  /** Units free right now. */
  get value(): number {
    return this.units;
  }

  /** Number of tasks waiting for a unit. */
  get waiting(): number {
    return this.waiters.size;
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
    return this.waiters.wait(undefined);
  }

  /** Gives a unit back: to the oldest waiter if there is one. */
  release(): void {
    if (this.waiters.size === 0 || this.waiters.wakeOne(new Held(this)) === undefined) this.units++;
  }

  /** Runs fn holding one unit; the unit goes back however fn ends. */
  async run<R>(fn: () => R | PromiseLike<R>): Promise<Awaited<R>> {
    // Inlined acquire: run needs no token, and the free-unit path must not allocate one per job.
    if (this.units > 0) this.units--;
    else await this.waiters.wait(undefined);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  toString(): string {
    return `${this.constructor.name}(value: ${this.units}${this.waiters.size ? `, waiters: ${this.waiters.size}` : ""})`;
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
