// The clock: sleep and its value, sleep(0) as one loop turn, cancellable sleeps, stopwatch text, and the time scale
// (nominal figures asserted exactly-ish; real time only as a generous sanity bound).
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  CancelledError,
  createTask,
  formatDuration,
  getTimeScale,
  now,
  perfCounter,
  setTimeScale,
  sleep,
  stopwatch,
} from "../../runtime/index.ts";

afterEach(() => setTimeScale(1));

describe("sleep", () => {
  it("resolves with the given value after about ms", async () => {
    const sw = stopwatch();
    expect(await sleep(5, "value")).toBe("value");
    expect(sw.elapsed).toBeGreaterThanOrEqual(4);
    expect(await sleep(1)).toBeUndefined();
  });

  it("sleep(0) yields to the event loop exactly once: an immediate queued before it runs first", async () => {
    const order: string[] = [];
    setImmediate(() => order.push("immediate"));
    await sleep(0);
    order.push("after sleep(0)");
    expect(order).toEqual(["immediate", "after sleep(0)"]);
  });

  it("sleep(0) lets I/O callbacks and timers of the same turn interleave across tasks", async () => {
    const order: string[] = [];
    const worker = (name: string) => async () => {
      for (let i = 0; i < 3; i++) {
        order.push(`${name}${i}`);
        await sleep(0);
      }
    };
    const a = createTask(worker("a"));
    const b = createTask(worker("b"));
    await Promise.all([a, b]);
    expect(order).toEqual(["a0", "b0", "a1", "b1", "a2", "b2"]);
  });

  it("sleep(0, value) and negative ms resolve with the value", async () => {
    expect(await sleep(0, 7)).toBe(7);
    expect(await sleep(-5, "neg")).toBe("neg");
  });

  it("a sleeping task's cancel clears the sleep and rejects it at once", async () => {
    const sw = stopwatch();
    const task = createTask(() => sleep(60_000));
    await sleep(1);
    task.cancel();
    await expect(task).rejects.toBeInstanceOf(CancelledError);
    expect(sw.elapsed).toBeLessThan(30_000);
  });

  it("a cancel during sleep(0) reaches the task at its next await", async () => {
    const log: string[] = [];
    const task = createTask(async () => {
      for (;;) {
        log.push("tick");
        await sleep(0);
      }
    });
    await sleep(0);
    task.cancel();
    await expect(task).rejects.toBeInstanceOf(CancelledError);
    expect(log.length).toBeLessThanOrEqual(3);
  });
});

describe("time scale", () => {
  it("a sleep never ends before its nominal time, even when Node's millisecond timer fires early", async () => {
    setTimeScale(100);
    const early: string[] = [];
    await Promise.all(
      [150, 333, 1000, 1999, 2000, 777, 50, 1234].map(async (ms) => {
        const started = now();
        await sleep(ms);
        const slept = now() - started;
        if (slept < ms) early.push(`${ms} ms ended after ${slept.toFixed(1)} ms`);
      }),
    );
    expect(early).toEqual([]);
  });

  it("a 2000 ms sleep under scale 100 takes ~20 ms of real time while the stopwatch reports ~2000 ms", async () => {
    setTimeScale(100);
    expect(getTimeScale()).toBe(100);
    const realStart = performance.now();
    const sw = stopwatch();
    await sleep(2000);
    const nominal = sw.elapsed;
    const real = performance.now() - realStart;
    expect(nominal).toBeGreaterThanOrEqual(1990);
    expect(nominal).toBeLessThan(2000 + 100 * 200); // generous: a loaded machine may be late by 200 real ms
    expect(real).toBeLessThan(1500); // sanity only: far less than 2 s
    expect(String(sw)).toMatch(/^\d+\.\d\d s$/);
  });

  it("now() and perfCounter() stay continuous across scale changes", () => {
    const before = now();
    setTimeScale(1000);
    const during = now();
    setTimeScale(1);
    const after = perfCounter();
    expect(during).toBeGreaterThanOrEqual(before);
    expect(after).toBeGreaterThanOrEqual(during);
  });

  it("rejects a scale that is not a positive finite number", () => {
    expect(() => setTimeScale(0)).toThrow(RangeError);
    expect(() => setTimeScale(-1)).toThrow(RangeError);
    expect(() => setTimeScale(Number.NaN)).toThrow(RangeError);
    expect(() => setTimeScale(Infinity)).toThrow(RangeError);
  });

  it("LOOPLAB_TIME_SCALE sets the scale when the clock loads; junk falls back to 1", async () => {
    const saved = process.env.LOOPLAB_TIME_SCALE;
    try {
      process.env.LOOPLAB_TIME_SCALE = "50";
      vi.resetModules();
      expect((await import("../../runtime/clock.ts")).getTimeScale()).toBe(50);
      process.env.LOOPLAB_TIME_SCALE = "fast please";
      vi.resetModules();
      expect((await import("../../runtime/clock.ts")).getTimeScale()).toBe(1);
    } finally {
      if (saved === undefined) delete process.env.LOOPLAB_TIME_SCALE;
      else process.env.LOOPLAB_TIME_SCALE = saved;
      vi.resetModules();
    }
  });
});

describe("stopwatch and formatDuration", () => {
  it("formats like people read durations", () => {
    expect(formatDuration(2000)).toBe("2.00 s");
    expect(formatDuration(350)).toBe("350 ms");
    expect(formatDuration(12.34)).toBe("12.3 ms");
    expect(formatDuration(1.5)).toBe("1.50 ms");
    expect(formatDuration(0.25)).toBe("250 µs");
    expect(formatDuration(61_000)).toBe("61.00 s");
  });

  it("stop() freezes elapsed and reset() starts again", async () => {
    const sw = stopwatch();
    await sleep(2);
    const frozen = sw.stop();
    await sleep(2);
    expect(sw.elapsed).toBe(frozen);
    sw.reset();
    expect(sw.elapsed).toBeLessThan(frozen + 1);
  });
});
