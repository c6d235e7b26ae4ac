// Lock: mutual exclusion between tasks (asyncio.Lock).
//
// Semantics:
// - `acquire()` takes the lock when it is free and otherwise waits; it resolves to a Held token, so
//   `await using _ = await lock.acquire()` releases at the end of the scope. `lock.run(fn)` holds it around fn.
// - Fair: waiters get the lock in the order they asked for it. `release()` hands the lock straight to the oldest
//   waiter, so a task that calls acquire() after the release cannot barge in ahead of it.
// - `release()` of an unlocked lock throws InvalidStateError (asyncio's RuntimeError).
// - A task cancelled while waiting leaves the line and never gets the lock; acquire rejects with CancelledError.
// - Not owner-checked, like asyncio: any task may release a lock another task acquired.

import { InvalidStateError } from "./errors.ts";
import { Held } from "./held.ts";
import { Waiters } from "./waiters.ts";

/** Internal: take the lock even in a cancelled task (Condition.wait must hold the lock again before it returns). */
export const acquireUncancellable: unique symbol = Symbol("looplab.acquireUncancellable");

export class Lock {
  private isLocked = false;
  private readonly waiters = new Waiters<Held>("lock");

  /** True while some task holds the lock. */
  locked(): boolean {
    return this.isLocked;
  }

  /** Waits for the lock (first come, first served) and takes it. */
  acquire(): Promise<Held> {
    if (!this.isLocked) {
      this.isLocked = true;
      return Promise.resolve(new Held(this));
    }
    return this.waiters.wait(undefined);
  }

  /** Gives the lock to the oldest waiter, or unlocks it when nobody waits. */
  release(): void {
    if (!this.isLocked) throw new InvalidStateError("Lock is not acquired");
    // Hand-off: the lock stays locked and now belongs to the woken waiter.
    if (this.waiters.wakeOne(new Held(this)) === undefined) this.isLocked = false;
  }

  /** Runs fn while holding the lock; releases it however fn ends. */
  async run<R>(fn: () => R | PromiseLike<R>): Promise<Awaited<R>> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  async [acquireUncancellable](): Promise<void> {
    if (!this.isLocked) {
      this.isLocked = true;
      return;
    }
    await this.waiters.waitUncancellable(undefined);
  }

  /** Number of tasks waiting for the lock. */
  get waiting(): number {
    return this.waiters.size;
  }

  toString(): string {
    return `Lock(${this.isLocked ? "locked" : "unlocked"}${this.waiters.size ? `, waiters: ${this.waiters.size}` : ""})`;
  }
}
