// An interrupt stops everything a cell started, also when it lands in a synchronous loop rather than an await.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startKernel, type TestKernel } from "../support/kernel.ts";

let kernel: TestKernel;
beforeAll(async () => {
  kernel = await startKernel();
});
afterAll(async () => {
  await kernel?.close();
});

it.for([
  ["a loop before the cell's first await (vm's breakOnSigint)", "while (true) {}"],
  ["a loop after an await (the kernel's loop check)", "await sleep(1); while (true) {}"],
])("interrupting %s cancels the tasks the cell started and runs their finally blocks", async ([, loop]) => {
  await kernel.execute(`
import { createTask, sleep } from "looplab";
var cleanedUp = "no";`);
  const running = kernel.execute(`
var background = createTask(async () => {
  try { await sleep(60_000); } finally { cleanedUp = "yes"; }
}, { name: "background" });
${loop}`);
  await new Promise((r) => setTimeout(r, 400));
  kernel.interrupt();
  const run = await running;
  expect(run.error?.ename).toBe("InterruptError");
  await new Promise((r) => setTimeout(r, 100));
  const after = await kernel.execute("[cleanedUp, background.cancelled()]");
  expect(after.result?.["text/plain"]).toBe("[ 'yes', true ]");
});
