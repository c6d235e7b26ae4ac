// `looplab install` / `uninstall`: where the kernelspec goes for each flag, what kernel.json says, the logos.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { launcher, repoRoot, startKernel } from "../support/kernel.ts";
import { installedNodes } from "../support/node-versions.ts";

const looplab = (args: string[], env: Record<string, string | undefined> = {}) => {
  const merged: Record<string, string | undefined> = { ...process.env, ...env };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  return spawnSync(process.execPath, [launcher, ...args], { encoding: "utf8", env: merged as NodeJS.ProcessEnv });
};
const temp = () => mkdtempSync(join(tmpdir(), "looplab-install-"));
/** Width and height from a PNG's IHDR chunk. */
const pngSize = (file: string) => {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
};

describe("looplab install", () => {
  it("--prefix, --name and --display-name: kernel.json with absolute paths, signal interrupts and the three logos", () => {
    const prefix = temp();
    const run = looplab(["install", "--prefix", prefix, "--name", "looplab-test", "--display-name", "TS for class"]);
    expect(run.status, run.stderr).toBe(0);
    const dir = join(prefix, "share/jupyter/kernels/looplab-test");
    expect(run.stdout).toContain(dir);
    const spec = JSON.parse(readFileSync(join(dir, "kernel.json"), "utf8"));
    expect(spec).toMatchObject({ display_name: "TS for class", language: "typescript", interrupt_mode: "signal" });
    expect(spec.argv[0]).toBe(process.execPath);
    // The kernel's own entry, not `looplab kernel`: one file up to the first reply (kernel/start.ts).
    expect(spec.argv.slice(-2)).toEqual([join(repoRoot, "kernel/dist/start.js"), "{connection_file}"]);
    expect(pngSize(join(dir, "logo-32x32.png"))).toEqual([32, 32]);
    expect(pngSize(join(dir, "logo-64x64.png"))).toEqual([64, 64]);
    expect(readFileSync(join(dir, "logo-svg.svg"), "utf8")).toMatch(/<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });

  it("defaults to the name looplab and the display name TypeScript (LoopLab)", () => {
    const prefix = temp();
    expect(looplab(["install", "--prefix", prefix]).status).toBe(0);
    const spec = JSON.parse(readFileSync(join(prefix, "share/jupyter/kernels/looplab/kernel.json"), "utf8"));
    expect(spec.display_name).toBe("TypeScript (LoopLab)");
  });

  it("--user goes to JUPYTER_DATA_DIR when set, else to ~/.local/share/jupyter (XDG_DATA_HOME when set)", () => {
    const data = temp();
    expect(looplab(["install", "--user"], { JUPYTER_DATA_DIR: data }).status).toBe(0);
    expect(existsSync(join(data, "kernels/looplab/kernel.json"))).toBe(true);

    const home = temp();
    expect(looplab(["install", "--user"], { JUPYTER_DATA_DIR: undefined, XDG_DATA_HOME: undefined, HOME: home }).status).toBe(0);
    expect(existsSync(join(home, ".local/share/jupyter/kernels/looplab/kernel.json"))).toBe(true);

    const xdg = temp();
    expect(looplab(["install"], { JUPYTER_DATA_DIR: undefined, XDG_DATA_HOME: xdg, HOME: home }).status).toBe(0);
    expect(existsSync(join(xdg, "jupyter/kernels/looplab/kernel.json"))).toBe(true);
  });

  it("--sys-prefix goes to the active environment's share/jupyter/kernels", () => {
    const venv = temp();
    expect(looplab(["install", "--sys-prefix"], { VIRTUAL_ENV: venv, CONDA_PREFIX: undefined }).status).toBe(0);
    expect(existsSync(join(venv, "share/jupyter/kernels/looplab/kernel.json"))).toBe(true);
  });

  it("refuses unknown flags with the usage and exit code 2", () => {
    const run = looplab(["install", "--everywhere"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/usage: looplab install \[--user \| --sys-prefix \| --prefix DIR\]/);
  });

  it("--node PATH records that Node in kernel.json, after checking it is a supported version", () => {
    const dir = temp();
    /** A stand-in `node` that only answers --version, as Node of that version would. */
    const fakeNode = (version: string) => {
      const path = join(dir, `node-${version}`);
      writeFileSync(path, `#!/bin/sh\necho ${version}\n`);
      chmodSync(path, 0o755);
      return path;
    };
    const prefix = temp();
    const ok = looplab(["install", "--prefix", prefix, "--node", fakeNode("v26.1.0")]);
    expect(ok.status, ok.stderr).toBe(0);
    const spec = JSON.parse(readFileSync(join(prefix, "share/jupyter/kernels/looplab/kernel.json"), "utf8"));
    expect(spec.argv[0]).toBe(join(dir, "node-v26.1.0"));
    for (const [node, message] of [
      [fakeNode("v18.20.0"), /is Node v18\.20\.0; LoopLab needs Node 20\.19\+/],
      [fakeNode("v22.11.0"), /is Node v22\.11\.0/],
      [join(dir, "no-such-node"), /cannot run it/],
    ] as const) {
      const refused = looplab(["install", "--prefix", temp(), "--node", node]);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toMatch(message);
    }
  });

  const others = installedNodes();
  it.runIf(others.length > 0 || process.env.CI === "true")("a kernelspec installed with --node runs its kernel on that Node", async () => {
    expect(others.length, "CI=true: .ci/run installs test/node-versions").toBeGreaterThan(0);
    const { path } = others.at(-1)!;
    const prefix = temp();
    expect(looplab(["install", "--prefix", prefix, "--node", path]).status).toBe(0);
    const spec = JSON.parse(readFileSync(join(prefix, "share/jupyter/kernels/looplab/kernel.json"), "utf8"));
    const kernel = await startKernel({ argv: spec.argv, specEnv: spec.env });
    try {
      const run = await kernel.execute("process.version");
      const version = spawnSync(path, ["--version"], { encoding: "utf8" }).stdout.trim();
      expect(run.result?.["text/plain"]).toBe(`'${version}'`);
    } finally {
      await kernel.close();
    }
  });

  it.runIf(existsSync("/usr/bin/python3"))("is what Jupyter itself finds (jupyter_client's KernelSpecManager, Debian's python3)", () => {
    const data = temp();
    expect(looplab(["install", "--user"], { JUPYTER_DATA_DIR: data }).status).toBe(0);
    const script = "import json, jupyter_client.kernelspec as k; print(json.dumps(k.KernelSpecManager().get_all_specs()))";
    const list = spawnSync("/usr/bin/python3", ["-c", script], { encoding: "utf8", env: { ...process.env, JUPYTER_DATA_DIR: data, PYDEVD_DISABLE_FILE_VALIDATION: "1" } });
    if (list.status !== 0 && /No module named/.test(list.stderr) && process.env.CI !== "true") {
      console.log("skipping the KernelSpecManager check: python3-jupyter-client is not installed");
      return;
    }
    expect(list.status, list.stderr).toBe(0);
    const specs = JSON.parse(list.stdout.trim().split("\n").at(-1)!);
    expect(specs.looplab.resource_dir).toBe(join(data, "kernels/looplab"));
    expect(specs.looplab.spec.display_name).toBe("TypeScript (LoopLab)");
  });
});

describe("looplab uninstall", () => {
  it("removes the kernelspec, and says so when there is none", () => {
    const prefix = temp();
    expect(looplab(["install", "--prefix", prefix, "--name", "gone"]).status).toBe(0);
    const removed = looplab(["uninstall", "--prefix", prefix, "--name", "gone"]);
    expect(removed.status, removed.stderr).toBe(0);
    expect(existsSync(join(prefix, "share/jupyter/kernels/gone"))).toBe(false);
    const again = looplab(["uninstall", "--prefix", prefix, "--name", "gone"]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/no kernelspec gone in /);
  });
});
