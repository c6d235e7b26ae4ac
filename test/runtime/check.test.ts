// check(): what a learner reads (one pass/FAIL line per expectation with expected and actual), the CheckError a
// grader counts, and durations judged on the nominal clock so they hold under a time scale.
import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { check, CheckError, gather, setTimeScale, sleep, stopwatch, timeline } from "../../runtime/index.ts";

afterEach(() => {
  setTimeScale(1);
  vi.restoreAllMocks();
});

/** What check() printed (it logs through console.log, which the kernel routes to the cell). */
function captureLog(): () => string {
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void lines.push(args.join(" ")));
  return () => lines.join("\n");
}

describe("check", () => {
  it("prints a pass line per expectation and returns the report", () => {
    const printed = captureLog();
    const report = check("Exercise 1", (t) => {
      t.equal([1, 2].map((n) => n * 2), [2, 4], "doubled");
      t.ok(true, "something holds");
    });
    expect(report).toMatchObject({ title: "Exercise 1", passed: 2, failed: 0 });
    expect(printed()).toBe("Exercise 1: all 2 passed\n  pass  doubled: [ 2, 4 ]\n  pass  something holds");
  });

  it("shows expected and actual on failure and throws a CheckError naming it", () => {
    const printed = captureLog();
    let thrown: unknown;
    try {
      check("Exercise 2", (t) => {
        t.equal("total = 30", "total = 30", "the line");
        t.equal({ total: "[object Promise][object Promise]" }, { total: 30 }, "the total");
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CheckError);
    expect((thrown as CheckError).message).toBe("Exercise 2: the total: expected { total: 30 }, got { total: '[object Promise][object Promise]' }");
    expect((thrown as CheckError).report.failed).toBe(1);
    expect(printed()).toContain("Exercise 2: 1 of 2 failed\n  pass  the line: 'total = 30'\n  FAIL  the total: expected { total: 30 }");
  });

  it("turns an error in the checks themselves (an exercise not written yet) into a failure", () => {
    const printed = captureLog();
    expect(() =>
      check("Exercise 3", (t) => {
        t.equal((globalThis as any).notWrittenYet(), 1);
      }),
    ).toThrow(/Exercise 3: the checks could not run: TypeError: .*notWrittenYet is not a function/);
    expect(printed()).toMatch(/FAIL  the checks could not run/);
  });

  it("fails a check that checks nothing", () => {
    captureLog();
    expect(() => check("empty", () => {})).toThrow("empty: no expectation was checked");
  });

  it("judges durations on nominal time: under a 20x time scale, 1.5 s of sleeps still takes 'about 1.50 s'", async () => {
    setTimeScale(20);
    const printed = captureLog();
    const overlapped = () => gather(sleep(1500), sleep(1500), sleep(1500));
    const oneByOne = async () => {
      for (let i = 0; i < 3; i++) await sleep(1500);
    };
    const real = performance.now();
    await expect(
      check("concurrency", async (t) => {
        await t.took(overlapped, 1500, "three overlapping sleeps");
        await t.took(oneByOne, 1500, "three sleeps in a row");
      }),
    ).rejects.toThrow(/three sleeps in a row took \d\.\d\d s, not about 1\.50 s \(± 2\.2\d s\)/);
    // Six nominal seconds ran in well under that much real time (the scale was honoured).
    expect(performance.now() - real).toBeLessThan(3000);
    expect(printed()).toMatch(/pass  three overlapping sleeps took about 1\.50 s \([\d.]+ m?s\)/);
  });

  it("reads a Stopwatch, a Timeline and plain milliseconds, with a tolerance", async () => {
    // Gentle: a timeline's first recording costs real milliseconds, which a high scale magnifies.
    setTimeScale(4);
    captureLog();
    const clock = stopwatch();
    const tl = await timeline(() => gather(sleep(1000), sleep(1000)));
    const report = check("durations", (t) => {
      t.took(clock, 1000, "the stopwatch");
      t.took(tl, 1000, "the timeline");
      t.took(1100, 1000, "a number", { within: 100 });
      t.tookAtMost(tl, 1500, "the timeline");
    });
    expect(report.passed).toBe(4);
    expect(() => check("late", (t) => t.tookAtMost(2500, 1200, "the batch"))).toThrow("late: the batch took 2.50 s, more than 1.20 s");
  });

  it("widens every tolerance by 100 real ms per unit of time scale, the lateness a busy machine adds", () => {
    captureLog();
    expect(() => check("real time", (t) => t.took(1300, 1000, "the job"))).toThrow("real time: the job took 1.30 s, not about 1.00 s (± 250 ms)");
    setTimeScale(11);
    expect(check("at 11x", (t) => t.took(1300, 1000, "the job")).passed).toBe(1);
    expect(() => check("at 11x", (t) => t.took(5000, 1000, "the job"))).toThrow("the job took 5.00 s, not about 1.00 s (± 1.25 s)");
    expect(check("at 11x", (t) => t.tookAtMost(1400, 1000, "the job")).passed).toBe(1);
  });

  it("checks rejections by class, message or pattern", async () => {
    captureLog();
    const failing = async () => {
      throw new RangeError("circuit open");
    };
    const report = await check("rejects", async (t) => {
      await t.rejects(failing, RangeError, "the call");
      await t.rejects(failing(), "circuit open", "the call");
      await t.rejects(failing, /open$/, "the call");
    });
    expect(report.passed).toBe(3);
    await expect(check("rejects", (t) => t.rejects(async () => 42, "circuit open", "the call"))).rejects.toThrow(
      "rejects: the call should fail with 'circuit open', but gave 42",
    );
  });

  it("reports an async expectation left inside a synchronous body instead of losing it", () => {
    captureLog();
    expect(() =>
      check("sync", (t) => {
        void t.took(() => sleep(1), 1);
      }),
    ).toThrow(/write check\(title, async \(t\) =>/);
  });

  it("passes equal exactly when the values are deeply and strictly equal, and shows both when not", () => {
    captureLog();
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        let error: CheckError | undefined;
        try {
          check("prop", (t) => t.equal(a, b, "v"));
        } catch (e) {
          error = e as CheckError;
        }
        expect(error === undefined).toBe(isDeepStrictEqual(a, b));
        if (error) expect(error.message.startsWith("prop: v: expected ")).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
