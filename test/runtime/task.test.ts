// Task behaviour: naming, results, cancellation in all its asyncio edges, currentTask/allTasks/currentSignal,
// waitable's contract, and how unretrieved failures are reported.
import { describe, expect, it } from "vitest";
import {
  CancelledError,
  InvalidStateError,
  TaskGroup,
  allTasks,
  asCompleted,
  gather,
  shield,
  timeout,
  wait,
  waitFor,
  createTask,
  currentSignal,
  currentTask,
  sleep,
  waitable,
  type Task,
  setTimeScale,
} from "../../runtime/index.ts";

// These tests order events by short real delays: pin real time even if LOOPLAB_TIME_SCALE is set.
setTimeScale(1);

/** Lets started tasks reach their first await. */
const settle = () => sleep(1);

describe("createTask", () => {
  it("runs fn as a task and awaits to its value", async () => {
    const task = createTask(async () => {
      await sleep(1);
      return 42;
    });
    expect(task.done()).toBe(false);
    expect(await task).toBe(42);
    expect(task.done()).toBe(true);
    expect(task.result()).toBe(42);
    expect(task.exception()).toBeUndefined();
    expect(task.outcome).toBe("ok");
  });

  it("starts fn soon, not inside createTask (like loop.call_soon)", async () => {
    const order: string[] = [];
    const task = createTask(() => {
      order.push("task");
    });
    order.push("after createTask");
    await task;
    expect(order).toEqual(["after createTask", "task"]);
  });

  it("names a task by option, else by function name, else Task-N", async () => {
    async function fetchUser() {}
    const named = createTask(fetchUser, { name: "custom" });
    const byFn = createTask(fetchUser);
    const anon = createTask(async () => {});
    expect(named.name).toBe("custom");
    expect(byFn.name).toBe("fetchUser");
    expect(anon.name).toMatch(/^Task-\d+$/);
    await Promise.all([named, byFn, anon]);
    expect(String(byFn)).toBe("Task<fetchUser done>");
  });

  it("accepts synchronous functions", async () => {
    expect(await createTask(() => 7)).toBe(7);
    const failing = createTask(() => {
      throw new Error("sync boom");
    });
    await expect(failing).rejects.toThrow("sync boom");
  });

  it("rejects non-functions (a started promise cannot join a task)", () => {
    expect(() => createTask(Promise.resolve(1) as never)).toThrow(TypeError);
  });

  it("result() and exception() before done throw InvalidStateError", async () => {
    const task = createTask(() => sleep(5));
    expect(() => task.result()).toThrow(InvalidStateError);
    expect(() => task.exception()).toThrow(InvalidStateError);
    await task;
  });

  it("a failing task rethrows its error from await and result(), and exception() returns it", async () => {
    const boom = new Error("boom");
    const task = createTask(async () => {
      await sleep(1);
      throw boom;
    });
    await expect(task).rejects.toBe(boom);
    expect(() => task.result()).toThrow(boom);
    expect(task.exception()).toBe(boom);
    expect(task.outcome).toBe("error");
  });

  it("then/catch/finally work like a promise's", async () => {
    const task = createTask(async () => 3);
    expect(await task.then((v) => v * 2)).toBe(6);
    const failing = createTask(async () => {
      throw new Error("x");
    });
    expect(await failing.catch((e: Error) => e.message)).toBe("x");
    let ran = false;
    await task.finally(() => (ran = true));
    expect(ran).toBe(true);
  });

  it("parent is the task current at creation", async () => {
    // (Tasks are thenables: returning one from an async function would adopt it, so wrap them in objects.)
    let child: Task<{ current: unknown }> | undefined;
    const parent = createTask(async () => {
      child = createTask(async () => ({ current: currentTask() }));
    });
    await parent;
    expect(child!.parent).toBe(parent);
    expect((await child!).current).toBe(child);
    expect(parent.parent).toBeUndefined();
  });
});

describe("currentTask / allTasks", () => {
  it("currentTask is the running task through awaits, undefined outside", async () => {
    expect(currentTask()).toBeUndefined();
    const seen: unknown[] = [];
    const task = createTask(async () => {
      seen.push(currentTask());
      await sleep(1);
      await Promise.resolve();
      seen.push(currentTask());
    });
    await task;
    expect(seen).toEqual([task, task]);
  });

  it("allTasks lists exactly the tasks not yet done", async () => {
    const a = createTask(() => sleep(20));
    const b = createTask(() => sleep(1));
    await b;
    const pending = allTasks();
    expect(pending.has(a)).toBe(true);
    expect(pending.has(b)).toBe(false);
    a.cancel();
    await a.catch(() => {});
    expect(allTasks().has(a)).toBe(false);
  });
});

