// Starting and stopping: bad connection files, busy ports, shutdown_request and SIGTERM.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIND_FAILED } from "../../kernel/wire/connection.ts";
import { connectionInfo, launcher, startKernel } from "../support/kernel.ts";
import { alive } from "../support/processes.mjs";

const dir = mkdtempSync(join(tmpdir(), "looplab-life-"));

function runKernel(file: string) {
  return spawnSync(process.execPath, [launcher, "kernel", file], { encoding: "utf8", timeout: 10_000 });
}

describe("start-up errors", () => {
  it("exits 2 with one line when the connection file is missing", () => {
    const result = runKernel(join(dir, "missing.json"));
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/does not exist/);
  });

  it("exits 2 with one line when the connection file is malformed", () => {
    const file = join(dir, "bad.json");
    writeFileSync(file, "{ not json");
    const result = runKernel(file);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    const noPorts = join(dir, "noports.json");
    writeFileSync(noPorts, JSON.stringify({ ip: "127.0.0.1", key: "" }));
    const second = runKernel(noPorts);
    expect(second.status).toBe(2);
    expect(second.stderr).toMatch(/shell_port/);
  });

  it.for(["shell", "hb"] as const)("exits 3 (BIND_FAILED) with one line when the %s port is in use", async (channel) => {
    const info = await connectionInfo();
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(info[`${channel}_port`], "127.0.0.1", () => r()));
    const file = join(dir, "busy.json");
    writeFileSync(file, JSON.stringify(info));
    const result = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [launcher, "kernel", file]);
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      child.on("exit", (status) => resolve({ status, stderr }));
    });
    blocker.close();
    expect(result.status).toBe(BIND_FAILED);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(new RegExp(`cannot bind the ${channel} socket`));
  });
});

describe("shutdown", () => {
  it("answers shutdown_request with the restart flag and exits", async () => {
    const kernel = await startKernel();
    const { reply } = await kernel.client.request("control", "shutdown_request", { restart: true });
    expect(reply.content).toMatchObject({ status: "ok", restart: true });
    const started = performance.now();
    await kernel.exited;
    expect(performance.now() - started).toBeLessThan(1500);
    await kernel.close();
  });

  it("ends cleanly on SIGTERM, closing worker threads and servers it started", async () => {
    const kernel = await startKernel();
    await kernel.execute(`
import { createServer } from "node:http";
import { Worker } from "node:worker_threads";
globalThis.server = createServer(() => {}).listen(0, "127.0.0.1");
globalThis.worker = new Worker("setInterval(() => {}, 1000)", { eval: true });`);
    const started = performance.now();
    kernel.process.kill("SIGTERM");
    const code = await kernel.exited;
    expect(performance.now() - started).toBeLessThan(1500);
    expect(code).toBe(0);
    await kernel.close();
  });

  it.for(["SIGTERM to the process group", "shutdown_request"] as const)(
    "%s ends the kernel within a second and stops the child processes its cells started",
    async (how) => {
      const kernel = await startKernel();
      const run = await kernel.execute(`
import { spawn } from "node:child_process";
spawn("sleep", ["300"], { stdio: "ignore" }).pid`);
      const child = Number(run.result?.["text/plain"]);
      expect(alive(child)).toBe(true);
      const started = performance.now();
      if (how === "shutdown_request") void kernel.client.request("control", "shutdown_request", { restart: false });
      else process.kill(-kernel.process.pid!, "SIGTERM");
      await kernel.exited;
      expect(performance.now() - started).toBeLessThan(1000);
      await new Promise((r) => setTimeout(r, 200));
      expect(alive(child)).toBe(false);
      await kernel.close();
    },
  );

  it("SIGTERM ends a kernel whose cell is stuck in a synchronous loop, within a second", async () => {
    const kernel = await startKernel();
    await kernel.execute("const ready = 1;");
    void kernel.client.execute("await Promise.resolve(); while (true) {}").catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    const started = performance.now();
    // jupyter_client's way: the whole process group.
    process.kill(-kernel.process.pid!, "SIGTERM");
    const code = await kernel.exited;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(code).toBe(0);
    await kernel.close();
  });

  it("works over the ipc transport too", async () => {
    const info = { ...(await connectionInfo()), transport: "ipc" as const, ip: join(dir, "kernel-ipc") };
    const { KernelClient } = await import("../../kernel/course/client.ts");
    const file = join(dir, "ipc.json");
    writeFileSync(file, JSON.stringify(info));
    const child = spawn(process.execPath, [launcher, "kernel", file], { stdio: "ignore" });
    const client = await KernelClient.connect(info, { timeoutMs: 15_000 });
    const run = await client.execute("'over ipc'");
    expect(run.iopub.find((m) => m.header.msg_type === "execute_result")?.content.data).toMatchObject({ "text/plain": "'over ipc'" });
    await client.request("control", "shutdown_request", { restart: false });
    await client.close();
    await new Promise((r) => child.on("exit", r));
  });
});
