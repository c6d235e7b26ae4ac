// shield: the awaiting task's cancellation rejects the shield but leaves the inner work running.
import { describe, expect, it } from "vitest";
import { CancelledError, createTask, shield, sleep, type Task, setTimeScale } from "../../runtime/index.ts";

// These tests order events by short real delays: pin real time even if LOOPLAB_TIME_SCALE is set.
setTimeScale(1);

describe("shield", () => {
  it("passes the value (and the error) through when nothing is cancelled", async () => {
    expect(await shield(() => sleep(1, "v"))).toBe("v");
    await expect(shield(Promise.reject(new Error("e")))).rejects.toThrow("e");
  });

  it("cancelling the awaiting task rejects the shield at once and the inner task completes", async () => {
    const inner = createTask(async () => {
      await sleep(10);
      return "inner finished";
    });
    const outer = createTask(() => shield(inner));
    await sleep(1);
    outer.cancel();
    await expect(outer).rejects.toBeInstanceOf(CancelledError);
    expect(inner.done()).toBe(false);
    expect(await inner).toBe("inner finished");
    expect(inner.cancelled()).toBe(false);
  });

  it("without the shield the same cancel reaches the inner task", async () => {
    const inner: Task<string> = createTask(async () => {
      await sleep(10);
      return "inner finished";
    });
    const outer = createTask(async () => await inner);
    await sleep(1);
    outer.cancel();
    await expect(outer).rejects.toBeInstanceOf(CancelledError);
    expect(inner.cancelled()).toBe(true);
  });

  it("cancelling the inner task directly still cancels it, and the shield rejects", async () => {
    const inner = createTask(() => sleep(10_000));
    const outer = createTask(() => shield(inner));
    await sleep(1);
    inner.cancel();
    await expect(outer).rejects.toBeInstanceOf(CancelledError);
    expect(inner.cancelled()).toBe(true);
  });

  it("an inner failure after the shield was cancelled is not reported as unhandled", async () => {
    const seen: unknown[] = [];
    const listener = (reason: unknown) => seen.push(reason);
    process.prependListener("unhandledRejection", listener);
    try {
      const outer = createTask(() =>
        shield(async () => {
          await sleep(3);
          throw new Error("late");
        }),
      );
      await sleep(1);
      outer.cancel();
      await outer.catch(() => {});
      await sleep(10);
    } finally {
      process.off("unhandledRejection", listener);
    }
    expect(seen).toEqual([]);
  });
});
