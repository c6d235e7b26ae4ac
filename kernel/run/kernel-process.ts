// Starts LoopLab's kernel as its own process (exactly as Jupyter would) and connects a client to it.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KernelClient } from "../client.ts";
import { kernelCommand, kernelEnv } from "../paths.ts";
import type { ConnectionInfo } from "../wire/connection.ts";

/** A free TCP port on 127.0.0.1 (the kernel binds it right after; a race is possible but rare). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function connectionInfo(): Promise<ConnectionInfo> {
  const ports = new Set<number>();
  while (ports.size < 5) ports.add(await freePort());
  const [shell_port, iopub_port, stdin_port, control_port, hb_port] = [...ports];
  return { transport: "tcp", ip: "127.0.0.1", key: randomBytes(32).toString("hex"), signature_scheme: "hmac-sha256", shell_port, iopub_port, stdin_port, control_port, hb_port, kernel_name: "looplab" };
}

/** Every kernel this process started and has not stopped yet: killed if we exit or get Ctrl+C. */
const live = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    child.kill(signal);
  }
}

process.on("exit", () => {
  for (const child of live) killGroup(child, "SIGKILL");
});

export interface KernelOptions {
  /** Working directory of the kernel: the notebook's folder, as Jupyter servers do. */
  cwd: string;
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

export class KernelProcess {
  private constructor(
    readonly client: KernelClient,
    readonly child: ChildProcess,
    readonly exited: Promise<number | string | null>,
    readonly log: () => string,
    readonly dir: string,
  ) {}

  static async start(options: KernelOptions): Promise<KernelProcess> {
    const info = await connectionInfo();
    const dir = mkdtempSync(join(tmpdir(), "looplab-run-"));
    const file = join(dir, "kernel.json");
    writeFileSync(file, JSON.stringify(info), { mode: 0o600 });
    // A process group of its own (jupyter_client does the same): Ctrl+C in the terminal reaches us, not the
    // kernel, and we decide to stop it; interrupts we send go to the whole group.
    const [node, ...args] = kernelCommand(file);
    const child = spawn(node!, args, {
      cwd: options.cwd,
      env: { ...process.env, ...kernelEnv(), ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    live.add(child);
    let log = "";
    child.stdout!.on("data", (chunk) => (log += chunk));
    child.stderr!.on("data", (chunk) => (log += chunk));
    const exited = new Promise<number | string | null>((resolve) =>
      child.on("exit", (code, signal) => {
        live.delete(child);
        resolve(code ?? signal);
      }),
    );
    try {
      const client = await Promise.race([
        KernelClient.connect(info, { timeoutMs: options.startTimeoutMs ?? 30_000 }),
        exited.then((code): never => {
          throw new Error(`the kernel exited (${code}) before it answered:\n${log.trim()}`);
        }),
      ]);
      return new KernelProcess(client, child, exited, () => log, dir);
    } catch (error) {
      killGroup(child, "SIGKILL");
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** SIGINT to the kernel's group: the running cell is interrupted, the kernel keeps running. */
  interrupt(): void {
    killGroup(this.child, "SIGINT");
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Asks the kernel to shut down, then makes sure it is gone. */
  async stop(): Promise<void> {
    if (this.running) {
      const timeout = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());
      await Promise.race([this.client.request("control", "shutdown_request", { restart: false }).catch(() => undefined), timeout(2000)]);
      await Promise.race([this.exited, timeout(2000)]);
      if (this.running) killGroup(this.child, "SIGKILL");
    }
    await this.client.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Ends the kernel at once (Ctrl+C on `looplab run`). */
  kill(): void {
    if (this.running) killGroup(this.child, "SIGKILL");
  }
}
