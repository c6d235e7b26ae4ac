// How `looplab run` starts its kernels: fresh ports when another process takes one first, and no hang when a
// kernel dies before it answers. The failures are real: a preload (NODE_OPTIONS --require) that runs only in
// the kernel process binds one of its ports before the kernel does, or ends the process.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { code, notebook } from "../export/fixture.ts";
import { run } from "../support/jupyter.ts";
import { launcher } from "../support/kernel.ts";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "looplab-start-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs only in a kernel process (`kernel/dist/start.js FILE`, what kernelCommand starts, or `looplab.js kernel FILE`). Each start appends a line to `starts`; the first
 * `takeFirst` starts bind the connection file's hb port first, as another program could between the moment the
 * launcher chose the port and the kernel's bind; with `exitCode`, every start ends at once instead.
 */
function preload(name: string, behaviour: { takeFirst?: number; exitCode?: number }): { file: string; starts: string } {
  const file = join(dir, `${name}.cjs`);
  const starts = join(dir, `${name}.starts`);
  writeFileSync(
    file,
    `const argv = process.argv;
if (argv.includes("kernel") || /kernel[\\/]dist[\\/]start\.js$/.test(argv[1] ?? "")) {
  const fs = require("node:fs");
  fs.appendFileSync(${JSON.stringify(starts)}, "start\\n");
  const count = fs.readFileSync(${JSON.stringify(starts)}, "utf8").split("\\n").length - 1;
  if (${behaviour.exitCode ?? -1} >= 0) process.exit(${behaviour.exitCode ?? 0});
  if (count <= ${behaviour.takeFirst ?? 0}) {
    const info = JSON.parse(fs.readFileSync(argv[argv.length - 1], "utf8"));
    require("node:net").createServer().listen(info.hb_port, "127.0.0.1").unref();
  }
}
`,
  );
  return { file, starts };
}

function looplabRun(notebookPath: string, preloadFile: string) {
  return run(process.execPath, [launcher, "run", notebookPath, "--output-dir", join(dir, "out")], {
    cwd: dir,
    env: { ...process.env, NODE_OPTIONS: `--require ${preloadFile}` },
    timeoutMs: 60_000,
  });
}

const startCount = (starts: string) => (existsSync(starts) ? readFileSync(starts, "utf8").split("\n").length - 1 : 0);

describe("looplab run starting its kernel", () => {
  const path = () => {
    const file = join(dir, "hello.ipynb");
    writeFileSync(file, JSON.stringify(notebook([code("console.log('ran in ' + (6 * 7))", [], [], null)])));
    return file;
  };

  it("starts again with fresh ports when another process took one of them first", async () => {
    const { file, starts } = preload("taken-once", { takeFirst: 1 });
    const ran = await looplabRun(path(), file);
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    // The first kernel could not bind and exited; the second got other ports and ran the notebook.
    expect(startCount(starts)).toBe(2);
    expect(readFileSync(join(dir, "out", "hello.ipynb"), "utf8")).toContain("ran in 42");
  });

  it("gives up after three starts whose ports were all taken, says why, and exits at once", async () => {
    const { file, starts } = preload("taken-always", { takeFirst: 99 });
    const started = performance.now();
    const ran = await looplabRun(path(), file);
    expect(ran.code).toBe(1);
    expect(ran.stderr + ran.stdout).toMatch(/the kernel exited \(3\) before it answered:\n.*cannot bind the hb socket/);
    expect(startCount(starts)).toBe(3);
    // Not the 30 s kernel_info wait: the launcher closes its client when the kernel is gone.
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  it("reports a kernel that dies before it answers and exits, instead of waiting on it", async () => {
    const { file, starts } = preload("dies", { exitCode: 1 });
    const started = performance.now();
    const ran = await looplabRun(path(), file);
    expect(ran.code).toBe(1);
    expect(ran.stderr + ran.stdout).toContain("the kernel exited (1) before it answered");
    expect(startCount(starts)).toBe(1);
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});
