// Throughput measurement shared by the runtime benchmarks: median items/s and CPU ms over a few rounds.
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROUNDS = 5;
export const WARMUP = 3;

/** The built runtime, as a user's script imports it. */
export function runtimeUrl() {
  return pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), "../../runtime/dist/index.js")).href;
}

/** Median items/s over ROUNDS runs of fn (after WARMUP runs that let the JIT settle), and the median CPU ms per run. */
export async function rate(fn, n) {
  for (let w = 0; w < WARMUP; w++) await fn();
  const rates = [];
  const cpu = [];
  for (let r = 0; r < ROUNDS; r++) {
    // No forced GC between rounds: a full GC shrinks the heap, and the next round then pays to grow it again,
    // which no running application does. Each round collects the previous round's garbage as it goes.
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    await fn();
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpuStart);
    rates.push(n / (ms / 1000));
    cpu.push((used.user + used.system) / 1000);
  }
  rates.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { perSecond: rates[ROUNDS >> 1], cpuMs: cpu[ROUNDS >> 1] };
}

/** A rate as the tables print it: "1.38 M/s" or "440 k/s". */
export const k = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M/s` : `${Math.round(x / 1e3)} k/s`);
