// Starts the real kernel process (as Jupyter does) and talks ZeroMQ to it: the base of every integration test.
import { kernelCommand, kernelEnv } from "../../kernel/paths.ts";
import { freePort } from "../../kernel/run/kernel-process.ts";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { KernelClient, type ExecuteOptions, type Exchange } from "../../kernel/client.ts";
import type { ConnectionInfo } from "../../kernel/wire/connection.ts";
import type { Message } from "../../kernel/wire/message.ts";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
export const launcher = join(repoRoot, "kernel/bin/looplab.js");

export interface Execution extends Exchange {
  /** execute_reply content. */
  content: Record<string, unknown>;
  stdout: string;
  stderr: string;
  /** execute_result data, if any. */
  result: Record<string, unknown> | undefined;
  /** display_data and update_display_data messages. */
  displays: Message[];
  /** error content, if any. */
  error: { ename: string; evalue: string; traceback: string[] } | undefined;
}

export interface TestKernel {
  client: KernelClient;
  process: ChildProcess;
  info: ConnectionInfo;
  /** Everything the kernel process wrote to its own stderr (its log). */
  log(): string;
  execute(code: string, options?: ExecuteOptions): Promise<Execution>;
  /** SIGINT to the kernel's process group, as jupyter_client interrupts a kernel. */
  interrupt(): void;
  /**
   * Runs `code`, interrupts it `after` ms later by SIGINT (`by: "signal"`) or interrupt_request on control
   * (`"message"`), and returns the run, ms from the interrupt to the execute_reply, and the interrupt_reply.
   */
  interruptAfter(code: string, options?: { after?: number; by?: "signal" | "message" }): Promise<{ run: Execution; took: number; reply?: Message }>;
  /** Resolves with the exit code (or signal) once the process ended. */
  exited: Promise<number | string | null>;
  close(): Promise<void>;
}

export { freePort };

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The text/plain of a cell's result. */
export const resultText = (run: { result?: Record<string, unknown> }) => run.result?.["text/plain"];

export async function connectionInfo(key = randomBytes(16).toString("hex")): Promise<ConnectionInfo> {
  const ports: number[] = [];
  while (ports.length < 5) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
  const [shell_port, iopub_port, stdin_port, control_port, hb_port] = ports;
  return { transport: "tcp", ip: "127.0.0.1", key, signature_scheme: "hmac-sha256", shell_port, iopub_port, stdin_port, control_port, hb_port };
}

export function summarize(exchange: Exchange): Execution {
  const text = (name: string) =>
    exchange.iopub
      .filter((m) => m.header.msg_type === "stream" && m.content.name === name)
      .map((m) => String(m.content.text))
      .join("");
  const result = exchange.iopub.find((m) => m.header.msg_type === "execute_result");
  const error = exchange.iopub.find((m) => m.header.msg_type === "error");
  return {
    ...exchange,
    content: exchange.reply.content,
    stdout: text("stdout"),
    stderr: text("stderr"),
    result: result?.content.data as Record<string, unknown> | undefined,
    displays: exchange.iopub.filter((m) => m.header.msg_type === "display_data" || m.header.msg_type === "update_display_data"),
    error: error?.content as Execution["error"],
  };
}

export interface StartOptions {
  cwd?: string;
  /** A kernelspec's argv, with "{connection_file}", and its env; default: this checkout's kernelCommand(). */
  argv?: string[];
  specEnv?: Record<string, string>;
  env?: Record<string, string>;
  key?: string;
}

export async function startKernel(options: StartOptions = {}): Promise<TestKernel> {
  const info = await connectionInfo(options.key);
  const dir = mkdtempSync(join(tmpdir(), "looplab-test-"));
  const file = join(dir, "connection.json");
  writeFileSync(file, JSON.stringify(info));
  // detached: a process group of its own, like jupyter_client's start_new_session.
  // The command the kernelspec gives Jupyter, flags included.
  const [node, ...args] = options.argv?.map((arg) => (arg === "{connection_file}" ? file : arg)) ?? kernelCommand(file);
  const child = spawn(node!, args, {
    cwd: options.cwd ?? dir,
    env: { ...process.env, ...(options.specEnv ?? kernelEnv()), ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  child.stderr!.on("data", (chunk) => (log += chunk));
  child.stdout!.on("data", (chunk) => (log += chunk));
  const exited = new Promise<number | string | null>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal)));
  let client: KernelClient;
  try {
    client = await Promise.race([
      KernelClient.connect(info, { timeoutMs: 20_000 }),
      exited.then((code) => {
        throw new Error(`the kernel exited (${code}) before answering:\n${log}`);
      }),
    ]);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  const execute = async (code: string, opts?: ExecuteOptions) => summarize(await client.execute(code, { timeoutMs: 60_000, ...opts }));
  const interrupt = () => {
    try {
      process.kill(-child.pid!, "SIGINT");
    } catch {
      child.kill("SIGINT");
    }
  };
  return {
    client,
    process: child,
    info,
    log: () => log,
    execute,
    interrupt,
    interruptAfter: async (code, { after = 300, by = "signal" } = {}) => {
      const running = execute(code);
      await delay(after);
      const sent = performance.now();
      const replied = by === "message" ? client.request("control", "interrupt_request", {}) : undefined;
      if (by === "signal") interrupt();
      const run = await running;
      const took = performance.now() - sent;
      return { run, took, reply: (await replied)?.reply };
    },
    exited,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        await Promise.race([
          client.request("control", "shutdown_request", { restart: false }).catch(() => undefined),
          new Promise((r) => setTimeout(r, 2000)),
        ]);
        await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
