// jupyter console with the LoopLab kernel: a person's session typed into a real terminal (console_session.py).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { join } from "node:path";
import { installedKernel, python, repoRoot, requireOrSkip, run, type JupyterHome } from "../support/jupyter.ts";

describe("jupyter console (Debian's jupyter-console, driven by python3-pexpect)", () => {
  if (!requireOrSkip("console", "pexpect")) return;

  let home: JupyterHome;
  beforeAll(async () => {
    home = await installedKernel();
  });
  afterAll(async () => {
    await home?.remove();
  });

  test("multi-line input, a call, Tab completion and history recall, also from a previous kernel", async () => {
    const session = await run(python, [join(repoRoot, "test/frontends/console_session.py"), "looplab"], {
      env: home.env,
      cwd: home.dir,
      timeoutMs: 150_000,
    });
    const transcript = session.stdout + session.stderr;
    expect(session.code, transcript).toBe(0);
    expect(transcript).toContain("Up recalled session 1's input from the kernel's history");
  }, 160_000);
});
