// The checker's default quiet period, on the real checker process with the clock faked: it stays through 10
// minutes less a second without a request and is gone, tsgo with it, at 10 minutes. (The kernel-level test in
// lifecycle.test.ts runs the same stop with a 2 s period; a real 10-minute wait is in the bench's notes.)
import { afterEach, describe, expect, it, vi } from "vitest";
import { Checker } from "../../kernel/typecheck/checker.ts";
import { alive, descendants } from "../support/processes.mjs";

/** Real time passes (only setTimeout is faked): waits for `test` up to 10 s. */
async function until(test: () => boolean): Promise<boolean> {
  const started = Date.now();
  while (!test() && Date.now() - started < 10_000) await new Promise((r) => setImmediate(r));
  return test();
}

describe("the checker with no idle setting", () => {
  let checker: Checker | undefined;
  afterEach(() => {
    checker?.stop();
    vi.useRealTimers();
  });

  it("stops after 10 minutes without a request, not before, and takes tsgo with it", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    checker = new Checker();
    const answer = await checker.check({ id: 1, source: "const label: string = 42;" });
    expect(answer?.diagnostics.map((d) => d.code)).toEqual([2322]);
    const pid = checker.pid!;
    const tree = [pid, ...descendants(pid)];
    // The checker process and tsgo under it.
    expect(tree.length).toBeGreaterThanOrEqual(2);

    vi.advanceTimersByTime(599_000);
    expect(checker.pid).toBe(pid);
    expect(tree.every(alive)).toBe(true);

    vi.advanceTimersByTime(1_000);
    expect(checker.pid).toBeUndefined();
    expect(await until(() => !tree.some(alive)), `still running: ${tree.filter(alive).join(", ")}`).toBe(true);

    // A request after the stop starts a new one that knows the earlier cell.
    const again = await checker.check({ id: 2, source: "const n: number = label;" });
    expect(again?.diagnostics.map((d) => d.code)).toEqual([2322]);
    expect(checker.pid).not.toBe(pid);
  }, 60_000);
});
