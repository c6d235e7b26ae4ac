// Lock: mutual exclusion, FIFO hand-off, cancelled waiters, release errors, tokens and run().
import { setImmediate as settle } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { CancelledError, InvalidStateError, Lock, createTask, sleep } from "../../runtime/index.ts";

describe("Lock", () => {
  it("lets one holder in at a time", async () => {
    const lock = new Lock();
    const log: string[] = [];
    await Promise.all(
      ["a", "b", "c"].map((name) =>
        lock.run(async () => {
          log.push(`${name}+`);
          await sleep(1);
          log.push(`${name}-`);
        }),
      ),
    );
    expect(log).toEqual(["a+", "a-", "b+", "b-", "c+", "c-"]);
    expect(lock.locked()).toBe(false);
  });

  it("hands the lock to the oldest waiter on release", async () => {
    const lock = new Lock();
    const held = await lock.acquire();
    const order: string[] = [];
    const waits = ["a", "b"].map((name) => lock.acquire().then((h) => (order.push(name), h)));
    await settle();
    held.release();
    expect(lock.locked()).toBe(true); // now "a" holds it
    const late = lock.acquire().then((h) => (order.push("late"), h));
    for (const w of [...waits, late]) (await w).release();
    expect(order).toEqual(["a", "b", "late"]);
  });

  it("throws InvalidStateError when released while unlocked", () => {
    expect(() => new Lock().release()).toThrow(InvalidStateError);
  });

  it("a cancelled waiter leaves the line and the lock goes to the next", async () => {
    const lock = new Lock();
    const held = await lock.acquire();
    const cancelled = createTask(() => lock.run(() => "should not run"));
    const next = createTask(() => lock.run(() => "next"));
    await settle();
    expect(lock.waiting).toBe(2);
    cancelled.cancel();
    await expect(Promise.resolve(cancelled)).rejects.toBeInstanceOf(CancelledError);
    held.release();
    expect(await next).toBe("next");
    expect(lock.locked()).toBe(false);
  });

  it("releases at the end of an await using scope, also when the scope throws", async () => {
    const lock = new Lock();
    await expect(
      (async () => {
        await using _ = await lock.acquire();
        expect(lock.locked()).toBe(true);
        throw new Error("inside");
      })(),
    ).rejects.toThrow("inside");
    expect(lock.locked()).toBe(false);
  });

  it("run() releases when fn throws", async () => {
    const lock = new Lock();
    await expect(lock.run(() => Promise.reject(new Error("x")))).rejects.toThrow("x");
    expect(lock.locked()).toBe(false);
  });
});