describe("cancel", () => {
  it("rejects the current runtime await with CancelledError(msg) and finally blocks run", async () => {
    const log: string[] = [];
    const task = createTask(async () => {
      try {
        await sleep(10_000);
        log.push("not reached");
      } finally {
        log.push("finally");
      }
    });
    await settle();
    expect(task.cancel("stop it")).toBe(true);
    const error = await task.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as Error).message).toBe("stop it");
    expect(log).toEqual(["finally"]);
    expect(task.cancelled()).toBe(true);
    expect(task.outcome).toBe("cancelled");
    expect(() => task.result()).toThrow(CancelledError);
    expect(() => task.exception()).toThrow(CancelledError);
  });

  it("returns false for a task that is already done", async () => {
    const task = createTask(async () => 1);
    await task;
    expect(task.cancel()).toBe(false);
    expect(task.cancelled()).toBe(false);
  });

  it("before the first step: fn never runs", async () => {
    let ran = false;
    const task = createTask(async () => {
      ran = true;
    });
    task.cancel();
    await expect(task).rejects.toBeInstanceOf(CancelledError);
    expect(ran).toBe(false);
    expect(task.cancelled()).toBe(true);
  });

  it("a task that swallows CancelledError finishes normally with its value", async () => {
    const task = createTask(async () => {
      try {
        await sleep(10_000);
      } catch (error) {
        if (error instanceof CancelledError) return "swallowed";
        throw error;
      }
      return "slept";
    });
    await settle();
    task.cancel();
    expect(await task).toBe("swallowed");
    expect(task.cancelled()).toBe(false);
    expect(task.outcome).toBe("ok");
  });

  it("a cancel requested while not in a runtime await rejects the next one at once", async () => {
    let release!: () => void;
    const outside = new Promise<void>((r) => (release = r));
    let nextAwaitError: unknown;
    const task = createTask(async () => {
      await outside; // not a runtime await: cancel cannot interrupt it
      const started = Date.now();
      try {
        await sleep(10_000);
      } catch (error) {
        nextAwaitError = error;
        expect(Date.now() - started).toBeLessThan(5_000);
        throw error;
      }
    });
    await settle();
    task.cancel("later");
    release();
    await expect(task).rejects.toBeInstanceOf(CancelledError);
    expect(nextAwaitError).toBeInstanceOf(CancelledError);
  });

  it("a task cancelled while it waits on something else still ends cancelled if it finishes first (asyncio)", async () => {
    let release!: () => void;
    const outside = new Promise<void>((r) => (release = r));
    const task = createTask(async () => {
      await outside;
      return "finished";
    });
    await settle();
    task.cancel();
    release();
    await expect(task).rejects.toBeInstanceOf(CancelledError);
    expect(task.cancelled()).toBe(true);
  });

  it("a task can cancel itself", async () => {
    const task = createTask(async () => {
      currentTask()!.cancel("self");
      await sleep(1);
    });
    await expect(task).rejects.toThrow("self");
  });

  it("a task that throws CancelledError on its own ends cancelled", async () => {
    const task = createTask(async () => {
      throw new CancelledError("own");
    });
    await expect(task).rejects.toBeInstanceOf(CancelledError);
    expect(task.cancelled()).toBe(true);
  });

  it("cancels every overlapping await of the task, without unhandled rejections", async () => {
    const task = createTask(async () => {
      const dropped = sleep(10_000); // never awaited
      void dropped;
      await Promise.all([sleep(10_000), sleep(20_000)]);
    });
    await settle();
    task.cancel();
    await expect(task).rejects.toBeInstanceOf(CancelledError);
  });

  it("cancelling()/uncancel() count requests", async () => {
    const task = createTask(async () => {
      try {
        await sleep(10_000);
      } catch {
        /* swallow */
      }
      return currentTask()!.cancelling();
    });
    await settle();
    task.cancel();
    task.cancel(); // merges with the first, which is already on its way into the task (as in asyncio)
    expect(task.cancelling()).toBe(2);
    expect(await task).toBe(2);
    expect(task.cancelled()).toBe(false);
    expect(task.uncancel()).toBe(1);
    expect(task.uncancel()).toBe(0);
    expect(task.uncancel()).toBe(0);
  });

  it("awaiting a task links cancellation: cancelling the awaiter cancels the awaited and waits for its cleanup", async () => {
    const log: string[] = [];
    const inner = createTask(async function inner() {
      try {
        await sleep(10_000);
      } finally {
        await sleep(5); // cleanup that itself takes time
        log.push("inner cleaned up");
      }
    });
    const outer = createTask(async function outer() {
      try {
        await inner;
      } finally {
        log.push("outer saw cancellation");
      }
    });
    await settle();
    outer.cancel();
    await expect(outer).rejects.toBeInstanceOf(CancelledError);
    expect(inner.cancelled()).toBe(true);
    expect(log).toEqual(["inner cleaned up", "outer saw cancellation"]);
  });

  it("awaiting a task that swallows the linked cancellation gives its value", async () => {
    const inner = createTask(async () => {
      try {
        await sleep(10_000);
      } catch {
        return "inner survived";
      }
    });
    const outer = createTask(async () => await inner);
    await settle();
    outer.cancel();
    expect(await outer).toBe("inner survived");
  });

  it("a cancel after the task has moved on to its next await cancels that await too", async () => {
    const log: string[] = [];
    const task = createTask(async () => {
      try {
        await sleep(10_000);
      } catch {
        log.push("first cancel caught");
      }
      try {
        await sleep(10_000);
      } finally {
        log.push("second await cancelled");
      }
    });
    await settle();
    task.cancel();
    await settle();
    task.cancel();
    await expect(task).rejects.toBeInstanceOf(CancelledError);
    expect(log).toEqual(["first cancel caught", "second await cancelled"]);
  });

  it("cleanup awaits in finally still work after a double cancel", async () => {
    const log: string[] = [];
    const task = createTask(async () => {
      try {
        await sleep(10_000);
      } finally {
        await sleep(2);
        log.push("cleanup done");
      }
    });
    await settle();
    task.cancel();
    task.cancel();
    await expect(task).rejects.toBeInstanceOf(CancelledError);
    expect(log).toEqual(["cleanup done"]);
  });

  it("a task awaiting itself is an error, not a hang", async () => {
    const task: Task<unknown> = createTask(async () => {
      await sleep(1);
      return await task;
    });
    await expect(task).rejects.toBeInstanceOf(InvalidStateError);
  });
});

