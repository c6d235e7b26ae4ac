// Starts the real kernel process (as Jupyter does) and talks ZeroMQ to it: the base of every integration test.
import { connectionInfo, freePort, KernelProcess, type KernelOptions } from "../../kernel/course/run/kernel-process.ts";
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";
import { KernelClient, type ExecuteOptions, type Exchange } from "../../kernel/course/client.ts";
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

export { connectionInfo, freePort };

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The text/plain of a cell's result. */
export const resultText = (run: { result?: Record<string, unknown> }) => run.result?.["text/plain"];

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

/** cwd, env, the kernelspec's argv and env, the key: as `looplab run` starts kernels (kernel/course/run/kernel-process.ts). */
export type StartOptions = Omit<KernelOptions, "startTimeoutMs">;

export async function startKernel(options: StartOptions = {}): Promise<TestKernel> {
  // The same launcher `looplab run` uses: a process group of its own, like jupyter_client's start_new_session,
  // and fresh ports when another process takes one first.
  const kernel = await KernelProcess.start({ ...options, startTimeoutMs: 20_000 });
  const { client, child, info, exited, log } = kernel;
  const cellStderr: string[] = [];
  const execute = async (code: string, opts?: ExecuteOptions) => {
    const run = summarize(await client.execute(code, { timeoutMs: 60_000, ...opts }));
    cellStderr.push(run.stderr);
    return run;
  };
  const interrupt = () => kernel.interrupt();
  return {
    client,
    process: child,
    info,
    log,
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
      await kernel.stop();
      assertNoDeprecationWarning(log(), cellStderr.join(""));
    },
  };
}

/**
 * Every kernel the suites start ends with this check (issue 14): no Node deprecation warning (DEP0205 for
 * module.register() on Node 26, say) reached a cell's stderr or the kernel's log, on whichever Node runs the tests.
 */
export function assertNoDeprecationWarning(kernelLog: string, cellStderr: string): void {
  for (const [where, text] of [["the kernel log", kernelLog], ["a cell's stderr", cellStderr]] as const) {
    const line = text.split("\n").find((l) => /DeprecationWarning|\[DEP\d{4}\]/.test(l));
    if (line !== undefined) throw new Error(`Node ${process.version} printed a deprecation warning into ${where}: ${line}`);
  }
}

/**
 * One kernel for every test of a file: started before the first test, closed after the last. The object is
 * filled in once the kernel is up, so tests use it like any TestKernel (`kernel.execute(...)`).
 */
export function kernelPerFile(options: StartOptions = {}): TestKernel {
  const kernel = {} as TestKernel;
  let started: TestKernel | undefined;
  beforeAll(async () => {
    started = await startKernel(options);
    Object.assign(kernel, started);
  });
  afterAll(async () => {
    await started?.close();
  });
  return kernel;
}
