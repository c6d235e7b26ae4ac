// check(): expectations a learner runs on an exercise, printed as pass/FAIL with expected and actual values.
//
// Each expectation prints one line; if any fails (or the checks themselves throw, say because a function the
// exercise asks for is not defined yet), check() throws a CheckError naming the failures, so the cell ends in
// an error a grader counts. Times are judged on the runtime's nominal clock, so "took about 1 s" holds under
// LOOPLAB_TIME_SCALE too.
import { inspect, isDeepStrictEqual } from "node:util";
import { formatDuration, getTimeScale, stopwatch } from "./clock.ts";
import { LoopLabError } from "./errors.ts";

/** One or more expectations failed; `message` lists them, `report` has every result. */
export class CheckError extends LoopLabError {
  constructor(
    message: string,
    readonly report: CheckReport,
  ) {
    super(message);
    // The lines printed above say what failed; a stack of runtime frames under them would only hide that.
    this.stack = `${this.name}: ${message}`;
  }
}

export interface CheckResult {
  passed: boolean;
  /** What was checked and how it came out, as printed. */
  message: string;
}

export interface CheckReport {
  title: string;
  results: CheckResult[];
  passed: number;
  failed: number;
}

/**
 * A duration to judge: nominal milliseconds, a Stopwatch (its `elapsed`), a Timeline (its `wallMs`), or a
 * function to run and time (then the expectation returns a promise of the function's value).
 */
export type Measured = number | { readonly elapsed: number } | { readonly wallMs: number };

export interface TookOptions {
  /** How far off the expected duration may be, in nominal ms (default: 25% of it, and at least 150 ms). */
  within?: number;
}

/**
 * Real milliseconds a busy machine may add to any measurement. Under a time scale f that lateness reads as f
 * times as much on the nominal clock, so every tolerance grows by this much per unit of scale above 1: a check
 * that passes in real time also passes in a test run at 20x, and "1.5 s, not 4.5 s" still tells the two apart.
 * 100 ms, not less: a two-core CI machine running JupyterLab in Chromium beside other kernels once held a
 * kernel's timers back 102 ms (a 0.3 s tick read as 2.3 s at 20x).
 */
const REAL_JITTER_MS = 100;

function scaleSlack(): number {
  return Math.max(0, getTimeScale() - 1) * REAL_JITTER_MS;
}

type Matcher = (new (...args: any[]) => Error) | string | RegExp;

function show(value: unknown): string {
  return inspect(value, { depth: 4, breakLength: Infinity, maxArrayLength: 20, maxStringLength: 160 });
}

function msOf(measured: Measured): number {
  if (typeof measured === "number") return measured;
  if (measured && typeof measured === "object") {
    if ("elapsed" in measured && typeof measured.elapsed === "number") return measured.elapsed;
    if ("wallMs" in measured && typeof measured.wallMs === "number") return measured.wallMs;
  }
  throw new TypeError(`expected a duration in ms, a Stopwatch or a Timeline, got ${show(measured)}`);
}

/** The expectations of one check() call. */
export class Expect {
  readonly results: CheckResult[] = [];
  /** Expectations that run something (took(fn), rejects): check() waits for them before it reports. */
  readonly pending: Promise<unknown>[] = [];

