// Queue: a first-in first-out queue between producer and consumer tasks (asyncio.Queue, Python 3.13).
//
// Semantics:
// - `new Queue<T>(maxsize = 0)`; maxsize <= 0 means unbounded. `await put(item)` waits while the queue is full;
//   `await get()` waits while it is empty. Blocked callers are served first come, first served: a get hands the
//   freed slot straight to the oldest blocked put, and a put hands its item straight to the oldest blocked get.
// - `putNowait` throws QueueFull instead of waiting; `getNowait` throws QueueEmpty.
// - `qsize()`, `empty()`, `full()`, `maxsize` report the state.
// - Every put counts an unfinished task; `taskDone()` marks one finished (RangeError if called more times than
//   items were put); `join()` resolves once the count is back to zero.
// - `shutdown(immediate = false)`: afterwards put/putNowait throw QueueShutDown, and blocked puts reject with it.
//   get/getNowait keep returning the items already queued and throw QueueShutDown once the queue is empty (blocked
//   gets reject at once, as the queue is empty if they are blocked). With immediate = true the queue is also
//   drained: its items are dropped, the unfinished count drops by as many, and join() resolves if it reaches zero.
// - `for await (const item of queue)` gets items until the queue is shut down and empty. It does not call
//   taskDone(): call it in the loop body when join() matters.
// - A task cancelled while blocked in get/put leaves the line (a put's item is not added) with CancelledError.
// Subclasses change the order by overriding storeItem/takeItem/itemCount (PriorityQueue, LifoQueue).

import { Deque } from "./deque.ts";
import { QueueEmpty, QueueFull, QueueShutDown } from "./errors.ts";
import { Waiters } from "./waiters.ts";

const DONE: Promise<void> = Promise.resolve();

export class Queue<T> implements AsyncIterable<T> {
  /** Items allowed in the queue; 0 (or less) means no limit. */
  readonly maxsize: number;
  protected readonly items = new Deque<T>();
  private readonly getters = new Waiters<T>("queue-get");
  private readonly putters = new Waiters<void, T>("queue-put");
  private readonly joiners = new Waiters<void>("wait", "queue.join()");
  private unfinished = 0;
  private isShutdown = false;

  constructor(maxsize = 0) {
    this.maxsize = maxsize;
  }

  // ---- storage order: the three methods subclasses override ----

  /** Adds an item to the storage. */
  protected storeItem(item: T): void {
    this.items.push(item);
  }

  /** Removes the next item from the storage (called only when itemCount() > 0). */
  protected takeItem(): T {
    return this.items.shift() as T;
  }

  /** Items in the storage. */
  protected itemCount(): number {
    return this.items.length;
  }

  // ---- state ----

  /** Number of items in the queue. */
  qsize(): number {
    return this.itemCount();
  }

  /** True when the queue holds no items. */
  empty(): boolean {
    return this.itemCount() === 0;
  }

  /** True when the queue holds maxsize items (never for an unbounded queue). */
  full(): boolean {
    return this.maxsize > 0 && this.itemCount() >= this.maxsize;
  }

  /** True after shutdown(). */
  get isShutDown(): boolean {
    return this.isShutdown;
  }

  // ---- put ----

  /** Adds item, waiting while the queue is full. Rejects with QueueShutDown after shutdown(). */
  put(item: T): Promise<void> {
    if (this.isShutdown) return Promise.reject(new QueueShutDown("put() on a shut-down queue"));
    // Blocked putters exist only while the queue is full, so "not full" also means nobody is ahead of us.
    if (!this.full()) {
      this.add(item);
      return DONE;
    }
    return this.putters.wait(item);
  }

  /** Adds item now; throws QueueFull when full, QueueShutDown after shutdown(). */
  putNowait(item: T): void {
    if (this.isShutdown) throw new QueueShutDown("putNowait() on a shut-down queue");
    if (this.full()) throw new QueueFull();
    this.add(item);
  }

  private add(item: T): void {
    this.unfinished++;
    // Blocked getters exist only while the queue is empty: the oldest one takes this item directly.
    if (this.getters.size === 0 || this.getters.wakeOne(item) === undefined) this.storeItem(item);
  }

  // ---- get ----

  /** Removes and returns the next item, waiting while the queue is empty. Rejects with QueueShutDown when shut down and empty. */
  get(): Promise<T> {
    if (this.itemCount() > 0) return Promise.resolve(this.take());
    if (this.isShutdown) return Promise.reject(new QueueShutDown("get() on a shut-down, empty queue"));
    return this.getters.wait(undefined);
  }

  /** Removes and returns the next item now; throws QueueEmpty when empty, QueueShutDown when shut down and empty. */
  getNowait(): T {
    if (this.itemCount() > 0) return this.take();
    if (this.isShutdown) throw new QueueShutDown("getNowait() on a shut-down, empty queue");
    throw new QueueEmpty();
  }

  private take(): T {
    const item = this.takeItem();
    // The freed slot goes to the oldest blocked put: its item enters now, in the order it asked.
    if (this.putters.size > 0) {
      const putter = this.putters.wakeOne(undefined);
      if (putter !== undefined) {
        this.unfinished++;
        this.storeItem(putter.payload);
      }
    }
    return item;
  }

  // ---- tasks ----

  /** Marks one got item as processed; throws RangeError when called more times than items were put. */
  taskDone(): void {
    if (this.unfinished <= 0) throw new RangeError("taskDone() called more times than there were items");
    if (--this.unfinished === 0) this.joiners.wakeAll(undefined);
  }

  /** Resolves once every item put has been marked done with taskDone(). */
  join(): Promise<void> {
    return this.unfinished === 0 ? DONE : this.joiners.wait(undefined);
  }

  // ---- shutdown ----

  /** Shuts the queue down (Python 3.13 semantics, see the module comment). */
  shutdown(immediate = false): void {
    this.isShutdown = true;
    if (immediate) {
      while (this.itemCount() > 0) {
        this.takeItem();
        if (this.unfinished > 0) this.unfinished--;
      }
      if (this.unfinished === 0) this.joiners.wakeAll(undefined);
    }
    this.getters.failAll(() => new QueueShutDown("queue was shut down while get() waited"));
    this.putters.failAll(() => new QueueShutDown("queue was shut down while put() waited"));
  }

  /** Gets items until the queue is shut down and empty. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for (;;) {
      let item: T;
      try {
        item = await this.get();
      } catch (error) {
        if (error instanceof QueueShutDown) return;
        throw error;
      }
      yield item;
    }
  }

  toString(): string {
    const parts = [`maxsize=${this.maxsize}`, `qsize=${this.itemCount()}`];
    if (this.getters.size) parts.push(`getters=${this.getters.size}`);
    if (this.putters.size) parts.push(`putters=${this.putters.size}`);
    if (this.unfinished) parts.push(`tasks=${this.unfinished}`);
    if (this.isShutdown) parts.push("shutdown");
    return `${this.constructor.name}(${parts.join(" ")})`;
  }
}
