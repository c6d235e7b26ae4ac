// Barrier: rounds of parties, distinct indices, cyclic reuse, abort/reset, cancelled waiters.
import { setImmediate as settle } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { Barrier, BrokenBarrierError, CancelledError, createTask } from "../../runtime/index.ts";

describe("Barrier", () => {
  it("releases all parties together with distinct indices", async () => {
    const barrier = new Barrier(3);
    const passed: number[] = [];
    const a = barrier.wait().then((i) => (passed.push(i), i));
    const b = barrier.wait().then((i) => (passed.push(i), i));
    await settle();
    expect(passed).toEqual([]);
    expect(barrier.nWaiting).toBe(2);
    const c = await barrier.wait();
    expect([await a, await b, c]).toEqual([0, 1, 2]);
    expect(barrier.nWaiting).toBe(0);
  });

  it("is cyclic: the next round starts empty", async () => {
    const barrier = new Barrier(2);
    for (let round = 0; round < 3; round++) {
      const indices = await Promise.all([barrier.wait(), barrier.wait()]);
      expect(indices.sort()).toEqual([0, 1]);
    }
  });

  it("run(fn) waits at the barrier, then calls fn with the index", async () => {
    const barrier = new Barrier(2);
    const results = await Promise.all([barrier.run((i) => `x${i}`), barrier.run(async (i) => `y${i}`)]);
    expect(results).toEqual(["x0", "y1"]);
  });

  it("abort() breaks current and future waits until reset()", async () => {
    const barrier = new Barrier(3);
    const waiting = barrier.wait();
    await settle();
    barrier.abort();
    expect(barrier.broken).toBe(true);
    await expect(waiting).rejects.toBeInstanceOf(BrokenBarrierError);
    await expect(barrier.wait()).rejects.toBeInstanceOf(BrokenBarrierError);
    barrier.reset();
    expect(barrier.broken).toBe(false);
    const again = await Promise.all([barrier.wait(), barrier.wait(), barrier.wait()]);
    expect(again).toEqual([0, 1, 2]);
  });

  it("reset() sends BrokenBarrierError to the tasks waiting and empties the barrier", async () => {
    const barrier = new Barrier(2);
    const waiting = barrier.wait();
    await settle();
    barrier.reset();
    await expect(waiting).rejects.toBeInstanceOf(BrokenBarrierError);
    expect(barrier.nWaiting).toBe(0);
    expect(barrier.broken).toBe(false);
  });

  it("a cancelled waiter leaves without breaking the barrier", async () => {
    const barrier = new Barrier(2);
    const task = createTask(() => barrier.wait());
    await settle();
    expect(barrier.nWaiting).toBe(1);
    task.cancel();
    await expect(Promise.resolve(task)).rejects.toBeInstanceOf(CancelledError);
    expect(barrier.nWaiting).toBe(0);
    expect(barrier.broken).toBe(false);
    // The round still needs two live parties.
    const first = barrier.wait();
    await settle();
    expect(barrier.nWaiting).toBe(1);
    const second = barrier.wait();
    expect([await first, await second]).toEqual([0, 1]);
  });

  it("a barrier of one never blocks", async () => {
    expect(await new Barrier(1).wait()).toBe(0);
  });
});
