// The Semaphore against p-limit and p-queue measured by an independent harness (tinybench), not our rate():
// each task limits 10k jobs (each awaits one setImmediate) to 10 at a time; tinybench repeats it for a fixed time
// and reports the median latency per run, from which jobs/s follow. Target (issue 14): >= 2x both, every version.
import pLimit from "p-limit";
import PQueue from "p-queue";
import { Bench } from "tinybench";
import { runtimeUrl } from "./rate.mjs";

const { Semaphore } = await import(runtimeUrl());
const N = 10_000;
const job = (i) => new Promise((resolve) => setImmediate(resolve, i));
const jobs = Array.from({ length: N }, (_, i) => () => job(i));

const contenders = {
  "p-limit(10)": () => {
    const limit = pLimit(10);
    return Promise.all(jobs.map((fn) => limit(fn)));
  },
  "p-queue, concurrency 10": () => {
    const queue = new PQueue({ concurrency: 10 });
    return Promise.all(jobs.map((fn) => queue.add(fn)));
  },
  "looplab Semaphore(10).run": () => {
    const sem = new Semaphore(10);
    return Promise.all(jobs.map((fn) => sem.run(fn)));
  },
};
// Several short tinybench runs in turn rather than one long run per contender: on a shared machine the load
// drifts over seconds, and each ratio is taken within one round, where all three saw the same load.
const ROUNDS = 7;
const rates = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
const ratios = { limit: [], queue: [] };
for (let round = 0; round < ROUNDS; round++) {
  const bench = new Bench({ time: 400, warmupTime: round === 0 ? 1_000 : 100, iterations: 8 });
  for (const [name, fn] of Object.entries(contenders)) bench.add(name, fn);
  await bench.run();
  const rate = {};
  for (const task of bench.tasks) {
    if (task.result.state !== "completed") throw new Error(`${task.name}: ${task.result.state} ${task.result.error ?? ""}`);
    rate[task.name] = (N * 1000) / task.result.latency.p50;
    rates[task.name].push(rate[task.name]);
  }
  ratios.limit.push(rate["looplab Semaphore(10).run"] / rate["p-limit(10)"]);
  ratios.queue.push(rate["looplab Semaphore(10).run"] / rate["p-queue, concurrency 10"]);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const k = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M/s` : `${Math.round(x / 1e3)} k/s`);
console.log("## Semaphore by an independent harness (tinybench)\n");
console.log(`${N.toLocaleString("en")} jobs per run; ${ROUNDS} rounds, each a tinybench run of the three (400 ms or 8 runs each, median run time); medians over the rounds, ratios taken within each round.\n`);
console.log("| limiter | jobs/s | vs p-limit | vs p-queue |");
console.log("|---|---:|---:|---:|");
const [limitName, queueName, semName] = Object.keys(contenders);
console.log(`| ${limitName} | ${k(median(rates[limitName]))} | 1.00x | |`);
console.log(`| ${queueName} | ${k(median(rates[queueName]))} | | 1.00x |`);
console.log(`| ${semName} (target >= 2x both) | ${k(median(rates[semName]))} | ${median(ratios.limit).toFixed(2)}x | ${median(ratios.queue).toFixed(2)}x |`);
