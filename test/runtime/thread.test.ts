// toThread: results, cloned arguments, errors with message and stack, cancellation of queued and running jobs,
// parallel execution across the pool.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { CancelledError, closeThreads, createTask, sleep, toThread } from "../../runtime/index.ts";

afterAll(() => closeThreads());

describe("toThread", () => {
  it("runs a function in another thread with cloned arguments and result", async () => {
    const result = await toThread(
      (a: number, b: { items: number[] }) => {
        const { threadId, isMainThread } = process.getBuiltinModule("node:worker_threads") as typeof import("node:worker_threads");
        return { sum: a + b.items.reduce((x, y) => x + y, 0), isMainThread, threadId, map: new Map([["k", 1]]) };
      },
      1,
      { items: [2, 3] },
    );
    expect(result.sum).toBe(6);
    expect(result.isMainThread).toBe(false);
    expect(result.map.get("k")).toBe(1);
  });

  it("awaits async functions and accepts function declarations and methods", async () => {
    expect(await toThread(async (ms: number) => new Promise((r) => setTimeout(() => r(`slept ${ms}`), ms)), 5)).toBe("slept 5");
    function fib(n: number): number {
      return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }
    expect(await toThread(fib, 20)).toBe(6765);
    const obj = {
      square(x: number) {
        return x * x;
      },
    };
    expect(await toThread(obj.square, 7)).toBe(49);
  });

  it("re-throws the worker's error with its name, message and stack", async () => {
    function explode(what: string): never {
      const error = new Error(`bad ${what}`);
      error.name = "ExplosionError";
      throw error;
    }
    const error = await toThread(explode, "input").catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("ExplosionError");
    expect(error.message).toBe("bad input");
    expect(error.stack).toContain("ExplosionError: bad input");
    expect(error.stack).toMatch(/at explode \(toThread\/explode\.js:\d+:\d+\)/);
  });

  it("keeps built-in error types", async () => {
    const error = await toThread(() => {
      (undefined as unknown as { x: number }).x;
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
  });

  it("reports a result that cannot be cloned as an error", async () => {
    await expect(toThread(() => () => 1)).rejects.toThrow(/could not be cloned/);
  });

  it("refuses built-in functions, which have no source to send", async () => {
    await expect(toThread(Math.max, 1, 2)).rejects.toBeInstanceOf(TypeError);
  });

  it("cancelling the task stops a runaway loop and rejects with CancelledError", async () => {
    const task = createTask(() =>
      toThread(() => {
        for (;;);
      }),
    );
    await sleep(50);
    task.cancel();
    await expect(Promise.resolve(task)).rejects.toBeInstanceOf(CancelledError);
    // The pool replaced the terminated worker: new work still runs.
    expect(await toThread((x: number) => x + 1, 1)).toBe(2);
  });

  it("cancelling a job still waiting for a worker drops it", async () => {
    const marker = new SharedArrayBuffer(4);
    const block = (buf: SharedArrayBuffer) => {
      Atomics.wait(new Int32Array(buf), 0, 0, 2000);
      return "unblocked";
    };
    // Fill every worker, then queue one more and cancel it.
    const busy = Array.from({ length: 8 }, () => toThread(block, marker));
    const queued = createTask(() => toThread((buf: SharedArrayBuffer) => Atomics.store(new Int32Array(buf), 0, 99), marker));
    await sleep(20);
    queued.cancel();
    await expect(Promise.resolve(queued)).rejects.toBeInstanceOf(CancelledError);
    Atomics.store(new Int32Array(marker), 0, 1);
    Atomics.notify(new Int32Array(marker), 0);
    expect(await Promise.all(busy)).toEqual(Array(8).fill("unblocked"));
    expect(Atomics.load(new Int32Array(marker), 0)).toBe(1); // the cancelled job never ran
  });

  it("runs two CPU-bound calls at the same time on two workers", async () => {
    const spin = (ms: number) => {
      const start = performance.timeOrigin + performance.now();
      while (performance.timeOrigin + performance.now() - start < ms);
      return [start, performance.timeOrigin + performance.now()] as const;
    };
    // Warm both workers first so start-up does not stagger them.
    await Promise.all([toThread(spin, 1), toThread(spin, 1)]);
    const [[startA, endA], [startB, endB]] = await Promise.all([toThread(spin, 150), toThread(spin, 150)]);
    expect(startB).toBeLessThan(endA);
    expect(startA).toBeLessThan(endB);
  });
});

describe("toThread from the built bundle", () => {
  const bundle = new URL("../../runtime/dist/index.js", import.meta.url);
  it.runIf(existsSync(bundle))("uses dist/thread.worker.js and lets a plain script exit when done", () => {
    const script = `
      import { toThread } from ${JSON.stringify(bundle.href)};
      const ids = await Promise.all([1, 2].map(() => toThread(() => process.getBuiltinModule("node:worker_threads").threadId)));
      const error = await toThread(function fail() { throw new RangeError("nope"); }).catch((e) => e);
      console.log(JSON.stringify({ ids, range: error instanceof RangeError, frame: error.stack.split("\\n")[1].trim() }));
    `;
    // No closeThreads() in the script: idle workers must not keep the process alive (the timeout would fail this).
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 20_000 });
    expect(child.stderr).toBe("");
    expect(child.status).toBe(0);
    const out = JSON.parse(child.stdout);
    expect(out.ids.every((id: number) => id > 0)).toBe(true);
    expect(out.range).toBe(true);
    expect(out.frame).toMatch(/^at fail \(toThread\/fail\.js:/);
  });
});
