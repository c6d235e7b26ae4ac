// TaskGroup: waiting for all tasks, sibling cancellation on failure, TaskGroupError.errors, body failures,
// outside cancellation, `await using`, and createTask after the end.
import { describe, expect, it } from "vitest";
import {
  CancelledError,
  InvalidStateError,
  TaskGroup,
  TaskGroupError,
  createTask,
  sleep,
  type Task,
  setTimeScale,
} from "../../runtime/index.ts";

// These tests order events by short real delays: pin real time even if LOOPLAB_TIME_SCALE is set.
setTimeScale(1);

describe("TaskGroup.run", () => {
  it("waits for every task and returns the body's value", async () => {
    const done: string[] = [];
    const value = await TaskGroup.run(async (tg) => {
      tg.createTask(async () => {
        await sleep(10);
        done.push("slow");
      });
      tg.createTask(async () => {
        await sleep(1);
        done.push("fast");
      });
      return "body";
    });
    expect(value).toBe("body");
    expect(done).toEqual(["fast", "slow"]);
  });

  it("a failure cancels the siblings and the group rejects with every error in `errors`", async () => {
    const log: string[] = [];
    const first = new Error("first");
    const second = new TypeError("second");
    let sibling: Task<unknown> | undefined;
    const error = await TaskGroup.run(async (tg) => {
      sibling = tg.createTask(async () => {
        try {
          await sleep(10_000);
        } finally {
          log.push("sibling cleaned up");
        }
      });
      // Both fail as soon as `go` resolves: the second fails before its cancellation can reach it, so both count.
      let start!: () => void;
      const go = new Promise<void>((r) => (start = r));
      tg.createTask(async () => {
        await go;
        throw first;
      });
      tg.createTask(async () => {
        await go;
        throw second;
      });
      await sleep(1);
      start();
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskGroupError);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as TaskGroupError).name).toBe("TaskGroupError");
    expect((error as TaskGroupError).errors).toEqual([first, second]);
    expect(sibling!.cancelled()).toBe(true);
    expect(log).toEqual(["sibling cleaned up"]);
  });

  it("a failure interrupts the body at its next await", async () => {
    const log: string[] = [];
    const error = await TaskGroup.run(async (tg) => {
      tg.createTask(async () => {
        await sleep(1);
        throw new Error("child failed");
      });
      try {
        await sleep(10_000);
        log.push("body not interrupted");
      } catch (e) {
        log.push(e instanceof CancelledError ? "body cancelled" : "other");
        throw e;
      }
    }).catch((e: unknown) => e);
    expect(log).toEqual(["body cancelled"]);
    expect((error as TaskGroupError).errors.map((e) => (e as Error).message)).toEqual(["child failed"]);
  });

  it("a failing body aborts the tasks and is listed in `errors`", async () => {
    let child: Task<unknown> | undefined;
    const bodyError = new Error("body");
    const error = await TaskGroup.run(async (tg) => {
      child = tg.createTask(() => sleep(10_000));
      await sleep(1);
      throw bodyError;
    }).catch((e: unknown) => e);
    expect((error as TaskGroupError).errors).toEqual([bodyError]);
    expect(child!.cancelled()).toBe(true);
  });

  it("cancelled tasks are not errors", async () => {
    const value = await TaskGroup.run(async (tg) => {
      const t = tg.createTask(() => sleep(10_000));
      await sleep(1);
      t.cancel();
      return "fine";
    });
    expect(value).toBe("fine");
  });

  it("cancelling the task that runs the group cancels its tasks and rethrows CancelledError", async () => {
    const children: Task<unknown>[] = [];
    const outer = createTask(() =>
      TaskGroup.run(async (tg) => {
        children.push(tg.createTask(() => sleep(10_000)));
        children.push(tg.createTask(() => sleep(10_000)));
      }),
    );
    await sleep(2);
    outer.cancel();
    await expect(outer).rejects.toBeInstanceOf(CancelledError);
    expect(children.every((c) => c.cancelled())).toBe(true);
  });

  it("an outside cancel while the body runs cancels the tasks too", async () => {
    let child: Task<unknown> | undefined;
    const outer = createTask(() =>
      TaskGroup.run(async (tg) => {
        child = tg.createTask(() => sleep(10_000));
        await sleep(10_000);
      }),
    );
    await sleep(2);
    outer.cancel();
    await expect(outer).rejects.toBeInstanceOf(CancelledError);
    expect(child!.cancelled()).toBe(true);
  });

  it("tasks may create more tasks in the group while it waits", async () => {
    const done: number[] = [];
    await TaskGroup.run(async (tg) => {
      tg.createTask(async () => {
        await sleep(1);
        tg.createTask(async () => {
          await sleep(1);
          done.push(2);
        });
        done.push(1);
      });
    });
    expect(done).toEqual([1, 2]);
  });

  it("createTask after the group finished throws InvalidStateError", async () => {
    let group: TaskGroup | undefined;
    await TaskGroup.run(async (tg) => {
      group = tg;
    });
    expect(() => group!.createTask(async () => {})).toThrow(InvalidStateError);
  });

  it("works from a plain script's top level (runs itself as a task)", async () => {
    const error = await TaskGroup.run(async (tg) => {
      tg.createTask(async () => {
        throw new Error("x");
      });
      await sleep(10_000); // interrupted although no task was current when run() was called
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskGroupError);
  });

  it("failures inside a group are not reported as unhandled rejections", async () => {
    const seen: unknown[] = [];
    const listener = (reason: unknown) => seen.push(reason);
    process.prependListener("unhandledRejection", listener);
    try {
      await TaskGroup.run(async (tg) => {
        tg.createTask(async () => {
          throw new Error("reported through the group");
        });
      }).catch(() => {});
      await sleep(5);
    } finally {
      process.off("unhandledRejection", listener);
    }
    expect(seen).toEqual([]);
  });
});

describe("await using TaskGroup", () => {
  it("leaving the block waits for the tasks", async () => {
    const done: string[] = [];
    await createTask(async () => {
      await using tg = new TaskGroup();
      tg.createTask(async () => {
        await sleep(5);
        done.push("child");
      });
    });
    expect(done).toEqual(["child"]);
  });

  it("a failure cancels siblings and the block throws TaskGroupError", async () => {
    let sibling: Task<unknown> | undefined;
    const task = createTask(async () => {
      await using tg = new TaskGroup();
      sibling = tg.createTask(() => sleep(10_000));
      tg.createTask(async () => {
        await sleep(1);
        throw new Error("failed");
      });
    });
    const error = await task.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskGroupError);
    expect((error as TaskGroupError).errors.map((e) => (e as Error).message)).toEqual(["failed"]);
    expect(sibling!.cancelled()).toBe(true);
  });
});
