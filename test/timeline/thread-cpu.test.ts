// The stall monitor's CPU witness: this thread's CPU time only, so workers computing cannot vouch for a stall.
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { threadCpuClock } from "../../runtime/timeline/thread-cpu.ts";

const processCpu = (): number => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};

/** A worker that computes for `ms` of its own CPU time, then exits. */
function computeInWorker(ms: number): Promise<void> {
  const worker = new Worker(
    `const start = process.cpuUsage(); let x = 0;
     for (;;) { for (let i = 0; i < 1e5; i++) x += i; const u = process.cpuUsage(start); if (u.user + u.system >= ${ms * 1000}) break; }`,
    { eval: true },
  );
  return new Promise((resolve, reject) => worker.on("exit", () => resolve()).on("error", reject));
}

// Linux has a per-thread clock (/proc/thread-self/schedstat); Node >= 23.9 has process.threadCpuUsage.
const perThread = process.platform === "linux" || "threadCpuUsage" in process;
if (!perThread) console.log("skipping the per-thread CPU tests: this platform only offers the process's CPU time");

describe.skipIf(!perThread)("threadCpuClock", () => {
  it("leaves out the CPU a worker thread uses while this thread waits", async () => {
    const clock = threadCpuClock();
    const [mine, all] = [clock(), processCpu()];
    await computeInWorker(200);
    const [mineAfter, allAfter] = [clock(), processCpu()];
    // The process did the worker's 200 ms (plus its start-up); this thread only waited for the exit event.
    expect(allAfter - all).toBeGreaterThan(190);
    expect(mineAfter - mine).toBeLessThan(60);
  });

  it("counts this thread's own computing", () => {
    const clock = threadCpuClock();
    const before = clock();
    const start = processCpu();
    let x = 0;
    while (processCpu() - start < 100) for (let i = 0; i < 1e4; i++) x += i;
    expect(x).toBeGreaterThan(0);
    expect(clock() - before).toBeGreaterThan(90);
  });
});
