// interrupt_request on the control channel stops code that keeps the event loop busy, not only pending awaits.
import { expect, it } from "vitest";
import { delay, kernelPerFile, resultText as text, startKernel } from "../support/kernel.ts";

const kernel = kernelPerFile();

it("stops a synchronous infinite loop, before any await, and keeps every variable", async () => {
  await kernel.execute("const kept = 'still here'; let spins = 0;");
  const { run, took, reply } = await kernel.interruptAfter("while (true) { spins++; }", { by: "message" });
  expect(run.error?.ename).toBe("InterruptError");
  expect(reply?.content.status).toBe("ok");
  expect(took).toBeLessThan(1000);
  expect(text(await kernel.execute("kept"))).toBe("'still here'");
  expect(Number(text(await kernel.execute("spins")))).toBeGreaterThan(0);
});

it("stops a synchronous loop that runs after an await", async () => {
  const { run, took } = await kernel.interruptAfter("await new Promise((r) => setTimeout(r, 50));\nfor (;;) {}", { after: 400, by: "message" });
  expect(run.error?.ename).toBe("InterruptError");
  expect(took).toBeLessThan(1000);
  expect(text(await kernel.execute("6 * 7"))).toBe("42");
});

it("stops a loop that catches every error its body throws, and lets the cleanup of its tasks run", async () => {
  const { run, took } = await kernel.interruptAfter(`
import { createTask, sleep } from "looplab";
globalThis.swept = [];
function sweep(id: number) { for (let i = 0; i < 2; i++) swept.push(id); }
function step(): void {}
const helper = createTask(async () => { try { await sleep(60_000); } finally { sweep(7); } }, { name: "helper" });
await sleep(10); // the helper starts and reaches its await (a task cancelled before it starts never runs)
while (true) { try { step(); } catch {} }`, { by: "message" });
  expect(run.error?.ename).toBe("InterruptError");
  expect(took).toBeLessThan(1000);
  await delay(50);
  expect(text(await kernel.execute("swept"))).toBe("[ 7, 7 ]");
});

it("stops deep recursion, which has no loop", async () => {
  await kernel.execute("function fib(n: number): number { return n < 2 ? n : fib(n - 1) + fib(n - 2); }");
  const { run, took } = await kernel.interruptAfter("fib(60)", { by: "message" });
  expect(run.error?.ename).toBe("InterruptError");
  expect(took).toBeLessThan(1000);
});

it("stops a loop whose iterations block in unchecked code for 300 ms each, after a fast loop", async () => {
  // The fast loop first makes the loop countdown long; each later iteration then sits 300 ms in Atomics.wait,
  // where no check runs: the relay's ticks bring the loop to look at control anyway.
  const code = [
    "const cell = new Int32Array(new SharedArrayBuffer(4));",
    "let n = 0; for (let i = 0; i < 5e7; i++) n += i & 1;",
    "while (true) Atomics.wait(cell, 0, 0, 300);",
  ].join("\n");
  const { run, took } = await kernel.interruptAfter(code, { after: 1200, by: "message" });
  expect(run.error?.ename).toBe("InterruptError");
  expect(took).toBeLessThan(1000);
});

it("leaves a busy cell alone when other control requests arrive, and answers them after it", async () => {
  const running = kernel.execute("const t0 = Date.now(); let laps = 0; while (Date.now() - t0 < 800) laps++; 'finished'");
  await delay(200);
  const info = await kernel.client.request("control", "kernel_info_request", {});
  const run = await running;
  expect(run.content.status).toBe("ok");
  expect(text(run)).toBe("'finished'");
  expect(info.reply.content.implementation).toBe("looplab");
  // The reply came only once the loop let go: the request was read early, handled in order afterwards.
});

it("ends the kernel on shutdown_request even while a cell loops", async () => {
  const other = await startKernel();
  try {
    void other.execute("while (true) {}").catch(() => undefined);
    await delay(300);
    const sent = performance.now();
    const { reply } = await other.client.request("control", "shutdown_request", { restart: false });
    expect(reply.content.status).toBe("ok");
    const code = await Promise.race([other.exited, delay(2000).then(() => "still running")]);
    expect(code).toBe(0);
    expect(performance.now() - sent).toBeLessThan(1500);
  } finally {
    await other.close();
  }
});