  #record(passed: boolean, message: string): boolean {
    this.results.push({ passed, message });
    return passed;
  }

  /** `actual` deeply and strictly equals `expected` (same types, same keys, same items in the same order). */
  equal(actual: unknown, expected: unknown, what = "the value"): boolean {
    if (isDeepStrictEqual(actual, expected)) return this.#record(true, `${what}: ${show(expected)}`);
    return this.#record(false, `${what}: expected ${show(expected)}, got ${show(actual)}`);
  }

  /** `condition` is truthy; `actual`, when given, is shown on failure. */
  ok(condition: unknown, what: string, ...actual: [unknown?]): boolean {
    if (condition) return this.#record(true, what);
    return this.#record(false, actual.length > 0 ? `${what} (got ${show(actual[0])})` : what);
  }

  /** The duration is about `expectedMs` nominal milliseconds: "took 4.51 s, not about 1.50 s" when it is not. */
  took(measured: Measured, expectedMs: number, what?: string, options?: TookOptions): boolean;
  took<T>(run: () => T | Promise<T>, expectedMs: number, what?: string, options?: TookOptions): Promise<T>;
  took<T>(measured: Measured | (() => T | Promise<T>), expectedMs: number, what = "it", options: TookOptions = {}): boolean | Promise<T> {
    const within = (options.within ?? Math.max(expectedMs * 0.25, 150)) + scaleSlack();
    const judge = (ms: number) => {
      if (Math.abs(ms - expectedMs) <= within) return this.#record(true, `${what} took about ${formatDuration(expectedMs)} (${formatDuration(ms)})`);
      return this.#record(false, `${what} took ${formatDuration(ms)}, not about ${formatDuration(expectedMs)} (± ${formatDuration(within)})`);
    };
    if (typeof measured !== "function") return judge(msOf(measured));
    return this.#timed(measured, judge, what);
  }

  /** The duration is at most `limitMs` nominal milliseconds. */
  tookAtMost(measured: Measured, limitMs: number, what?: string): boolean;
  tookAtMost<T>(run: () => T | Promise<T>, limitMs: number, what?: string): Promise<T>;
  tookAtMost<T>(measured: Measured | (() => T | Promise<T>), limitMs: number, what = "it"): boolean | Promise<T> {
    const judge = (ms: number) => {
      if (ms <= limitMs + scaleSlack()) return this.#record(true, `${what} took ${formatDuration(ms)} (at most ${formatDuration(limitMs)})`);
      return this.#record(false, `${what} took ${formatDuration(ms)}, more than ${formatDuration(limitMs)}`);
    };
    if (typeof measured !== "function") return judge(msOf(measured));
    return this.#timed(measured, judge, what);
  }

  /** `work` (a promise, or a function returning one) rejects, with an error of that class, message or pattern. */
  rejects(work: Promise<unknown> | (() => unknown), expected?: Matcher, what = "it"): Promise<boolean> {
    const settled = (async () => {
      try {
        const value = await (typeof work === "function" ? work() : work);
        return this.#record(false, `${what} should fail${expected ? ` with ${describeMatcher(expected)}` : ""}, but gave ${show(value)}`);
      } catch (error) {
        if (expected === undefined || matches(error, expected)) return this.#record(true, `${what} fails with ${show(errorText(error))}`);
        return this.#record(false, `${what}: expected ${describeMatcher(expected)}, got ${show(errorText(error))}`);
      }
    })();
    this.pending.push(settled);
    return settled;
  }

  #timed<T>(run: () => T | Promise<T>, judge: (ms: number) => boolean, what: string): Promise<T> {
    const clock = stopwatch();
    const done = (async () => {
      try {
        const value = await run();
        judge(clock.stop());
        return value;
      } catch (error) {
        this.#record(false, `${what} failed: ${errorText(error)}`);
        throw error;
      }
    })();
    // Recorded already; check() must not report before it settles, nor count its error twice.
    this.pending.push(done.catch(() => undefined));
    return done;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function describeMatcher(expected: Matcher): string {
  return typeof expected === "function" ? expected.name : show(expected);
}

function matches(error: unknown, expected: Matcher): boolean {
  if (typeof expected === "function") return error instanceof expected;
  const message = error instanceof Error ? error.message : String(error);
  return typeof expected === "string" ? message.includes(expected) : expected.test(message);
}

function finish(title: string, expect: Expect, thrown: { error: unknown } | undefined, log: (text: string) => void): CheckReport {
  const results = [...expect.results];
  if (thrown) results.push({ passed: false, message: `the checks could not run: ${errorText(thrown.error)}` });
  const failed = results.filter((r) => !r.passed);
  const report: CheckReport = { title, results, passed: results.length - failed.length, failed: failed.length };
  if (results.length === 0) {
    results.push({ passed: false, message: "no expectation was checked" });
    report.failed = 1;
  }
  const summary = report.failed === 0 ? `all ${report.passed} passed` : `${report.failed} of ${results.length} failed`;
  log([`${title}: ${summary}`, ...results.map((r) => `  ${r.passed ? "pass" : "FAIL"}  ${r.message}`)].join("\n"));
  if (report.failed > 0) {
    const reasons = results.filter((r) => !r.passed).map((r) => r.message);
    throw new CheckError(`${title}: ${reasons.join("; ")}`, report);
  }
  return report;
}

/**
 * Runs `body` with an Expect, prints one pass/FAIL line per expectation under the title, and throws a
 * CheckError when any failed. An async body (or one that uses took(fn) or rejects) makes check() return a
 * promise: await it, or a failure would go unnoticed by the cell.
 */
export function check(title: string, body: (t: Expect) => Promise<unknown>): Promise<CheckReport>;
export function check(title: string, body: (t: Expect) => unknown): CheckReport;
export function check(title: string, body: (t: Expect) => unknown): CheckReport | Promise<CheckReport> {
  const expect = new Expect();
  const log = (text: string) => console.log(text);
  let returned: unknown;
  try {
    returned = body(expect);
  } catch (error) {
    return finish(title, expect, { error }, log);
  }
  if (returned instanceof Promise) {
    return returned.then(
      async () => {
        await Promise.all(expect.pending);
        return finish(title, expect, undefined, log);
      },
      async (error) => {
        await Promise.all(expect.pending);
        return finish(title, expect, { error }, log);
      },
    );
  }
  if (expect.pending.length > 0) {
    const message = "took(fn) and rejects() run asynchronously: write check(title, async (t) => { await t.took(...) }) and await the check";
    return finish(title, expect, { error: new TypeError(message) }, log);
  }
  return finish(title, expect, undefined, log);
}
