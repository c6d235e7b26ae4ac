// PriorityQueue: smallest first, custom compare, stable ties, tuples, blocking like Queue.
import { describe, expect, it } from "vitest";
import { PriorityQueue, QueueShutDown } from "../../runtime/index.ts";

describe("PriorityQueue", () => {
  it("returns the smallest item first", async () => {
    const q = new PriorityQueue<number>();
    for (const n of [5, 1, 4, 2, 3, 9, 0, 7, 8, 6]) q.putNowait(n);
    const out: number[] = [];
    while (!q.empty()) out.push(await q.get());
    expect(out).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("orders [priority, data] tuples like Python tuples", () => {
    const q = new PriorityQueue<[number, string]>();
    q.putNowait([2, "b"]);
    q.putNowait([1, "z"]);
    q.putNowait([2, "a"]);
    q.putNowait([0, "q"]);
    expect([q.getNowait(), q.getNowait(), q.getNowait(), q.getNowait()]).toEqual([
      [0, "q"],
      [1, "z"],
      [2, "a"],
      [2, "b"],
    ]);
  });

  it("uses a custom compare and keeps equal items in insertion order", () => {
    const q = new PriorityQueue<{ pri: number; name: string }>(0, (a, b) => b.pri - a.pri); // highest first
    const names = ["a", "b", "c", "d", "e", "f", "g", "h"];
    names.forEach((name, i) => q.putNowait({ pri: i % 2, name }));
    const out: string[] = [];
    while (!q.empty()) out.push(q.getNowait().name);
    expect(out).toEqual(["b", "d", "f", "h", "a", "c", "e", "g"]);
  });

  it("stays sorted under interleaved puts and gets", () => {
    const q = new PriorityQueue<number>();
    const reference: number[] = [];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % 1000;
    for (let step = 0; step < 2000; step++) {
      if (step % 3 === 2 && reference.length > 0) {
        reference.sort((a, b) => a - b);
        expect(q.getNowait()).toBe(reference.shift());
      } else {
        const n = random();
        q.putNowait(n);
        reference.push(n);
      }
    }
    expect(q.qsize()).toBe(reference.length);
  });

  it("blocks at maxsize and admits the waiting put in priority order", async () => {
    const q = new PriorityQueue<number>(2);
    q.putNowait(5);
    q.putNowait(3);
    const blocked = q.put(1);
    expect(q.getNowait()).toBe(3);
    await blocked;
    expect([q.getNowait(), q.getNowait()]).toEqual([1, 5]);
  });

  it("shuts down like Queue", async () => {
    const q = new PriorityQueue<number>();
    q.putNowait(2);
    q.putNowait(1);
    q.shutdown();
    expect(await q.get()).toBe(1);
    expect(await q.get()).toBe(2);
    await expect(q.get()).rejects.toBeInstanceOf(QueueShutDown);
  });
});
