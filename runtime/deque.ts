// A growable ring buffer: O(1) push/shift/pop, the storage behind queues and waiter lists.
//
// Why not a plain array: `Array#shift` is O(n) once an array leaves V8's fast small-array path, and a queue that
// keeps a head index into an array never gives memory back. A power-of-two ring needs one mask per step and
// allocates only when it doubles.

export class Deque<T> {
  private buf: (T | undefined)[];
  private head = 0;
  private size = 0;
  private mask: number;

  constructor(capacity = 16) {
    let cap = 4;
    while (cap < capacity) cap *= 2;
    this.buf = new Array<T | undefined>(cap).fill(undefined);
    this.mask = cap - 1;
  }

  get length(): number {
    return this.size;
  }

  /** Appends at the tail (the newest end). */
  push(value: T): void {
    if (this.size === this.buf.length) this.grow();
    this.buf[(this.head + this.size) & this.mask] = value;
    this.size++;
  }

  /** Removes and returns the oldest value, or undefined when empty. */
  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const value = this.buf[this.head];
    // Clear the slot so the ring does not keep a consumed item alive.
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.size--;
    return value;
  }

  /** Removes and returns the newest value, or undefined when empty. */
  pop(): T | undefined {
    if (this.size === 0) return undefined;
    const at = (this.head + this.size - 1) & this.mask;
    const value = this.buf[at];
    this.buf[at] = undefined;
    this.size--;
    return value;
  }

  /** Keeps only the values for which keep() is true, in order (used to drop cancelled waiters in bulk). */
  retain(keep: (value: T) => boolean): void {
    let kept = 0;
    for (let i = 0; i < this.size; i++) {
      const value = this.buf[(this.head + i) & this.mask] as T;
      if (keep(value)) this.buf[(this.head + kept++) & this.mask] = value;
    }
    for (let i = kept; i < this.size; i++) this.buf[(this.head + i) & this.mask] = undefined;
    this.size = kept;
  }

  private grow(): void {
    const old = this.buf;
    const next = new Array<T | undefined>(old.length * 2).fill(undefined);
    for (let i = 0; i < this.size; i++) next[i] = old[(this.head + i) & this.mask];
    this.buf = next;
    this.head = 0;
    this.mask = next.length - 1;
  }
}
