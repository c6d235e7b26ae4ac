// Task cost: gather of 100k sleep(0) tasks against a bare Promise.all of 100k setImmediate promises measured in the
// same process, plus createTask + await one by one. Target (issue 3): gather >= 1 M tasks/s (asyncio: 79 k/s).
import { k, rate as measure, ROUNDS, runtimeUrl, WARMUP } from "./rate.mjs";

const { createTask, gather, sleep } = await import(runtimeUrl());

const N = 100_000;
const rate = (fn) => measure(fn, N);

const bare = () => {
  const promises = new Array(N);
  for (let i = 0; i < N; i++) promises[i] = new Promise((resolve) => setImmediate(resolve));
  return Promise.all(promises);
};
const yieldOnce = () => sleep(0);
const gatherSleeps = () => gather(...new Array(N).fill(yieldOnce));
const gatherAsync = () => {
  const fns = new Array(N);
  for (let i = 0; i < N; i++) fns[i] = async () => {
    await sleep(0);
    return i;
  };
  return gather(...fns);
};
const one = async () => 1;
const createAndAwait = async () => {
  for (let i = 0; i < N; i++) await createTask(one);
};

// The baseline runs first, before the runtime's AsyncLocalStorage is in use: once it is, Node's promise hooks slow
// every promise in the process, so the baseline is measured again afterwards to show that cost too.
const baselineCold = await rate(bare);
const gathered = await rate(gatherSleeps);
const gatheredAsync = await rate(gatherAsync);
const sequential = await rate(createAndAwait);
const baselineWarm = await rate(bare);

const vs = (x) => `${(x / baselineCold.perSecond).toFixed(2)}x`;
const cpu = (r) => `${r.cpuMs.toFixed(0)} ms`;

console.log("## Runtime core: tasks\n");
console.log(`${N.toLocaleString("en")} items per run, median of ${ROUNDS} runs after ${WARMUP} warm-up runs.\n`);
console.log("| benchmark | rate | vs bare Promise.all | CPU per run |");
console.log("|---|---:|---:|---:|");
console.log(`| bare Promise.all of setImmediate promises (baseline, before the runtime is used) | ${k(baselineCold.perSecond)} | 1.00x | ${cpu(baselineCold)} |`);
console.log(`| gather of \`() => sleep(0)\` tasks (target >= 1 M/s) | ${k(gathered.perSecond)} | ${vs(gathered.perSecond)} | ${cpu(gathered)} |`);
console.log(`| gather of \`async () => { await sleep(0) }\` tasks | ${k(gatheredAsync.perSecond)} | ${vs(gatheredAsync.perSecond)} | ${cpu(gatheredAsync)} |`);
console.log(`| createTask + await, one at a time | ${k(sequential.perSecond)} | ${vs(sequential.perSecond)} | ${cpu(sequential)} |`);
console.log(`| bare Promise.all again, with the runtime's async context in use | ${k(baselineWarm.perSecond)} | ${vs(baselineWarm.perSecond)} | ${cpu(baselineWarm)} |`);