describe("currentSignal", () => {
  it("aborts with CancelledError when the task is cancelled (a fetch-like API sees it)", async () => {
    // A fetch-like API: resolves after a while unless its signal aborts first.
    function fakeFetch(url: string, { signal }: { signal: AbortSignal }): Promise<string> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => resolve(`body of ${url}`), 10_000);
        signal.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      });
    }
    let signal: AbortSignal | undefined;
    const task = createTask(async () => {
      signal = currentSignal();
      return await fakeFetch("http://x", { signal });
    });
    await settle();
    expect(signal!.aborted).toBe(false);
    task.cancel("user pressed stop");
    await expect(task).rejects.toBeInstanceOf(CancelledError);
    expect(signal!.aborted).toBe(true);
    expect(signal!.reason).toBeInstanceOf(CancelledError);
    expect(task.cancelled()).toBe(true);
  });

  it("is already aborted when first asked after a cancel, and never aborts outside a task", async () => {
    const outside = currentSignal();
    expect(outside.aborted).toBe(false);
    let late: AbortSignal | undefined;
    const task = createTask(async () => {
      try {
        await sleep(10_000);
      } catch {
        late = currentSignal();
      }
    });
    await settle();
    task.cancel();
    await task;
    expect(late!.aborted).toBe(true);
    expect(outside.aborted).toBe(false);
  });
});

describe("waitable", () => {
  it("is a plain promise outside a task", async () => {
    const value = await waitable<number>("event", (resolve) => {
      setTimeout(() => resolve(5), 1);
    });
    expect(value).toBe(5);
  });

  it("inside a task, cancel runs the cleanup and rejects; a late resolve is ignored", async () => {
    let cleanups = 0;
    let resolveLater!: (v: string) => void;
    const task = createTask(async () =>
      waitable<string>("queue-get", (resolve) => {
        resolveLater = resolve;
        return () => cleanups++;
      }),
    );
    await settle();
    task.cancel();
    resolveLater("too late");
    await expect(task).rejects.toBeInstanceOf(CancelledError);
    expect(cleanups).toBe(1);
  });

  it("with a pending cancel rejects at once without calling start", async () => {
    let started = false;
    const task = createTask(async () => {
      currentTask()!.cancel();
      return waitable("lock", () => {
        started = true;
      });
    });
    await expect(task).rejects.toBeInstanceOf(CancelledError);
    expect(started).toBe(false);
  });

  it("a start that throws rejects the await", async () => {
    const task = createTask(() =>
      waitable("lock", () => {
        throw new Error("start failed");
      }),
    );
    await expect(task).rejects.toThrow("start failed");
  });

  it("does not call the cleanup after a normal resolve", async () => {
    let cleanups = 0;
    const task = createTask(async () => {
      const v = await waitable<number>("event", (resolve) => {
        resolve(1);
        return () => cleanups++;
      });
      await sleep(10_000);
      return v;
    });
    await settle();
    task.cancel();
    await task.catch(() => {});
    expect(cleanups).toBe(0);
  });
});

