// The trace hooks: what an observer installed with runWithObserver hears, and that nothing is heard without one.
import { describe, expect, it } from "vitest";
import {
  CancelledError,
  createTask,
  runWithObserver,
  sleep,
  timeout,
  waitable,
  type Task,
  type TaskObserver,
  type TaskOutcome,
  type WaitKind,
  setTimeScale,
} from "../../runtime/index.ts";

// These tests order events by short real delays: pin real time even if LOOPLAB_TIME_SCALE is set.
setTimeScale(1);

function recorder() {
  const events: string[] = [];
  const observer: TaskObserver = {
    taskStarted: (task) => events.push(`start ${task.name}`),
    waitStarted: (task, kind, label) => events.push(`wait ${task.name} ${kind}${label ? ` ${label}` : ""}`),
    waitEnded: (task) => events.push(`resume ${task.name}`),
    taskFinished: (task, outcome) => events.push(`end ${task.name} ${outcome}`),
  };
  return { events, observer };
}

describe("trace hooks", () => {
  it("reports a task's start, waits and end", async () => {
    const { events, observer } = recorder();
    await runWithObserver(observer, () =>
      createTask(
        async () => {
          await sleep(1);
          await sleep(0);
        },
        { name: "worker" },
      ),
    );
    expect(events).toEqual([
      "start worker",
      "wait worker sleep",
      "resume worker",
      "wait worker sleep",
      "resume worker",
      "end worker ok",
    ]);
  });

  it("nested tasks carry the observer; awaiting a task is a 'wait' labelled with its name", async () => {
    const { events, observer } = recorder();
    await runWithObserver(observer, () =>
      createTask(
        async () => {
          await createTask(() => sleep(1), { name: "child" });
        },
        { name: "parent" },
      ),
    );
    expect(events).toContain("start child");
    expect(events).toContain("wait parent wait child");
    expect(events).toContain("end child ok");
    expect(events.at(-1)).toBe("end parent ok");
  });

  it("outcomes: error, cancelled, timeout", async () => {
    const { events, observer } = recorder();
    const outcomes = new Map<string, TaskOutcome>();
    const tracking: TaskObserver = { ...observer, taskFinished: (t, o) => outcomes.set(t.name, o) };
    await runWithObserver(tracking, async () => {
      const failing = createTask(
        async () => {
          throw new Error("x");
        },
        { name: "failing" },
      );
      const cancelled = createTask(() => sleep(10_000), { name: "cancelled" });
      const timedOut = createTask(() => timeout(1, () => sleep(10_000)), { name: "timedOut" });
      timedOut.catch(() => {}); // observed from the start: its failure is expected
      await failing.catch(() => {});
      await sleep(1);
      cancelled.cancel();
      await cancelled.catch(() => {});
      await timedOut.catch(() => {});
    });
    expect(outcomes.get("failing")).toBe("error");
    expect(outcomes.get("cancelled")).toBe("cancelled");
    expect(outcomes.get("timedOut")).toBe("timeout");
    void events;
  });

  it("waitable reports its kind and label; a cancelled wait still ends", async () => {
    const { events, observer } = recorder();
    const kinds: WaitKind[] = ["lock", "semaphore", "queue-get"];
    let task: Task<unknown> | undefined;
    await runWithObserver(observer, async () => {
      task = createTask(
        async () => {
          for (const kind of kinds) await waitable<void>(kind, (resolve) => queueMicrotask(resolve), `my ${kind}`);
          await waitable("event", () => {});
        },
        { name: "t" },
      );
      await sleep(1); // by now the task waits on the event, which nothing sets
      task.cancel();
      await task.catch(() => {});
    });
    expect(events).toEqual([
      "start t",
      "wait t lock my lock",
      "resume t",
      "wait t semaphore my semaphore",
      "resume t",
      "wait t queue-get my queue-get",
      "resume t",
      "wait t event",
      "resume t",
      "end t cancelled",
    ]);
    expect(task!.exception.bind(task)).toThrow(CancelledError);
  });

  it("tasks created outside runWithObserver are not reported", async () => {
    const { events, observer } = recorder();
    const outside = createTask(() => sleep(1), { name: "outside" });
    await runWithObserver(observer, () => sleep(2));
    await outside;
    expect(events).toEqual([]);
  });

  it("a throwing observer does not break the task (it becomes a process warning)", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on("warning", onWarning);
    const broken: TaskObserver = {
      taskStarted: () => {
        throw new Error("observer bug");
      },
      waitStarted: () => {},
      waitEnded: () => {},
      taskFinished: () => {},
    };
    try {
      const value = await runWithObserver(broken, () => createTask(async () => "still fine"));
      expect(value).toBe("still fine");
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings.some((w) => w.includes("observer bug"))).toBe(true);
  });

  it("runWithObserver returns fn's value", () => {
    expect(runWithObserver(recorder().observer, () => 5)).toBe(5);
  });
});
