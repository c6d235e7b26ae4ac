// Condition: wait for a notification while holding a lock (asyncio.Condition).
//
// Semantics:
// - A Condition owns a Lock (or shares one passed in). acquire()/release()/locked()/run(fn) act on that lock.
// - `wait()` must be called holding the lock (else InvalidStateError): it releases the lock, waits for a notify,
//   then takes the lock again before it returns true. The lock is held again even when the wait is cancelled, so
//   a `finally` that releases it stays correct; then CancelledError propagates.
// - `notify(n = 1)` wakes up to n waiting tasks, oldest first; `notifyAll()` wakes every one. Both must be called
//   holding the lock. A woken task runs once it gets the lock back, so it re-checks its condition under the lock.
// - `waitFor(predicate)` calls wait() until predicate() is truthy and returns that value (checked first, so a
//   predicate that already holds returns without waiting).

import { InvalidStateError } from "./errors.ts";
import type { Held } from "./held.ts";
import { Lock, acquireUncancellable } from "./lock.ts";
import { Waiters } from "./waiters.ts";

export class Condition {
  readonly lock: Lock;
  private readonly waiters = new Waiters<true>("condition");

  constructor(lock: Lock = new Lock()) {
    this.lock = lock;
  }

  /** Takes the underlying lock. */
  acquire(): Promise<Held> {
    return this.lock.acquire();
  }

  /** Releases the underlying lock. */
  release(): void {
    this.lock.release();
  }

  /** True while the underlying lock is held. */
  locked(): boolean {
    return this.lock.locked();
  }

  /** Runs fn holding the underlying lock. */
  run<R>(fn: () => R | PromiseLike<R>): Promise<Awaited<R>> {
    return this.lock.run(fn);
  }

  /** Releases the lock, waits for notify(), re-takes the lock; resolves to true. */
  async wait(): Promise<true> {
    if (!this.lock.locked()) throw new InvalidStateError("cannot wait on un-acquired lock");
    this.lock.release();
    try {
      await this.waiters.wait(undefined);
      return true;
    } finally {
      // Whether notified or cancelled, the caller expects to hold the lock when wait() ends.
      await this.lock[acquireUncancellable]();
    }
  }

  /** Waits until predicate() is truthy; returns its value. */
  async waitFor<R>(predicate: () => R): Promise<R> {
    let result = predicate();
    while (!result) {
      await this.wait();
      result = predicate();
    }
    return result;
  }

  /** Wakes up to n waiters, oldest first. Requires the lock. */
  notify(n = 1): void {
    if (!this.lock.locked()) throw new InvalidStateError("cannot notify on un-acquired lock");
    for (let i = 0; i < n && this.waiters.wakeOne(true) !== undefined; i++);
  }

  /** Wakes every waiter. Requires the lock. */
  notifyAll(): void {
    this.notify(Infinity);
  }

  /** Number of tasks waiting for a notification. */
  get waiting(): number {
    return this.waiters.size;
  }
}
