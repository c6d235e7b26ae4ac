// Semaphore and BoundedSemaphore: concurrency limit, FIFO hand-off, cancelled waiters, tokens, over-release.
import { AsyncLocalStorage } from "node:async_hooks";
import { setImmediate as settle } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { BoundedSemaphore, CancelledError, Semaphore, createTask, currentTask, sleep } from "../../runtime/index.ts";
import { resourcesIdentifyContexts } from "../../runtime/caller-context.ts";

describe("Semaphore", () => {
  it("lets at most n holders run at once", async () => {
    const sem = new Semaphore(3);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        sem.run(async () => {
          active++;
          peak = Math.max(peak, active);
          await sleep(i % 3);
          active--;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(sem.value).toBe(3);
  });

  it("counts units with acquire/release and reports locked()", async () => {
    const sem = new Semaphore(2);
    await sem.acquire();
    expect(sem.value).toBe(1);
    expect(sem.locked()).toBe(false);
    await sem.acquire();
    expect(sem.locked()).toBe(true);
    sem.release();
    sem.release();
    expect(sem.value).toBe(2);
  });

  it("serves waiters first come, first served and lets no late caller barge in", async () => {
    const sem = new Semaphore(1);
    await sem.acquire();
    const order: string[] = [];
    const waiter = (name: string) =>
      sem.acquire().then((held) => {
        order.push(name);
        return held;
      });
    const a = waiter("a");
    const b = waiter("b");
    const c = waiter("c");
    await settle();
    expect(sem.waiting).toBe(3);
    sem.release();
    // The unit went to "a" at release time: a caller arriving now queues behind b and c.
    expect(sem.locked()).toBe(true);
    const d = waiter("d");
    (await a).release();
    (await b).release();
    (await c).release();
    (await d).release();
    expect(order).toEqual(["a", "b", "c", "d"]);
    expect(sem.value).toBe(1);
  });

  it("removes a cancelled waiter from the line: it never gets a unit", async () => {
    const sem = new Semaphore(1);
    const held = await sem.acquire();
    const got: string[] = [];
    const cancelled = createTask(async () => {
      await sem.acquire();
      got.push("cancelled task");
    });
    const next = createTask(async () => {
      await using _ = await sem.acquire();
      got.push("next");
    });
    await settle();
    expect(sem.waiting).toBe(2);
    cancelled.cancel();
    await expect(Promise.resolve(cancelled)).rejects.toBeInstanceOf(CancelledError);
    expect(sem.waiting).toBe(1);
    held.release();
    await next;
    expect(got).toEqual(["next"]);
    expect(sem.value).toBe(1);
  });

  it("does not lose the unit when a waiter is woken and cancelled in the same tick", async () => {
    const sem = new Semaphore(1);
    const held = await sem.acquire();
    const steps: string[] = [];
    const task = createTask(async () => {
      await using _ = await sem.acquire();
      steps.push("acquired");
      await sleep(50);
      steps.push("not reached");
    });
    const other = createTask(() => sem.run(() => steps.push("other ran")));
    await settle();
    held.release(); // hands the unit to `task`...
    task.cancel(); // ...which is cancelled before it could run
    await expect(Promise.resolve(task)).rejects.toBeInstanceOf(CancelledError);
    await other;
    expect(steps).not.toContain("not reached");
    expect(steps).toContain("other ran");
    expect(sem.value).toBe(1);
    expect(sem.waiting).toBe(0);
  });

  it("gives the unit to the next waiter when the first is cancelled just before the release", async () => {
    const sem = new Semaphore(1);
    const held = await sem.acquire();
    const first = createTask(() => sem.run(() => "first"));
    const second = createTask(() => sem.run(() => "second"));
    await settle();
    first.cancel();
    held.release();
    await expect(Promise.resolve(first)).rejects.toBeInstanceOf(CancelledError);
    expect(await second).toBe("second");
    expect(sem.value).toBe(1);
  });

  it("releases through the token exactly once, also with await using", async () => {
    const sem = new Semaphore(2);
    {
      await using _ = await sem.acquire();
      expect(sem.value).toBe(1);
    }
    expect(sem.value).toBe(2);
    const token = await sem.acquire();
    token.release();
    token.release();
    token[Symbol.dispose]();
    expect(sem.value).toBe(2);
  });

  it("run() releases when fn throws and passes fn's value through", async () => {
    const sem = new Semaphore(1);
    await expect(sem.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(
      sem.run(() => {
        throw new Error("sync boom");
      }),
    ).rejects.toThrow("sync boom");
    expect(await sem.run(async () => 42)).toBe(42);
    expect(sem.value).toBe(1);
  });

  it("runs each queued job in the async context of its run() call", async () => {
    const store = new AsyncLocalStorage<string>();
    const sem = new Semaphore(1);
    const seen: string[] = [];
    const job = (name: string) => async () => {
      seen.push(`${name} sees ${store.getStore()} in ${currentTask()?.name ?? "no task"}`);
      await sleep(0);
    };
    // Each caller is its own async context (an async function entered under a store), as in a server or a notebook.
    const from = (value: string, name: string) =>
      store.run(value, async () => {
        await null;
        return sem.run(job(name));
      });
    const calls = [from("A", "a1"), from("A", "a2"), from("B", "b1"), from("B", "b2")];
    calls.push(createTask(() => sem.run(job("t1")), { name: "T" }), from("A", "a3"));
    await Promise.all(calls);
    expect(seen.sort()).toEqual([
      "a1 sees A in no task",
      "a2 sees A in no task",
      "b1 sees B in no task",
      "b2 sees B in no task",
      "a3 sees A in no task",
      "t1 sees undefined in T",
    ].sort());
  });

  it("runs each queued job in the context of its caller when each caller is a timer callback under its own store", async () => {
    // The cell from issue 14: on Node 24+ all four saw the first caller's store (A->A B->A C->A D->A).
    const store = new AsyncLocalStorage<string>();
    const sem = new Semaphore(1);
    const seen: string[] = [];
    const calls = ["A", "B", "C", "D"].map(
      (name, i) =>
        new Promise((resolve) =>
          setTimeout(() => store.run(name, async () => {
            await null;
            resolve(sem.run(async () => {
              seen.push(`${name}->${store.getStore()}`);
              await sleep(1);
            }));
          }), i),
        ),
    );
    await Promise.all(calls);
    expect(seen).toEqual(["A->A", "B->B", "C->C", "D->D"]);
  });

  // With async_hooks (Node 20, 22) one synchronous stretch is one resource and one lane: the documented limit.
  it.runIf(!resourcesIdentifyContexts)("tells apart callers in one synchronous stretch under different stores (AsyncContextFrame)", async () => {
    const store = new AsyncLocalStorage<string>();
    const sem = new Semaphore(1);
    const seen: string[] = [];
    const job = () => seen.push(`${store.getStore()}`);
    const calls = ["A", "B", "A", "C"].map((name) => store.run(name, () => sem.run(job)));
    await Promise.all(calls);
    expect(seen).toEqual(["A", "B", "A", "C"]);
  });

  it("hands a unit to another task's job only once the releasing task has finished (as asyncio wakes a waiter later)", async () => {
    // Starting it inside the release drew three tasks at once under a Semaphore(2) on a timeline (Node 24+).
    const sem = new Semaphore(1);
    const first = createTask(() => sem.run(() => sleep(5)), { name: "first" });
    let firstDone: boolean | undefined;
    const second = createTask(() => sem.run(() => void (firstDone = first.done())), { name: "second" });
    await Promise.all([first, second]);
    expect(firstDone).toBe(true);
  });

  it("serves acquire() and run() callers in one fair line", async () => {
    const sem = new Semaphore(1);
    const held = await sem.acquire();
    const order: string[] = [];
    const r1 = sem.run(() => order.push("run1"));
    const a1 = sem.acquire().then((h) => (order.push("acquire1"), h.release()));
    const r2 = sem.run(() => order.push("run2"));
    held.release();
    await Promise.all([r1, a1, r2]);
    expect(order).toEqual(["run1", "acquire1", "run2"]);
    expect(sem.value).toBe(1);
  });

  it("cancelling a task drops all its queued run() jobs and keeps others in line", async () => {
    const sem = new Semaphore(1);
    const held = await sem.acquire();
    const ran: string[] = [];
    const task = createTask(() => Promise.all([1, 2, 3].map((n) => sem.run(() => ran.push(`task${n}`)))));
    await settle();
    const outside = sem.run(() => ran.push("outside"));
    expect(sem.waiting).toBe(4);
    task.cancel();
    await expect(Promise.resolve(task)).rejects.toBeInstanceOf(CancelledError);
    expect(sem.waiting).toBe(1);
    held.release();
    await outside;
    expect(ran).toEqual(["outside"]);
    expect(sem.value).toBe(1);
  });

  it("a run() in an already-cancelled task rejects without queueing", async () => {
    const sem = new Semaphore(0);
    const task = createTask(async () => {
      currentTask()!.cancel();
      return sem.run(() => "never");
    });
    await expect(Promise.resolve(task)).rejects.toBeInstanceOf(CancelledError);
    expect(sem.waiting).toBe(0);
  });

  it("a plain Semaphore may be released above its initial value", () => {
    const sem = new Semaphore(1);
    sem.release();
    expect(sem.value).toBe(2);
  });

  it("rejects a negative or fractional initial value", () => {
    expect(() => new Semaphore(-1)).toThrow(RangeError);
    expect(() => new Semaphore(1.5)).toThrow(RangeError);
  });
});

describe("BoundedSemaphore", () => {
  it("throws RangeError on a release above the initial value", async () => {
    const sem = new BoundedSemaphore(2);
    expect(() => sem.release()).toThrow(RangeError);
    const held = await sem.acquire();
    held.release();
    expect(() => sem.release()).toThrow(/released too many times/);
    expect(sem.value).toBe(2);
  });

  it("limits like a Semaphore", async () => {
    const sem = new BoundedSemaphore(1);
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((n) => sem.run(async () => {
      order.push(n);
      await sleep(1);
      order.push(-n);
    })));
    expect(order).toEqual([1, -1, 2, -2, 3, -3]);
  });
});
