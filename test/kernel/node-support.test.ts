// What must hold on every supported Node version (issue 14), checked in a real kernel on the Node running the tests:
// no deprecation warning in a cell or the log, and AsyncLocalStorage contexts kept across a Semaphore's queue.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { repoRoot, startKernel, type TestKernel } from "../support/kernel.ts";

let kernel: TestKernel;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "looplab-node-"));
  writeFileSync(join(dir, "helper.ts"), "export const twice = (n: number): number => n * 2;\n");
  writeFileSync(join(dir, "helper.mjs"), "export const thrice = (n) => n * 3;\n");
  writeFileSync(join(dir, "helper.cjs"), "exports.half = (n) => n / 2;\n");
  kernel = await startKernel({ cwd: dir });
});
afterAll(async () => {
  // close() itself fails on any deprecation warning seen in the log or a cell (test/support/kernel.ts).
  await kernel?.close();
});

it(`relative imports (.ts, .mjs, .cjs) print no warning into the cell or the log on Node ${process.version}`, async () => {
  const run = await kernel.execute(`
import { twice } from "./helper.ts";
import { thrice } from "./helper.mjs";
import { half } from "./helper.cjs";
import { gather, sleep } from "looplab";
await gather(() => sleep(1), () => sleep(2));
[twice(2), thrice(2), half(2)]`);
  expect(run.error).toBeUndefined();
  expect(run.result?.["text/plain"]).toBe("[ 4, 6, 1 ]");
  expect(run.stderr).toBe("");
  expect(kernel.log()).not.toMatch(/Warning/);
});

it("a Semaphore's queued jobs see their own caller's AsyncLocalStorage store (A->A B->B C->C D->D, not A->A B->A C->A D->A)", async () => {
  const run = await kernel.execute(`
import { AsyncLocalStorage } from "node:async_hooks";
import { Semaphore, sleep } from "looplab";
const store = new AsyncLocalStorage<string>();
const sem = new Semaphore(1);
const seen: string[] = [];
const job = (name: string) => async () => { seen.push(name + "->" + store.getStore()); await sleep(1); };
await Promise.all(["A", "B", "C", "D"].map((name) => store.run(name, async () => {
  await null;
  return sem.run(job(name));
})));
seen.join(" ")`);
  expect(run.error).toBeUndefined();
  expect(run.result?.["text/plain"]).toBe("'A->A B->B C->C D->D'");
});

it(`the built runtime, used from a plain Node script, prints nothing on Node ${process.version}`, () => {
  // A bundle reading a deprecated built-in export (fs.F_OK) printed DEP0176 on Node 24 in every such script.
  const script = `const { gather, sleep, Semaphore } = await import(${JSON.stringify(join(repoRoot, "runtime/dist/index.js"))});
await new Semaphore(1).run(() => gather(() => sleep(1)));`;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stderr).toBe("");
});
