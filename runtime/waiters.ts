// The FIFO list of blocked callers behind every lock, semaphore, condition, event, barrier and queue.
//
// Each blocked call is one Waiter in arrival order. Waking is a hand-off: `wakeOne(v)` settles the oldest live
// waiter with v *now*, so a release can never be overtaken by a caller that arrives after it (no barging), and a
// woken waiter needs no second look at the guarded state.
//
// Cancellation goes through `waitable` (task.ts): cancelling the awaiting task runs the waiter's cleanup, which
// marks it gone (a tombstone, swept in bulk) so no hand-off lands on it. The race "woken and cancelled in the same
// tick" cannot strand a slot either: a hand-off settles the wait at once, so a cancel that comes after it is no
// longer about this wait; waitable delivers it at the task's next await, by which time the caller holds what it
// was handed (a token it releases in its `finally`/`using`, an item it got) and nothing is lost in between.

import { Deque } from "./deque.ts";
import { waitable } from "./task.ts";
import type { WaitKind } from "./trace.ts";

const WAITING = 0;
const WOKEN = 1;
const GONE = 2;

export interface Waiter<V, P> {
  /** 0 waiting, 1 woken (handed its value), 2 cancelled or failed. */
  state: 0 | 1 | 2;
  /** What the waiter brought along (a queue put's item); undefined for most owners. */
  readonly payload: P;
  resolve: (value: V) => void;
  reject: (error: unknown) => void;
}

export class Waiters<V, P = undefined> {
  private readonly list = new Deque<Waiter<V, P>>();
  private live = 0;

  /** kind and label tag each wait for timelines. */
  constructor(
    private readonly kind: WaitKind,
    public label?: string,
  ) {}

  /** Number of callers still waiting (cancelled ones excluded). */
  get size(): number {
    return this.live;
  }

  /** Blocks the caller at the back of the line; cancellable through the current task. */
  wait(payload: P): Promise<V> {
    return waitable<V>(
      this.kind,
      (resolve, reject) => {
        const waiter: Waiter<V, P> = { state: WAITING, payload, resolve, reject };
        this.list.push(waiter);
        this.live++;
        return () => this.cancel(waiter);
      },
      this.label,
    );
  }

  /**
   * Like wait, but deaf to cancellation: for the few waits asyncio must finish even in a cancelled task (a
   * Condition re-acquiring its lock after wait()).
   */
  waitUncancellable(payload: P): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      this.list.push({ state: WAITING, payload, resolve, reject });
      this.live++;
    });
  }

  /** Hands v to the oldest live waiter and returns it, or undefined when nobody waits. */
  wakeOne(value: V): Waiter<V, P> | undefined {
    for (;;) {
      const waiter = this.list.shift();
      if (waiter === undefined) return undefined;
      if (waiter.state !== WAITING) continue;
      waiter.state = WOKEN;
      this.live--;
      waiter.resolve(value);
      return waiter;
    }
  }

  /** Hands v to every live waiter, oldest first; returns how many were woken. */
  wakeAll(value: V): number {
    let woken = 0;
    while (this.wakeOne(value) !== undefined) woken++;
    return woken;
  }

  /** Rejects every live waiter with error (shutdown, broken barrier). */
  failAll(error: () => unknown): void {
    for (let waiter = this.list.shift(); waiter !== undefined; waiter = this.list.shift()) {
      if (waiter.state !== WAITING) continue;
      waiter.state = GONE;
      this.live--;
      waiter.reject(error());
    }
  }

  private cancel(waiter: Waiter<V, P>): void {
    if (waiter.state !== WAITING) return;
    waiter.state = GONE;
    this.live--;
    // Cancelled waiters stay in the ring as tombstones (O(1) cancel); sweep them when they dominate.
    if (this.list.length > 64 && this.live < this.list.length >> 1) this.list.retain((w) => w.state === WAITING);
  }
}
