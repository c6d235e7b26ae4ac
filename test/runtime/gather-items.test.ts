// Per-item deadlines and shields inside gather({ returnExceptions: true }), in the promise form a port of
// `gather(*(wait_for(fetch(u), 0.3) for u in urls), return_exceptions=True)` writes, and the function form:
// asyncio's documented outcome is a TimeoutError in each late slot, values in the others, and the caller unharmed.
import { describe, expect, it } from "vitest";
import {
  CancelledError,
  TimeoutError,
  asCompleted,
  createTask,
  currentSignal,
  gather,
  shield,
  sleep,
  timeout,
  wait,
  waitFor,
  setTimeScale,
  type Task,
} from "../../runtime/index.ts";

setTimeScale(1);

/** A fetch stand-in: a plain promise that settles after ms, the way an un-cancellable library call does. */
const fetchAfter = (ms: number, value: string) => new Promise<string>((resolve) => setTimeout(resolve, ms, value));
const DELAYS = { a: 5, slow: 400, b: 10 } as const;

/** Runs body as a task (a notebook cell is one) and reports whether the task itself was cancelled. */
async function inTask<T>(body: () => Promise<T>) {
  const task: Task<{ value: T; cancelling: number }> = createTask(async () => ({ value: await body(), cancelling: task.cancelling() }));
  const { value, cancelling } = await task;
  return { value, cancelling, cancelled: task.cancelled() };
}

describe("waitFor per item inside gather({ returnExceptions: true })", () => {
  it("plain promises: the late slot holds a TimeoutError, the others their values, the caller goes on", async () => {
    const { value, cancelling, cancelled } = await inTask(async () => {
      const results = await gather(...Object.entries(DELAYS).map(([name, ms]) => waitFor(fetchAfter(ms, name), 60)), { returnExceptions: true });
      // The caller is still able to await after gather: nothing cancelled it.
      await sleep(1);
      return results;
    });
    expect(value[0]).toBe("a");
    expect(value[1]).toBeInstanceOf(TimeoutError);
    expect(value[2]).toBe("b");
    expect(cancelling).toBe(0);
    expect(cancelled).toBe(false);
  });

  it("outside any task as well (a plain script)", async () => {
    const results = await gather(waitFor(fetchAfter(1, "a"), 60), waitFor(new Promise(() => {}), 5), { returnExceptions: true });
    expect(results[0]).toBe("a");
    expect(results[1]).toBeInstanceOf(TimeoutError);
  });

  it("functions: only the late item's task is cancelled (its signal aborts, its finally has run), and none other", async () => {
    const log: string[] = [];
    const item = (name: string, ms: number) => async () => {
      const signal = currentSignal();
      try {
        await sleep(ms);
        return name;
      } finally {
        log.push(`${name} ${signal.aborted ? "aborted" : "finished"}`);
      }
    };
    const { value, cancelled } = await inTask(() =>
      gather(...Object.entries(DELAYS).map(([name, ms]) => waitFor(item(name, ms), 60)), { returnExceptions: true }),
    );
    expect(value[0]).toBe("a");
    expect(value[1]).toBeInstanceOf(TimeoutError);
    expect((value[1] as Error).cause).toBeInstanceOf(CancelledError);
    expect(value[2]).toBe("b");
    expect(log.sort()).toEqual(["a finished", "b finished", "slow aborted"]);
    expect(cancelled).toBe(false);
  });

  it("cancelling the caller cancels the inner tasks (asyncio: 'if the wait is cancelled, the future aw is also cancelled')", async () => {
    const inner = [createTask(() => sleep(10_000)), createTask(() => sleep(10_000))];
    const caller = createTask(() => gather(...inner.map((task) => waitFor(task, 5_000)), { returnExceptions: true }));
    await sleep(5);
    caller.cancel();
    await expect(caller).rejects.toBeInstanceOf(CancelledError);
    expect(inner.every((task) => task.cancelled())).toBe(true);
  });

  it("a promise that settles after its deadline changes nothing, and its failure is not reported as unhandled", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const late = new Promise((_, reject) => setTimeout(reject, 20, new Error("late failure")));
      const results = await gather(waitFor(late, 2), { returnExceptions: true });
      expect(results[0]).toBeInstanceOf(TimeoutError);
      await sleep(40);
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});

describe("timeout per item inside gather({ returnExceptions: true })", () => {
  it("given to gather as functions, each item runs in a task of its own: its expiry is that item's TimeoutError only", async () => {
    const { value, cancelled } = await inTask(() =>
      gather(...Object.entries(DELAYS).map(([name, ms]) => () => timeout(60, () => sleep(ms, name))), { returnExceptions: true }),
    );
    expect(value[0]).toBe("a");
    expect(value[1]).toBeInstanceOf(TimeoutError);
    expect(value[2]).toBe("b");
    expect(cancelled).toBe(false);
  });
});

describe("shield, wait and asCompleted with plain promises", () => {
  it("shield(promise) in gather: a failure lands in its slot; cancelling the caller leaves the promise's work to finish", async () => {
    const results = await gather(shield(fetchAfter(1, "a")), shield(Promise.reject(new Error("boom"))), { returnExceptions: true });
    expect(results[0]).toBe("a");
    expect((results[1] as Error).message).toBe("boom");

    let finished = false;
    const work = fetchAfter(20, "done").then((v) => ((finished = true), v));
    const caller = createTask(() => gather(shield(work), { returnExceptions: true }));
    await sleep(2);
    caller.cancel();
    await expect(caller).rejects.toBeInstanceOf(CancelledError);
    expect(await work).toBe("done");
    expect(finished).toBe(true);
  });

  it("wait(promises, { timeout }) returns done and pending without raising or cancelling anything (asyncio.wait)", async () => {
    const { value, cancelled } = await inTask(async () => {
      const { done, pending } = await wait([fetchAfter(1, "fast"), fetchAfter(200, "slow")], { timeout: 40 });
      const [slow] = [...pending];
      return { done: [...done].map((task) => task.result()), slowCancelled: slow!.cancelled(), slow: await slow };
    });
    expect(value).toEqual({ done: ["fast"], slowCancelled: false, slow: "slow" });
    expect(cancelled).toBe(false);
  });

  it("asCompleted(promises, { timeout }) yields what finished, then throws TimeoutError in the caller only", async () => {
    const slow = fetchAfter(200, "slow");
    const { value, cancelled } = await inTask(async () => {
      const seen: string[] = [];
      let error: unknown;
      try {
        for await (const next of asCompleted([slow, fetchAfter(1, "fast")], { timeout: 40 })) seen.push(await next);
      } catch (e) {
        error = e;
      }
      return { seen, error };
    });
    expect(value.seen).toEqual(["fast"]);
    expect(value.error).toBeInstanceOf(TimeoutError);
    expect(cancelled).toBe(false);
    expect(await slow).toBe("slow");
  });
});
