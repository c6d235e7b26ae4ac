// An interrupt stops everything a cell started, also when it lands in a synchronous loop rather than an await.
import { expect, it } from "vitest";
import { kernelPerFile, startKernel } from "../support/kernel.ts";

const kernel = kernelPerFile();

it.for([
  ["a loop before the cell's first await", "while (true) {}"],
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

it("an interrupt reaches a loop in a relative module the cell imported (.ts, .mjs and CommonJS .cjs), after an await", async () => {
  const { mkdtempSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = mkdtempSync(join(tmpdir(), "looplab-spin-"));
  writeFileSync(join(dir, "spin.ts"), "export function spin(limit: number): number {\n  let n = 0;\n  while (n >= 0) n = (n + 1) % limit;\n  return n;\n}\n");
  writeFileSync(join(dir, "spin.mjs"), "export function spinForever() {\n  for (;;) {}\n}\n");
  writeFileSync(join(dir, "spin.cjs"), "exports.spinCommon = function () {\n  let n = 0;\n  do { n++; } while (true);\n};\n");
  const own = await startKernel({ cwd: dir });
  try {
    for (const [module, call] of [["./spin.ts", "spin(1000)"], ["./spin.mjs", "spinForever()"], ["./spin.cjs", "spinCommon()"]]) {
      const name = call.slice(0, call.indexOf("("));
      const running = own.execute(`import { ${name} } from "${module}";\nawait new Promise((r) => setTimeout(r, 10));\n${call}`);
      await new Promise((r) => setTimeout(r, 500));
      const sent = performance.now();
      own.interrupt();
      const run = await running;
      expect(run.error?.ename, module).toBe("InterruptError");
      expect(performance.now() - sent, module).toBeLessThan(1000);
    }
    expect((await own.execute("'still here'")).result?.["text/plain"]).toBe("'still here'");
  } finally {
    await own.close();
  }
});

it("an interrupted cell's code stops at the next await it resumes from, even a plain promise's", async () => {
  await kernel.execute("var after = 'not run';");
  const running = kernel.execute("await new Promise((resolve) => setTimeout(resolve, 800)); after = 'ran after the interrupt';");
  await new Promise((r) => setTimeout(r, 300));
  kernel.interrupt();
  expect((await running).error?.ename).toBe("InterruptError");
  // The promise settles 500 ms later; what followed the await must not run.
  await new Promise((r) => setTimeout(r, 900));
  expect((await kernel.execute("after")).result?.["text/plain"]).toBe("'not run'");
  // Later cells await as usual.
  expect((await kernel.execute("await new Promise((r) => setTimeout(r, 10, 'fine'))")).result?.["text/plain"]).toBe("'fine'");
});
