// PriorityQueue: a Queue that returns the smallest item first (asyncio.PriorityQueue).
//
// Semantics:
// - `new PriorityQueue<T>(maxsize = 0, compare?)`: get() returns the item that sorts first under compare
//   (negative = a before b). Items that compare equal come out in the order they were put (stable), which
//   Python's heapq does not promise but a scheduler wants.
// - The default compare orders numbers, strings and bigints naturally, and arrays element by element, so
//   Python's `put((priority, data))` reads `put([priority, data])`.
// - Everything else (blocking, taskDone/join, shutdown, for await) is Queue's.
// Storage is a binary heap: O(log n) put and get.

import { Queue } from "./queue.ts";

export type Compare<T> = (a: T, b: T) => number;

/** Natural order for numbers, strings, bigints; arrays (tuples) compared element by element. */
export function naturalOrder(a: unknown, b: unknown): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const c = naturalOrder(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

export class PriorityQueue<T> extends Queue<T> {
  private readonly compare: Compare<T>;
  // Parallel arrays keep the heap free of per-item wrapper objects; seq breaks ties by insertion order.
  private readonly heap: T[] = [];
  private readonly seqs: number[] = [];
  private nextSeq = 0;

  constructor(maxsize = 0, compare: Compare<T> = naturalOrder) {
    super(maxsize);
    this.compare = compare;
  }

  /** True when the item at heap index i must come out before the one at j. */
  private before(i: number, j: number): boolean {
    const c = this.compare(this.heap[i]!, this.heap[j]!);
    return c < 0 || (c === 0 && this.seqs[i]! < this.seqs[j]!);
  }

  private swap(i: number, j: number): void {
    const heap = this.heap;
    const seqs = this.seqs;
    const item = heap[i]!;
    heap[i] = heap[j]!;
    heap[j] = item;
    const seq = seqs[i]!;
    seqs[i] = seqs[j]!;
    seqs[j] = seq;
  }

  protected override storeItem(item: T): void {
    let i = this.heap.length;
    this.heap.push(item);
    this.seqs.push(this.nextSeq++);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  protected override takeItem(): T {
    const heap = this.heap;
    const top = heap[0]!;
    const lastItem = heap.pop()!;
    const lastSeq = this.seqs.pop()!;
    if (heap.length > 0) {
      heap[0] = lastItem;
      this.seqs[0] = lastSeq;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child = right < heap.length && this.before(right, left) ? right : left;
        if (!this.before(child, i)) break;
        this.swap(i, child);
        i = child;
      }
    }
    return top;
  }

  protected override itemCount(): number {
    return this.heap.length;
  }
}
