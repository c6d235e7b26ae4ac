// wait's three modes and timeout, asCompleted's order, timeout and early exit; both are cancellable awaits.
import { describe, expect, it } from "vitest";
import { CancelledError, TimeoutError, asCompleted, createTask, sleep, wait, setTimeScale } from "../../runtime/index.ts";

// These tests order events by short real delays: pin real time even if LOOPLAB_TIME_SCALE is set.
setTimeScale(1);

const after = (ms: number, value: string) => createTask(() => sleep(ms, value), { name: value });
const failAfter = (ms: number, message: string) =>
  createTask(async () => {
    await sleep(ms);
    throw new Error(message);
  });

describe("wait", () => {
  it("ALL_COMPLETED (the default) returns when every task is done", async () => {
    const a = after(1, "a");
    const b = after(6, "b");
    const { done, pending } = await wait([a, b]);
    expect(done).toEqual(new Set([a, b]));
    expect(pending.size).toBe(0);
  });

  it("FIRST_COMPLETED returns as soon as one is done, leaving the rest running", async () => {
    const fast = after(1, "fast");
    const slow = after(10_000, "slow");
    const { done, pending } = await wait([fast, slow], { returnWhen: "FIRST_COMPLETED" });
    expect([...done]).toEqual([fast]);
    expect([...pending]).toEqual([slow]);
    expect(slow.cancelled()).toBe(false);
    slow.cancel();
  });

  it("FIRST_EXCEPTION returns at the first error", async () => {
    const ok = after(1, "ok");
    await ok;
    const failing = failAfter(2, "bad");
    const slow = after(10_000, "slow");
    const { done, pending } = await wait([failing, slow, ok], { returnWhen: "FIRST_EXCEPTION" });
    expect(done).toEqual(new Set([failing, ok]));
    expect(pending).toEqual(new Set([slow]));
    expect((failing.exception() as Error).message).toBe("bad");
    slow.cancel();
  });

  it("FIRST_EXCEPTION without errors waits for all; a cancelled task is not an exception", async () => {
    const cancelled = after(10_000, "c");
    const ok = after(5, "ok");
    setTimeout(() => cancelled.cancel(), 1);
    const { done, pending } = await wait([cancelled, ok], { returnWhen: "FIRST_EXCEPTION" });
    expect(done).toEqual(new Set([cancelled, ok]));
    expect(pending.size).toBe(0);
  });

  it("timeout returns what is done so far without raising or cancelling", async () => {
    const fast = after(1, "fast");
    const slow = after(10_000, "slow");
    const { done, pending } = await wait([fast, slow], { timeout: 10 });
    expect([...done]).toEqual([fast]);
    expect([...pending]).toEqual([slow]);
    expect(slow.done()).toBe(false);
    slow.cancel();
  });

  it("returns at once when the condition already holds", async () => {
    const a = after(1, "a");
    await a;
    const { done } = await wait([a, after(10_000, "b")], { returnWhen: "FIRST_COMPLETED" });
    expect([...done]).toEqual([a]);
  });

  it("accepts functions (started as tasks) and rejects an empty list", async () => {
    const { done } = await wait([() => sleep(1, 1), async () => 2]);
    expect([...done].map((t) => t.result()).sort()).toEqual([1, 2]);
    await expect(wait([])).rejects.toBeInstanceOf(RangeError);
  });

  it("is cancellable and leaves the tasks alone", async () => {
    const slow = after(10_000, "slow");
    const waiter = createTask(() => wait([slow]));
    await sleep(1);
    waiter.cancel();
    await expect(waiter).rejects.toBeInstanceOf(CancelledError);
    expect(slow.done()).toBe(false);
    slow.cancel();
  });
});

describe("asCompleted", () => {
  it("yields the tasks in completion order", async () => {
    const tasks = [after(12, "slow"), after(1, "fast"), after(6, "middle")];
    const order: string[] = [];
    for await (const task of asCompleted(tasks)) order.push(await task);
    expect(order).toEqual(["fast", "middle", "slow"]);
  });

  it("yields failures too, for the consumer to await", async () => {
    const results: string[] = [];
    for await (const task of asCompleted([failAfter(1, "bad"), after(4, "good")])) {
      try {
        results.push(await task);
      } catch (e) {
        results.push(`error: ${(e as Error).message}`);
      }
    }
    expect(results).toEqual(["error: bad", "good"]);
  });

  it("accepts plain promises and functions", async () => {
    const order: unknown[] = [];
    for await (const item of asCompleted([sleep(8, "promise"), () => sleep(1, "function")])) order.push(await item);
    expect(order).toEqual(["function", "promise"]);
  });

  it("throws TimeoutError when the time is up, after yielding what finished", async () => {
    const seen: string[] = [];
    const slow = after(10_000, "slow");
    const error = await (async () => {
      for await (const task of asCompleted([after(1, "fast"), slow], { timeout: 10 })) seen.push(await task);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(["fast"]);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(slow.done()).toBe(false);
    slow.cancel();
  });

  it("break stops the iteration without cancelling the rest", async () => {
    const slow = after(20, "slow");
    for await (const task of asCompleted([after(1, "fast"), slow])) {
      expect(await task).toBe("fast");
      break;
    }
    expect(slow.cancelled()).toBe(false);
    expect(await slow).toBe("slow");
  });

  it("an empty list ends at once", async () => {
    let count = 0;
    for await (const _ of asCompleted([])) count++;
    expect(count).toBe(0);
  });

  it("waiting for the next item is cancellable", async () => {
    const slow = after(10_000, "slow");
    const consumer = createTask(async () => {
      for await (const _ of asCompleted([slow])) {
        /* never */
      }
    });
    await sleep(1);
    consumer.cancel();
    await expect(consumer).rejects.toBeInstanceOf(CancelledError);
    expect(slow.done()).toBe(false);
    slow.cancel();
  });
});
