// gather: argument order, first failure, returnExceptions, cancellation both ways, and the item kinds it accepts.
import { describe, expect, it } from "vitest";
import { CancelledError, createTask, currentTask, gather, sleep, type Task, setTimeScale } from "../../runtime/index.ts";

// These tests order events by short real delays: pin real time even if LOOPLAB_TIME_SCALE is set.
setTimeScale(1);

describe("gather", () => {
  it("returns results in argument order, not finishing order", async () => {
    const results = await gather(
      () => sleep(15, "slow"),
      () => sleep(1, "fast"),
      () => sleep(8, "middle"),
    );
    expect(results).toEqual(["slow", "fast", "middle"]);
  });

  it("accepts tasks, promises and functions together", async () => {
    const task = createTask(async () => 1);
    const promise = Promise.resolve("two");
    const results = await gather(task, promise, async () => 3n);
    expect(results).toEqual([1, "two", 3n]);
  });

  it("runs its items concurrently", async () => {
    let now = 0;
    let peak = 0;
    const job = async () => {
      now++;
      peak = Math.max(peak, now);
      await sleep(5);
      now--;
    };
    await gather(job, job, job, job);
    expect(peak).toBe(4);
  });

  it("with no items resolves to []", async () => {
    expect(await gather()).toEqual([]);
  });

  it("rejects with the first failure while the others go on running", async () => {
    const finished: string[] = [];
    const slow = createTask(async () => {
      await sleep(15);
      finished.push("slow");
      return "slow";
    });
    const boom = new Error("boom");
    await expect(
      gather(slow, async () => {
        await sleep(1);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(slow.done()).toBe(false);
    expect(slow.cancelled()).toBe(false);
    expect(await slow).toBe("slow");
    expect(finished).toEqual(["slow"]);
  });

  it("with returnExceptions puts errors (and CancelledError for cancelled children) into the results", async () => {
    const boom = new Error("boom");
    const cancelledChild = createTask(() => sleep(10_000));
    const pending = gather(
      () => sleep(2, "ok"),
      async () => {
        throw boom;
      },
      cancelledChild,
      { returnExceptions: true },
    );
    await sleep(1);
    cancelledChild.cancel();
    const results = await pending;
    expect(results[0]).toBe("ok");
    expect(results[1]).toBe(boom);
    expect(results[2]).toBeInstanceOf(CancelledError);
  });

  it("without returnExceptions a cancelled child rejects gather with CancelledError", async () => {
    const child = createTask(() => sleep(10_000));
    const pending = gather(child, () => sleep(20));
    await sleep(1);
    child.cancel();
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
  });

  it("treats a trailing plain object as options, never as an item", async () => {
    const results = await gather(Promise.resolve(1), { returnExceptions: false });
    expect(results).toEqual([1]);
  });

  it("rejects items that are neither promises, tasks nor functions", () => {
    expect(() => gather(42 as never)).toThrow(TypeError);
  });

  it("cancelling the awaiting task cancels every child and their finally blocks run", async () => {
    const log: string[] = [];
    const children: Task<unknown>[] = [];
    const child = (name: string) => async () => {
      children.push(currentTask()!);
      try {
        await sleep(10_000);
      } finally {
        log.push(`${name} cleaned up`);
      }
    };
    const parent = createTask(() => gather(child("a"), child("b"), child("c")));
    await sleep(2);
    parent.cancel();
    await expect(parent).rejects.toBeInstanceOf(CancelledError);
    expect(children).toHaveLength(3);
    for (const c of children) expect(c.cancelled()).toBe(true);
    expect(log.sort()).toEqual(["a cleaned up", "b cleaned up", "c cleaned up"]);
  });

  it("cancelling the awaiting task with returnExceptions waits for all children, then rejects", async () => {
    const log: string[] = [];
    const parent = createTask(() =>
      gather(
        async () => {
          try {
            await sleep(10_000);
          } finally {
            await sleep(5);
            log.push("slow cleanup");
          }
        },
        () => sleep(10_000),
        { returnExceptions: true },
      ),
    );
    await sleep(2);
    parent.cancel();
    await expect(parent).rejects.toBeInstanceOf(CancelledError);
    expect(log).toEqual(["slow cleanup"]);
  });

  it("a gather of plain promises rejects at once when its task is cancelled", async () => {
    const never = new Promise(() => {});
    const parent = createTask(() => gather(never, never));
    await sleep(1);
    parent.cancel();
    await expect(parent).rejects.toBeInstanceOf(CancelledError);
  });

  it("later failures after gather rejected are not reported as unhandled", async () => {
    const seen: unknown[] = [];
    const listener = (reason: unknown) => seen.push(reason);
    process.prependListener("unhandledRejection", listener);
    try {
      await gather(
        async () => {
          throw new Error("first");
        },
        async () => {
          await sleep(3);
          throw new Error("second");
        },
      ).catch(() => {});
      await sleep(10);
    } finally {
      process.off("unhandledRejection", listener);
    }
    expect(seen).toEqual([]);
  });

  it("keeps types per position", async () => {
    const [a, b] = await gather(
      () => sleep(1, 1),
      async () => "s",
    );
    const n: number = a;
    const s: string = b;
    expect([n, s]).toEqual([1, "s"]);
  });
});
