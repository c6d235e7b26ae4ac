// Event: a flag tasks can wait for (asyncio.Event).
//
// Semantics:
// - The flag starts false. `set()` makes it true and wakes every task waiting in `wait()`; `clear()` makes it
//   false again; `isSet()` reads it.
// - `wait()` resolves to true at once while the flag is set, otherwise when set() is next called. Every task
//   waiting at that moment wakes, even if clear() follows immediately.
// - A task cancelled while waiting rejects with CancelledError and is forgotten by the event.

import { Waiters } from "./waiters.ts";

const TRUE: Promise<true> = Promise.resolve(true);

export class Event {
  private flag = false;
  private readonly waiters = new Waiters<true>("event");

  /** True while the flag is set. */
  isSet(): boolean {
    return this.flag;
  }

  /** Sets the flag and wakes all waiters. */
  set(): void {
    if (this.flag) return;
    this.flag = true;
    this.waiters.wakeAll(true);
  }

  /** Resets the flag; later wait() calls block until the next set(). */
  clear(): void {
    this.flag = false;
  }

  /** Resolves to true once the flag is set (at once if it already is). */
  wait(): Promise<true> {
    return this.flag ? TRUE : this.waiters.wait(undefined);
  }

  /** Number of tasks waiting. */
  get waiting(): number {
    return this.waiters.size;
  }

  toString(): string {
    return `Event(${this.flag ? "set" : "unset"}${this.waiters.size ? `, waiters: ${this.waiters.size}` : ""})`;
  }
}
