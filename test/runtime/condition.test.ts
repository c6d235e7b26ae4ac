// Condition: wait/notify ordering, notifyAll, waitFor, lock rules, cancellation re-acquires the lock.
import { setImmediate as settle } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { CancelledError, Condition, InvalidStateError, Lock, createTask } from "../../runtime/index.ts";

describe("Condition", () => {
  it("notify(n) wakes the n oldest waiters, in the order they waited", async () => {
    const cond = new Condition();
    const woken: string[] = [];
    const waiter = (name: string) =>
      createTask(async () => {
        await cond.run(async () => {
          await cond.wait();
          woken.push(name);
        });
      });
    const tasks = ["a", "b", "c", "d"].map(waiter);
    await settle();
    expect(cond.waiting).toBe(4);
    await cond.run(() => cond.notify());
    await settle();
    expect(woken).toEqual(["a"]);
    await cond.run(() => cond.notify(2));
    await settle();
    expect(woken).toEqual(["a", "b", "c"]);
    await cond.run(() => cond.notifyAll());
    await Promise.all(tasks);
    expect(woken).toEqual(["a", "b", "c", "d"]);
    expect(cond.locked()).toBe(false);
  });

  it("a woken waiter holds the lock again when wait() returns", async () => {
    const cond = new Condition();
    let heldAfterWait = false;
    const task = createTask(async () => {
      await using _ = await cond.acquire();
      await cond.wait();
      heldAfterWait = cond.locked();
    });
    await settle();
    // While the task waits, the lock is free for the notifier.
    expect(cond.locked()).toBe(false);
    await cond.run(() => cond.notify());
    await task;
    expect(heldAfterWait).toBe(true);
    expect(cond.locked()).toBe(false);
  });

  it("waitFor returns the predicate's value once it holds", async () => {
    const cond = new Condition();
    let items: number[] = [];
    const consumer = createTask(() => cond.run(() => cond.waitFor(() => items.length >= 2 && items)));
    await settle();
    await cond.run(() => {
      items = [1];
      cond.notifyAll();
    });
    await settle();
    expect(consumer.done()).toBe(false);
    await cond.run(() => {
      items = [1, 2];
      cond.notifyAll();
    });
    expect(await consumer).toEqual([1, 2]);
  });

  it("waitFor returns at once when the predicate already holds", async () => {
    const cond = new Condition();
    expect(await cond.run(() => cond.waitFor(() => "ready"))).toBe("ready");
  });

  it("wait and notify without holding the lock throw InvalidStateError", async () => {
    const cond = new Condition();
    await expect(cond.wait()).rejects.toBeInstanceOf(InvalidStateError);
    expect(() => cond.notify()).toThrow(InvalidStateError);
  });

  it("a cancelled wait takes the lock back before CancelledError reaches the caller", async () => {
    const lock = new Lock();
    const cond = new Condition(lock);
    let lockedInCatch: boolean | undefined;
    const task = createTask(async () => {
      await cond.acquire();
      try {
        await cond.wait();
      } catch (error) {
        lockedInCatch = cond.locked();
        throw error;
      } finally {
        cond.release();
      }
    });
    await settle();
    const blocker = await lock.acquire(); // the lock is busy when the cancel arrives
    task.cancel();
    await settle();
    expect(task.done()).toBe(false); // still re-acquiring
    blocker.release();
    await expect(Promise.resolve(task)).rejects.toBeInstanceOf(CancelledError);
    expect(lockedInCatch).toBe(true);
    expect(lock.locked()).toBe(false);
    expect(cond.waiting).toBe(0);
  });

  it("a cancelled waiter does not swallow a later notify", async () => {
    const cond = new Condition();
    const woken: string[] = [];
    const first = createTask(() => cond.run(async () => (await cond.wait(), woken.push("first"))));
    const second = createTask(() => cond.run(async () => (await cond.wait(), woken.push("second"))));
    await settle();
    first.cancel();
    await expect(Promise.resolve(first)).rejects.toBeInstanceOf(CancelledError);
    await cond.run(() => cond.notify());
    await second;
    expect(woken).toEqual(["second"]);
  });
});
