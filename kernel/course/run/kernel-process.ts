// Starts LoopLab's kernel as its own process (exactly as Jupyter would) and connects a client to it.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KernelClient } from "../client.ts";
import { kernelCommand, kernelEnv } from "../../paths.ts";
import { BIND_FAILED, type ConnectionInfo } from "../../wire/connection.ts";

/** The kernel could not bind a port it was given: another process took it after we chose it. */
class PortsTaken extends Error {}

/**
 * Ports this process has handed out. listen(0) may give the same port again once it is closed, so two kernels
 * started at the same time (`--jobs 2`) could otherwise be given one port (jupyter_client keeps such a cache too).
 */
const handedOut = new Set<number>();

/** A free TCP port on 127.0.0.1 (the kernel binds it right after; another process may take it first: see start). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.unref();
      server.on("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

/** Five distinct free ports and a fresh key, for one kernel. */
export async function connectionInfo(key = randomBytes(32).toString("hex")): Promise<ConnectionInfo> {
  const ports: number[] = [];
  while (ports.length < 5) ports.push(await freePort());
  const [shell_port, iopub_port, stdin_port, control_port, hb_port] = ports as [number, number, number, number, number];
  return { transport: "tcp", ip: "127.0.0.1", key, signature_scheme: "hmac-sha256", shell_port, iopub_port, stdin_port, control_port, hb_port, kernel_name: "looplab" };
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
  /** Working directory of the kernel: the notebook's folder, as Jupyter servers do (default: a fresh temp folder). */
  cwd?: string;
  /** Added to the kernel's environment. */
  env?: Record<string, string>;
  /** The kernelspec's env, in place of this checkout's kernelEnv(). */
  specEnv?: Record<string, string>;
  /** A kernelspec's argv with "{connection_file}" (default: this checkout's kernelCommand()). */
  argv?: string[];
  /** The connection key (default: 32 random bytes). */
  key?: string;
  startTimeoutMs?: number;
}

/** Starts with fresh ports when the kernel could not bind the ones it was given, at most this many times. */
const START_ATTEMPTS = 3;

export class KernelProcess {
  private constructor(
    readonly client: KernelClient,
    readonly child: ChildProcess,
    readonly info: ConnectionInfo,
    readonly exited: Promise<number | string | null>,
    readonly log: () => string,
    readonly dir: string,
  ) {}

  static async start(options: KernelOptions = {}): Promise<KernelProcess> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await KernelProcess.#startOnce(options);
      } catch (error) {
        if (!(error instanceof PortsTaken) || attempt === START_ATTEMPTS) throw error;
      }
    }
  }

  static async #startOnce(options: KernelOptions): Promise<KernelProcess> {
    const info = await connectionInfo(options.key);
    const dir = mkdtempSync(join(tmpdir(), "looplab-run-"));
    const file = join(dir, "kernel.json");
    writeFileSync(file, JSON.stringify(info), { mode: 0o600 });
    // A process group of its own (jupyter_client does the same): Ctrl+C in the terminal reaches us, not the
    // kernel, and we decide to stop it; interrupts we send go to the whole group.
    const [node, ...args] = options.argv?.map((arg) => (arg === "{connection_file}" ? file : arg)) ?? kernelCommand(file);
    const child = spawn(node!, args, {
      cwd: options.cwd ?? dir,
      env: { ...process.env, ...(options.specEnv ?? kernelEnv()), ...options.env },
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
    const client = KernelClient.open(info);
    try {
      const output = () => (log.trim() ? `; its output:\n${log.trim()}` : "");
      await Promise.race([
        client.ready(options.startTimeoutMs ?? 30_000).catch((error: Error): never => {
          throw new Error(`${error.message}${output()}`);
        }),
        exited.then((code): never => {
          const message = `the kernel exited (${code}) before it answered:\n${log.trim()}`;
          throw code === BIND_FAILED ? new PortsTaken(message) : new Error(message);
        }),
      ]);
      return new KernelProcess(client, child, info, exited, () => log, dir);
    } catch (error) {
      // The client's sockets and its kernel_info retries would keep this process alive: close them.
      await client.close();
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
