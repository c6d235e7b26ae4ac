// Limiting concurrency and passing items: Semaphore(10).run over 100k jobs against p-limit(10), p-queue
// (concurrency 10) and a bare Promise.all of the same jobs, all in this one process; and Queue(100) items per
// second between a producer and a consumer task. Targets (issue 3): Semaphore >= 2x p-limit and p-queue and
// >= 0.6x bare Promise.all; Queue >= 10 M items/s; the issue measured p-limit 353 k/s, p-queue 334 k/s,
// bare Promise.all 1.31 M/s on this machine's kind.
import pLimit from "p-limit";
import PQueue from "p-queue";
import { k, rate as measure, ROUNDS, runtimeUrl, WARMUP } from "./rate.mjs";

const { Semaphore, Queue, createTask } = await import(runtimeUrl());

const N = 100_000;
const rate = async (fn, n = N) => (await measure(fn, n)).perSecond;

// One job: a little real asynchrony (a turn of the event loop), as an I/O call would have.
const job = (i) => new Promise((resolve) => setImmediate(resolve, i));
const jobs = Array.from({ length: N }, (_, i) => () => job(i));

const bare = () => Promise.all(jobs.map((fn) => fn()));
const semaphore = () => {
  const sem = new Semaphore(10);
  return Promise.all(jobs.map((fn) => sem.run(fn)));
};
const limited = () => {
  const limit = pLimit(10);
  return Promise.all(jobs.map((fn) => limit(fn)));
};
const queued = () => {
  const queue = new PQueue({ concurrency: 10 });
  return Promise.all(jobs.map((fn) => queue.add(fn)));
};

const Q = 1_000_000;
/**
 * The floor to compare Queue with: a bare array queue with no cancellation, shutdown, join or fairness, as
 * anyone would write in ten lines. Same producer/consumer shape, plain async functions or runtime tasks.
 */
class BareQueue {
  items = [];
  getters = [];
  putters = [];
  constructor(max) {
    this.max = max;
  }
  put(item) {
    if (this.getters.length > 0) this.getters.shift()(item);
    else if (this.items.length < this.max) this.items.push(item);
    else return new Promise((resolve) => this.putters.push(() => (this.items.push(item), resolve())));
    return DONE;
  }
  get() {
    if (this.items.length === 0) return new Promise((resolve) => this.getters.push(resolve));
    const item = this.items.shift();
    if (this.putters.length > 0) this.putters.shift()();
    return Promise.resolve(item);
  }
}
const DONE = Promise.resolve();
/** A producer task and a consumer task passing Q numbers through a queue of 100; spawn starts each side. */
const pipeline = (makeQueue, spawn) => async () => {
  const queue = makeQueue(100);
  const producer = spawn(async () => {
    for (let i = 0; i < Q; i++) await queue.put(i);
  });
  const consumer = spawn(async () => {
    let sum = 0;
    for (let i = 0; i < Q; i++) sum += await queue.get();
    return sum;
  });
  await producer;
  if ((await consumer) !== (Q * (Q - 1)) / 2) throw new Error("the consumer lost items");
};
const plain = (fn) => fn();
const looplabQueue = (size) => new Queue(size);
const bareQueue = (size) => new BareQueue(size);

// The baseline first, before any runtime task exists (see runtime-core.bench.mjs on promise hooks).
const bareRate = await rate(bare);
const bareQueueCold = await rate(pipeline(bareQueue, plain), Q);
const queueCold = await rate(pipeline(looplabQueue, plain), Q);
const pLimitRate = await rate(limited);
const pQueueRate = await rate(queued);
const semRate = await rate(semaphore);
const queueRate = await rate(pipeline(looplabQueue, createTask), Q);
const bareQueueTasks = await rate(pipeline(bareQueue, createTask), Q);

console.log("## Runtime: semaphores and queues\n");
console.log(`${N.toLocaleString("en")} jobs per run (each awaits one setImmediate), median of ${ROUNDS} runs after ${WARMUP} warm-up runs, one process.\n`);
console.log("| benchmark | rate | vs bare Promise.all | vs p-limit | vs p-queue |");
console.log("|---|---:|---:|---:|---:|");
const row = (name, x) => console.log(`| ${name} | ${k(x)} | ${(x / bareRate).toFixed(2)}x | ${(x / pLimitRate).toFixed(2)}x | ${(x / pQueueRate).toFixed(2)}x |`);
row("bare Promise.all, no limit (baseline)", bareRate);
row("p-limit(10)", pLimitRate);
row("p-queue, concurrency 10", pQueueRate);
row("looplab Semaphore(10).run (target >= 2x p-limit, p-queue; >= 0.6x bare)", semRate);
console.log(`\nQueue(100), a producer and a consumer, ${Q.toLocaleString("en")} items, one await per put and per get:\n`);
console.log("| queue | items/s |");
console.log("|---|---:|");
console.log(`| bare array queue, plain async functions, before any runtime task existed | ${k(bareQueueCold)} |`);
console.log(`| looplab Queue, plain async functions, before any runtime task existed | ${k(queueCold)} |`);
console.log(`| bare array queue, in two runtime tasks | ${k(bareQueueTasks)} |`);
console.log(`| looplab Queue, in two runtime tasks (target >= 10 M/s; asyncio.Queue 1.75 M/s) | ${k(queueRate)} |`);
console.log("\nOnce a task exists, the runtime's AsyncLocalStorage is on, and Node 20 runs a promise hook for every await in the process: that, not the queue, sets the ceiling of the rows that use tasks.");
