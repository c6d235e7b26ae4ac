// Barrier: parties tasks wait for one another, then all go on together (asyncio.Barrier).
//
// Semantics:
// - `new Barrier(parties)`; each `wait()` blocks until `parties` tasks are waiting, then all of them resolve at
//   once and the barrier is ready for the next round (it is cyclic). Each resolves to a distinct index in
//   0..parties-1 in arrival order; the last arrival gets parties-1, so "if (i === 0)" picks one task for a job.
// - `abort()` breaks the barrier: current and future wait() calls reject with BrokenBarrierError until reset().
//   `reset()` makes it whole and empty again; tasks that were waiting reject with BrokenBarrierError.
// - A task cancelled while waiting leaves (nWaiting drops) without breaking the barrier for the others.
// - `parties`, `nWaiting`, `broken` read the state. `run(fn)` waits at the barrier, then calls fn(index)
//   (asyncio's `async with barrier as index`).

import { LoopLabError } from "./errors.ts";
import { Waiters } from "./waiters.ts";

/** wait() on a barrier that was aborted or reset (asyncio.BrokenBarrierError). */
export class BrokenBarrierError extends LoopLabError {}

export class Barrier {
  readonly parties: number;
  private isBroken = false;
  private readonly waiters = new Waiters<number>("barrier");

  constructor(parties: number) {
    if (!(Number.isInteger(parties) && parties >= 1)) throw new RangeError(`Barrier parties must be an integer >= 1, got ${parties}`);
    this.parties = parties;
  }

  /** Tasks waiting in the current round. */
  get nWaiting(): number {
    return this.waiters.size;
  }

  /** True after abort() until reset(). */
  get broken(): boolean {
    return this.isBroken;
  }

  /** Waits for the other parties; resolves to this task's index in the round. */
  wait(): Promise<number> {
    if (this.isBroken) return Promise.reject(new BrokenBarrierError("barrier is broken"));
    if (this.waiters.size + 1 < this.parties) return this.waiters.wait(undefined);
    // The last party releases the round: everyone waiting goes, in arrival order, and the next round starts empty.
    let index = 0;
    while (this.waiters.wakeOne(index) !== undefined) index++;
    return Promise.resolve(index);
  }

  /** Waits at the barrier, then runs fn with this task's index. */
  async run<R>(fn: (index: number) => R | PromiseLike<R>): Promise<Awaited<R>> {
    return await fn(await this.wait());
  }

  /** Empties the barrier: waiting tasks get BrokenBarrierError; a broken barrier works again. */
  reset(): void {
    this.isBroken = false;
    this.waiters.failAll(() => new BrokenBarrierError("barrier was reset"));
  }

  /** Breaks the barrier: waiting and future wait() calls get BrokenBarrierError until reset(). */
  abort(): void {
    this.isBroken = true;
    this.waiters.failAll(() => new BrokenBarrierError("barrier was aborted"));
  }

  toString(): string {
    return `Barrier(${this.isBroken ? "broken" : `waiting: ${this.waiters.size}/${this.parties}`})`;
  }
}
