// The price of a traced async call (issue 13): what the compiler's instrumentation adds to every call of an async
// function in user code, with no timeline recording (target: under 1 µs) and inside one, beside the plain call
// and beside what a task costs (createTask, the way lanes were drawn before).
import { rate, runtimeUrl } from "./rate.mjs";

const { tracedCall, timeline, createTask } = await import(runtimeUrl());

// The plain function, and the same function as compile/trace-calls.ts rewrites it (no longer async itself: it
// returns the arrow's promise; test/compile/trace-calls.test.ts checks that shape).
async function plain(i) {
  return i + 1;
}
function traced(i) {
  return tracedCall("traced", arguments, async () => {
    return i + 1;
  });
}
const asTask = (i) => createTask(() => plain(i));

const loop = (fn, n) => async () => {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await fn(i);
  return sum;
};

const N = 200_000;
const R = 20_000; // inside a recording every call is a lane: fewer of them
const rows = [];
async function row(name, fn, n, recorded) {
  const run = recorded ? async () => (await timeline(fn, { live: false })).spans.length : fn;
  const { perSecond, cpuMs } = await rate(run, n);
  rows.push({ name, ns: 1e9 / perSecond, cpu: (cpuMs * 1e6) / n });
}

await row("plain async call (baseline)", loop(plain, N), N, false);
await row("traced async call, no recording", loop(traced, N), N, false);
await row("plain async call, recording", loop(plain, R), R, true);
await row("traced async call, recording", loop(traced, R), R, true);
await row("createTask per call, no recording", loop(asTask, R), R, false);
await row("createTask per call, recording", loop(asTask, R), R, true);

console.log("## Traced async calls: price per call\n");
console.log("| call | wall per call | CPU per call |");
console.log("|---|---:|---:|");
for (const r of rows) console.log(`| ${r.name} | ${(r.ns / 1000).toFixed(3)} µs | ${(r.cpu / 1000).toFixed(3)} µs |`);
// The prices from CPU time: on a shared machine the wall time also holds what the OS gave other processes.
const price = (a, b) => (rows[a].cpu - rows[b].cpu) / 1000;
const unrecorded = price(1, 0);
console.log(
  `\nTracing adds ${unrecorded.toFixed(3)} µs of CPU per call with no recording (target < 1 µs: ${unrecorded < 1 ? "met" : "MISSED"}), ` +
    `${price(3, 2).toFixed(2)} µs while a timeline records (a lane per call); recording adds ${price(5, 4).toFixed(2)} µs per task.`,
);
if (unrecorded >= 1) process.exitCode = 1;
