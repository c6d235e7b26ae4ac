// Kernel > Interrupt as Jupyter's own client library does it (jupyter_client, which JupyterLab's server uses),
// in both interrupt modes: SIGINT to the process group, and interrupt_request on the control channel.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { installedKernel, python, repoRoot, requireOrSkip, run, type JupyterHome } from "../support/jupyter.ts";

describe("interrupts through jupyter_client (Debian's python3-jupyter-client)", () => {
  if (!requireOrSkip("jupyter-client")) return;

  let home: JupyterHome;
  beforeAll(async () => {
    home = await installedKernel();
    // The same kernel, declared with interrupt_mode "message": jupyter_client then sends interrupt_request.
    const spec = JSON.parse(readFileSync(join(home.kernelDir, "kernel.json"), "utf8"));
    const messageDir = join(home.dir, "share", "jupyter", "kernels", "looplab-message");
    mkdirSync(messageDir, { recursive: true });
    writeFileSync(join(messageDir, "kernel.json"), JSON.stringify({ ...spec, interrupt_mode: "message" }));
  });
  afterAll(async () => {
    await home?.remove();
  });

  for (const [name, mode] of [["looplab", "signal"], ["looplab-message", "message"]] as const) {
    test(`interrupt_mode ${mode}: a loop, a loop after an await and a pending await each stop within a second`, async () => {
      const session = await run(python, [join(repoRoot, "test/frontends/interrupt_session.py"), name], {
        env: home.env,
        cwd: home.dir,
        timeoutMs: 90_000,
      });
      const transcript = session.stdout + session.stderr;
      expect(session.code, transcript).toBe(0);
      const lines = session.stdout.trim().split("\n").map((line) => JSON.parse(line));
      expect(lines[0]).toEqual({ interrupt_mode: mode });
      const cases = lines.filter((line) => "case" in line);
      console.log(`interrupt_mode ${mode}: ${cases.map((c) => `${c.case} ${c.ms} ms`).join(", ")}`);
      expect(cases.map((c) => c.case)).toEqual(["loop", "loop after await", "pending await"]);
      for (const outcome of cases) {
        expect(outcome, transcript).toMatchObject({ status: "error", ename: "InterruptError" });
        expect(outcome.ms, `${outcome.case}: ${transcript}`).toBeLessThan(1000);
      }
      expect(lines.at(-1)).toEqual({ kept: "'kept'", spun: "true" });
    }, 100_000);
  }
});