describe("unretrieved failures", () => {
  // Node reports them through process 'unhandledRejection' (vitest would fail the run on a real one, so each test
  // installs its own listener and removes it afterwards).
  async function collectUnhandled(body: () => Promise<void>): Promise<unknown[]> {
    const seen: unknown[] = [];
    const listeners = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    const listener = (reason: unknown) => seen.push(reason);
    process.on("unhandledRejection", listener);
    try {
      await body();
      await new Promise((r) => setTimeout(r, 20));
    } finally {
      process.off("unhandledRejection", listener);
      for (const l of listeners) process.on("unhandledRejection", l as never);
    }
    return seen;
  }

  it("a failing task that nobody awaits is reported as an unhandled rejection", async () => {
    const boom = new Error("nobody listens");
    const seen = await collectUnhandled(async () => {
      createTask(async () => {
        throw boom;
      });
      await sleep(5);
    });
    expect(seen).toEqual([boom]);
  });

  it("an awaited, result()-checked or cancelled task is not reported", async () => {
    const seen = await collectUnhandled(async () => {
      const awaited = createTask(async () => {
        throw new Error("awaited");
      });
      await awaited.catch(() => {});
      const checked = createTask(async () => {
        await sleep(5);
        throw new Error("checked");
      });
      // Awaited later in the same turn in which it fails: still counts as handled.
      checked.addDoneCallback((t) => void t.exception());
      const cancelled = createTask(() => sleep(10_000));
      await sleep(1);
      cancelled.cancel();
      await sleep(10);
    });
    expect(seen).toEqual([]);
  });
});

describe("every runtime await of a cancelled task rejects with CancelledError and runs finally", () => {
  const never = () => new Promise<never>(() => {});
  const awaits: Record<string, () => Promise<unknown>> = {
    "sleep(ms)": () => sleep(10_000),
    waitable: () => waitable("event", () => {}),
    "await task": async () => await createTask(() => sleep(10_000)),
    gather: () => gather(() => sleep(10_000), never()),
    "gather of promises": () => gather(never(), never()),
    waitFor: () => waitFor(() => sleep(10_000), 20_000),
    "waitFor(promise)": () => waitFor(never(), 20_000),
    timeout: () => timeout(20_000, () => sleep(10_000)),
    wait: () => wait([createTask(() => sleep(10_000))]),
    asCompleted: async () => {
      for await (const _ of asCompleted([createTask(() => sleep(10_000))])) {
        /* never */
      }
    },
    shield: () => shield(() => sleep(10_000)),
    "TaskGroup.run": () => TaskGroup.run(async (tg) => void tg.createTask(() => sleep(10_000))),
  };
  for (const [name, start] of Object.entries(awaits)) {
    it(name, async () => {
      let cleanedUp = false;
      const task = createTask(async () => {
        try {
          await start();
        } finally {
          cleanedUp = true;
        }
      });
      await sleep(2);
      expect(task.done()).toBe(false);
      task.cancel();
      await expect(task).rejects.toBeInstanceOf(CancelledError);
      expect(cleanedUp).toBe(true);
    });
  }
});

describe("task names in stack traces", () => {
  it("an anonymous function takes the task's name, so tracebacks name the task; a named function keeps its own", async () => {
    const anonymous = createTask(async () => {
      await sleep(1);
      throw new Error("from the task");
    }, { name: "download 1" });
    const error = (await anonymous.then(undefined, (e: unknown) => e)) as Error;
    expect(error.stack?.split("\n")[1]).toMatch(/^\s+at download 1 \(/);

    async function fetchPage(): Promise<never> {
      await sleep(1);
      throw new Error("from a named function");
    }
    const named = createTask(fetchPage, { name: "page task" });
    const second = (await named.then(undefined, (e: unknown) => e)) as Error;
    expect(second.stack?.split("\n")[1]).toMatch(/^\s+at fetchPage \(/);
    expect(fetchPage.name).toBe("fetchPage");
  });
});
