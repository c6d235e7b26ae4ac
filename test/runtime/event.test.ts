// Event: set wakes every waiter, wait on a set event returns at once, clear, cancelled waiters.
import { setImmediate as settle } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { CancelledError, Event, createTask } from "../../runtime/index.ts";

describe("Event", () => {
  it("wakes every waiter on set()", async () => {
    const event = new Event();
    const woken: number[] = [];
    const waits = [1, 2, 3].map((n) => event.wait().then((v) => (woken.push(n), v)));
    await settle();
    expect(woken).toEqual([]);
    expect(event.waiting).toBe(3);
    event.set();
    expect(await Promise.all(waits)).toEqual([true, true, true]);
    expect(woken).toEqual([1, 2, 3]);
  });

  it("returns at once while set, blocks again after clear()", async () => {
    const event = new Event();
    event.set();
    expect(event.isSet()).toBe(true);
    expect(await event.wait()).toBe(true);
    event.clear();
    expect(event.isSet()).toBe(false);
    let done = false;
    const wait = event.wait().then(() => (done = true));
    await settle();
    expect(done).toBe(false);
    event.set();
    await wait;
    expect(done).toBe(true);
  });

  it("still wakes waiters when clear() follows set() at once", async () => {
    const event = new Event();
    const wait = event.wait();
    event.set();
    event.clear();
    expect(await wait).toBe(true);
  });

  it("forgets a cancelled waiter", async () => {
    const event = new Event();
    const task = createTask(() => event.wait());
    await settle();
    expect(event.waiting).toBe(1);
    task.cancel();
    await expect(Promise.resolve(task)).rejects.toBeInstanceOf(CancelledError);
    expect(event.waiting).toBe(0);
  });
});
