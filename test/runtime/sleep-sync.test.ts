// sleepSync: blocks the thread (no timer or task runs meanwhile) for the nominal time under the time scale.
import { afterEach, describe, expect, it } from "vitest";
import { createTask, getTimeScale, perfCounter, setTimeScale, sleepSync } from "../../runtime/index.ts";

const scale = getTimeScale();
afterEach(() => setTimeScale(scale));

describe("sleepSync", () => {
  it("blocks the event loop: a due timer and a ready task wait until it returns", async () => {
    const events: string[] = [];
    setTimeout(() => events.push("timer"), 0);
    const task = createTask(() => events.push("task"));
    const started = perfCounter();
    sleepSync(30);
    events.push("sleepSync returned");
    expect(perfCounter() - started).toBeGreaterThanOrEqual(29);
    await task;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(events).toEqual(["sleepSync returned", "task", "timer"]);
  });

  it("honours the time scale: nominal time passes at the scaled rate", () => {
    setTimeScale(100);
    const started = perfCounter();
    sleepSync(2000); // 20 ms of real time
    expect(perfCounter() - started).toBeGreaterThanOrEqual(1990);
  });

  it("returns at once for zero or negative times", () => {
    sleepSync(0);
    sleepSync(-5);
  });
});
