// Queue: FIFO order, bounded puts, nowait errors, taskDone/join, 3.13 shutdown, for await, cancelled get/put.
import { setImmediate as settle } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { CancelledError, Queue, QueueEmpty, QueueFull, QueueShutDown, createTask, sleep } from "../../runtime/index.ts";

describe("Queue", () => {
  it("returns items first in, first out and reports its size", async () => {
    const q = new Queue<number>();
    expect(q.empty()).toBe(true);
    for (const n of [1, 2, 3]) await q.put(n);
    expect(q.qsize()).toBe(3);
    expect(q.full()).toBe(false); // unbounded
    expect([await q.get(), await q.get(), q.getNowait()]).toEqual([1, 2, 3]);
    expect(q.empty()).toBe(true);
  });

  it("blocks get() until an item arrives, serving getters in order", async () => {
    const q = new Queue<string>();
    const got: string[] = [];
    const a = q.get().then((v) => got.push(`a:${v}`));
    const b = q.get().then((v) => got.push(`b:${v}`));
    await settle();
    q.putNowait("x");
    q.putNowait("y");
    await Promise.all([a, b]);
    expect(got).toEqual(["a:x", "b:y"]);
  });

  it("blocks put() while full and admits blocked puts in order as items leave", async () => {
    const q = new Queue<number>(2);
    expect(q.maxsize).toBe(2);
    await q.put(1);
    await q.put(2);
    expect(q.full()).toBe(true);
    const p3 = q.put(3);
    const p4 = q.put(4);
    await settle();
    expect(q.qsize()).toBe(2);
    expect(await q.get()).toBe(1);
    await p3;
    expect(q.qsize()).toBe(2);
    // A put arriving now waits behind 4 even though get() will free a slot.
    const p5 = q.put(5);
    const drained = [await q.get(), await q.get(), await q.get(), await q.get()];
    await Promise.all([p4, p5]);
    expect(drained).toEqual([2, 3, 4, 5]);
  });

  it("putNowait throws QueueFull, getNowait throws QueueEmpty", () => {
    const q = new Queue<number>(1);
    expect(() => q.getNowait()).toThrow(QueueEmpty);
    q.putNowait(1);
    expect(() => q.putNowait(2)).toThrow(QueueFull);
  });

  it("join() waits until taskDone() was called for every item put", async () => {
    const q = new Queue<number>();
    expect(await Promise.race([q.join().then(() => "joined"), sleep(0, "timeout")])).toBe("joined");
    q.putNowait(1);
    q.putNowait(2);
    let joined = false;
    const join = q.join().then(() => (joined = true));
    await q.get();
    q.taskDone();
    await q.get();
    await settle();
    expect(joined).toBe(false); // one item got but not yet done
    q.taskDone();
    await join;
    expect(joined).toBe(true);
  });

  it("taskDone() called more often than items were put throws RangeError", () => {
    const q = new Queue<number>();
    expect(() => q.taskDone()).toThrow(RangeError);
    q.putNowait(1);
    q.getNowait();
    q.taskDone();
    expect(() => q.taskDone()).toThrow(RangeError);
  });

  it("a cancelled get leaves the line and does not take an item", async () => {
    const q = new Queue<string>();
    const cancelled = createTask(() => q.get());
    const next = createTask(() => q.get());
    await settle();
    cancelled.cancel();
    await expect(Promise.resolve(cancelled)).rejects.toBeInstanceOf(CancelledError);
    q.putNowait("item");
    expect(await next).toBe("item");
    expect(q.qsize()).toBe(0);
  });

  it("a cancelled put does not add its item", async () => {
    const q = new Queue<string>(1);
    q.putNowait("first");
    const cancelled = createTask(() => q.put("cancelled"));
    const kept = createTask(() => q.put("kept"));
    await settle();
    cancelled.cancel();
    await expect(Promise.resolve(cancelled)).rejects.toBeInstanceOf(CancelledError);
    expect(q.getNowait()).toBe("first");
    await kept;
    expect(q.getNowait()).toBe("kept");
    expect(q.empty()).toBe(true);
  });

  describe("shutdown()", () => {
    it("makes puts raise QueueShutDown, lets gets drain, then raises", async () => {
      const q = new Queue<number>();
      q.putNowait(1);
      q.putNowait(2);
      q.shutdown();
      expect(q.isShutDown).toBe(true);
      await expect(q.put(3)).rejects.toBeInstanceOf(QueueShutDown);
      expect(() => q.putNowait(3)).toThrow(QueueShutDown);
      expect(await q.get()).toBe(1);
      expect(q.getNowait()).toBe(2);
      await expect(q.get()).rejects.toBeInstanceOf(QueueShutDown);
      expect(() => q.getNowait()).toThrow(QueueShutDown);
    });

    it("unblocks waiting puts and gets with QueueShutDown", async () => {
      const full = new Queue<number>(1);
      full.putNowait(1);
      const blockedPut = full.put(2);
      const empty = new Queue<number>();
      const blockedGet = empty.get();
      await settle();
      full.shutdown();
      empty.shutdown();
      await expect(blockedPut).rejects.toBeInstanceOf(QueueShutDown);
      await expect(blockedGet).rejects.toBeInstanceOf(QueueShutDown);
      expect(full.getNowait()).toBe(1); // the item queued before shutdown is still there
    });

    it("keeps join() waiting for the remaining items without immediate", async () => {
      const q = new Queue<number>();
      q.putNowait(1);
      let joined = false;
      const join = q.join().then(() => (joined = true));
      q.shutdown();
      await settle();
      expect(joined).toBe(false);
      q.getNowait();
      q.taskDone();
      await join;
      expect(joined).toBe(true);
    });

    it("with immediate drains the queue, releases join() and fails gets at once", async () => {
      const q = new Queue<number>();
      for (const n of [1, 2, 3]) q.putNowait(n);
      const join = q.join();
      q.shutdown(true);
      expect(q.qsize()).toBe(0);
      await join;
      await expect(q.get()).rejects.toBeInstanceOf(QueueShutDown);
      expect(() => q.taskDone()).toThrow(RangeError);
    });

    it("with immediate only drops the queued items from the unfinished count", async () => {
      const q = new Queue<number>();
      q.putNowait(1);
      q.putNowait(2);
      q.getNowait(); // got but not done: still unfinished
      let joined = false;
      const join = q.join().then(() => (joined = true));
      q.shutdown(true);
      await settle();
      expect(joined).toBe(false);
      q.taskDone();
      await join;
      expect(joined).toBe(true);
    });
  });

  it("for await yields items until the queue is shut down and empty", async () => {
    const q = new Queue<number>(2);
    const consumed: number[] = [];
    const consumer = createTask(async () => {
      for await (const n of q) {
        consumed.push(n);
        q.taskDone();
      }
      return "ended";
    });
    for (let n = 0; n < 5; n++) await q.put(n);
    await q.join();
    q.shutdown();
    expect(await consumer).toBe("ended");
    expect(consumed).toEqual([0, 1, 2, 3, 4]);
  });

  it("for await passes through errors other than QueueShutDown", async () => {
    const q = new Queue<number>();
    const consumer = createTask(async () => {
      for await (const _ of q);
    });
    await settle();
    consumer.cancel();
    await expect(Promise.resolve(consumer)).rejects.toBeInstanceOf(CancelledError);
  });

  it("moves many items between a producer and a consumer in order", async () => {
    const q = new Queue<number>(10);
    const n = 10_000;
    const producer = createTask(async () => {
      for (let i = 0; i < n; i++) await q.put(i);
    });
    let expected = 0;
    for (let i = 0; i < n; i++) {
      const got = await q.get();
      if (got !== expected) throw new Error(`got ${got}, expected ${expected}`);
      expected++;
    }
    await producer;
    expect(expected).toBe(n);
  });
});
