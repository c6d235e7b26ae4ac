// timeout and waitFor: TimeoutError on expiry, cancellation of the inner task (after its cleanup), outside
// cancellation staying CancelledError, swallowed cancellation, plain promises, and the "timeout" outcome.
import { describe, expect, it } from "vitest";
import {
  CancelledError,
  TimeoutError,
  createTask,
  currentSignal,
  sleep,
  timeout,
  waitFor,
  type Task,
  setTimeScale,
} from "../../runtime/index.ts";

// These tests order events by short real delays: pin real time even if LOOPLAB_TIME_SCALE is set.
setTimeScale(1);

describe("waitFor", () => {
  it("returns the value when the awaitable is in time", async () => {
    expect(await waitFor(() => sleep(1, "v"), 1_000)).toBe("v");
    expect(await waitFor(Promise.resolve(3), 1_000)).toBe(3);
  });

  it("on timeout cancels the inner task, waits for its finally, then rejects with TimeoutError", async () => {
    const log: string[] = [];
    const inner = createTask(async () => {
      try {
        await sleep(10_000);
      } finally {
        await sleep(3);
        log.push("inner cleaned up");
      }
    });
    const error = await waitFor(inner, 5).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toContain("5 ms");
    expect((error as Error).cause).toBeInstanceOf(CancelledError);
    expect(inner.cancelled()).toBe(true);
    expect(log).toEqual(["inner cleaned up"]);
  });

  it("starts a function as a task and cancels it on timeout", async () => {
    let signal: AbortSignal | undefined;
    await expect(
      waitFor(async () => {
        signal = currentSignal();
        await sleep(10_000);
      }, 2),
    ).rejects.toBeInstanceOf(TimeoutError);
    expect(signal!.aborted).toBe(true);
  });

  it("abandons a plain promise on timeout", async () => {
    await expect(waitFor(new Promise(() => {}), 2)).rejects.toBeInstanceOf(TimeoutError);
  });

  it("returns the inner value if the inner task swallows the cancellation", async () => {
    const value = await waitFor(async () => {
      try {
        await sleep(10_000);
      } catch {
        return "declined";
      }
    }, 2);
    expect(value).toBe("declined");
  });

  it("null/undefined/Infinity mean no deadline", async () => {
    expect(await waitFor(() => sleep(2, 1), null)).toBe(1);
    expect(await waitFor(() => sleep(2, 2), undefined)).toBe(2);
    expect(await waitFor(() => sleep(2, 3), Infinity)).toBe(3);
  });

  it("cancelling the awaiting task cancels the inner task and stays a CancelledError", async () => {
    let inner: Task<unknown> | undefined;
    const outer = createTask(async () => {
      inner = createTask(() => sleep(10_000));
      return await waitFor(inner, 10_000);
    });
    await sleep(2);
    outer.cancel();
    const error = await outer.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(inner!.cancelled()).toBe(true);
  });

  it("a task that ends with waitFor's TimeoutError has outcome 'timeout'", async () => {
    const task = createTask(() => waitFor(() => sleep(10_000), 1));
    await expect(task).rejects.toBeInstanceOf(TimeoutError);
    expect(task.outcome).toBe("timeout");
    expect(task.cancelled()).toBe(false);
  });
});

describe("timeout", () => {
  it("returns fn's value in time and leaves the task's cancel count alone", async () => {
    const task: Task<{ v: string; cancelling: number }> = createTask(async () => {
      const v = await timeout(1_000, () => sleep(1, "in time"));
      return { v, cancelling: task.cancelling() };
    });
    expect(await task).toEqual({ v: "in time", cancelling: 0 });
  });

  it("runs fn in the current task and turns its own expiry into TimeoutError", async () => {
    const task: Task<unknown> = createTask(async () => {
      let inside: unknown;
      const error = await timeout(2, async () => {
        inside = task;
        await sleep(10_000);
      }).catch((e: unknown) => e);
      return { error, sameTask: inside === task, cancelling: task.cancelling() };
    });
    const result = (await task) as { error: unknown; sameTask: boolean; cancelling: number };
    expect(result.error).toBeInstanceOf(TimeoutError);
    expect(result.sameTask).toBe(true);
    expect(result.cancelling).toBe(0);
    expect(task.cancelled()).toBe(false);
  });

  it("a cancel from outside during a timeout stays a CancelledError", async () => {
    const task = createTask(() => timeout(10_000, () => sleep(10_000)));
    await sleep(2);
    task.cancel();
    const error = await task.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect(error).not.toBeInstanceOf(TimeoutError);
  });

  it("works outside any task", async () => {
    await expect(timeout(2, () => sleep(10_000))).rejects.toBeInstanceOf(TimeoutError);
    expect(await timeout(100, async () => "ok")).toBe("ok");
  });

  it("nested timeouts: the inner one that expires is the one that throws", async () => {
    const result = await createTask(async () => {
      try {
        await timeout(10_000, () => timeout(2, () => sleep(10_000)));
      } catch (e) {
        return e;
      }
    });
    expect(result).toBeInstanceOf(TimeoutError);
    expect((result as Error).message).toContain("2 ms");
  });
});
