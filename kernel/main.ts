// `looplab kernel CONNECTION_FILE`: the kernel process. Binds the sockets, guards the process, runs the dispatcher.
import { Console } from "node:console";
import { writeSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { BIND_FAILED, ConnectionFileError, readConnectionFile } from "./wire/connection.ts";
import { BindError, KernelSockets } from "./wire/sockets.ts";
import type { Kernel } from "./kernel.ts";
import { FrontDesk } from "./front-desk.ts";
import { STATE_BYTES } from "./exec/interrupt-state.ts";
// The relay loads after the first reply: child_process (with net and dgram) is ~3 ms of Node 20's start-up.
import type { InterruptRelay } from "./exec/watchdog.ts";
import { runtimeUrl } from "./paths.ts";

/** Kernel diagnostics go to the real stderr (the Jupyter server's log), never into a cell. */
const log = (line: string) => {
  try {
    writeSync(2, `[looplab ${new Date().toISOString().slice(11, 23)}] ${line}\n`);
  } catch {
    // stderr closed: nothing left to tell
  }
};

export class ProcessExitError extends Error {
  override name = "ProcessExitError";
  constructor(code: unknown) {
    super(
      `process.exit(${code ?? ""}) was called in a cell. The kernel keeps running and your variables are intact; ` +
        "to restart it, use Kernel › Restart Kernel (JupyterLab) or press 0 0 in command mode.",
    );
  }
}

export async function main(argv: string[]): Promise<number> {
  const file = argv[0];
  if (!file || argv.length > 1) {
    process.stderr.write("usage: looplab kernel CONNECTION_FILE\n");
    return 2;
  }
  let info;
  try {
    info = readConnectionFile(file);
  } catch (error) {
    if (error instanceof ConnectionFileError) {
      process.stderr.write(`looplab: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const watchdogState = new SharedArrayBuffer(STATE_BYTES);
  let sockets: KernelSockets;
  try {
    sockets = await KernelSockets.bind(info, log);
  } catch (error) {
    if (error instanceof BindError) {
      process.stderr.write(`looplab: ${error.message}\n`);
      return BIND_FAILED;
    }
    throw error;
  }

  // Requests are taken from now on; the front desk answers kernel_info while the kernel proper loads.
  const session = randomUUID();
  const desk = new FrontDesk(sockets, session);
  sockets.listen(desk.receive);

  const realExit = process.exit.bind(process);
  let kernel: Kernel | undefined;
  let relay: InterruptRelay | undefined;
  // Native threads (the heartbeat's proxy, the relay's pending read) would keep the process from exiting.
  process.on("exit", () => {
    sockets.closeNow();
    relay?.close();
  });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    // Whatever happens below, be gone within a second.
    setTimeout(() => realExit(code), 900).unref();
    try {
      await kernel?.close();
      await Promise.allSettled([closeRuntime(), sockets.close()]);
      relay?.close();
      killOwnProcessGroupChildren();
    } finally {
      realExit(code);
    }
  };
  process.on("SIGINT", () => kernel?.sigint("handler"));
  process.on("SIGTERM", () => void stop(0));
  log(`ready on ${info.transport}://${info.ip} (shell ${info.shell_port}), pid ${process.pid}`);

  await desk.firstAnswer;
  const [{ Kernel }, { installImporter }, { startInterruptRelay }] = await Promise.all([import("./kernel.ts"), import("./exec/imports.ts"), import("./exec/watchdog.ts")]);
  relay = await startInterruptRelay(new Int32Array(watchdogState), log, () => kernel?.sigint("byte"));
  kernel = new Kernel(sockets, log, () => void stop(0), watchdogState, session, relay);
  installImporter(runtimeUrl);
  routeConsole(kernel);
  process.exit = ((code?: number) => {
    throw new ProcessExitError(code);
  }) as typeof process.exit;
  const running = kernel;
  process.on("uncaughtException", (error) => {
    if (error instanceof ProcessExitError) return running.reportBackgroundError("process.exit() in a callback", error);
    running.reportBackgroundError("Uncaught exception in a callback", error);
  });
  process.on("unhandledRejection", (reason) => running.reportBackgroundError("Unhandled promise rejection", reason));
  kernel.start();
  desk.handOver(kernel);
  // The kernel runs until shutdown; `stop` ends the process.
  return new Promise<number>(() => undefined);
}

/** stdout/stderr writes of cells (console.log included) become stream messages of their cell. */
function routeConsole(kernel: Kernel): void {
  for (const name of ["stdout", "stderr"] as const) {
    const stream = process[name];
    stream.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
      kernel.stream(name, text);
      const done = typeof encoding === "function" ? encoding : callback;
      if (typeof done === "function") queueMicrotask(() => (done as () => void)());
      return true;
    }) as typeof stream.write;
  }
  // Node's own console checks the terminal's colour support and adds and removes an 'error' listener on every
  // call; writing to a cell needs neither, and a 100k-line loop runs about twice as fast without them.
  const console = new Console({ stdout: process.stdout, stderr: process.stderr, ignoreErrors: false, colorMode: false });
  Object.defineProperty(globalThis, "console", { value: console, writable: true, configurable: true, enumerable: false });
}

/** Worker threads and servers the runtime started (toThread pool, demo servers). */
async function closeRuntime(): Promise<void> {
  const runtime: Record<string, unknown> = await import("looplab");
  const closers = ["closeThreads", "closeDemoServers"] as const;
  await Promise.allSettled(
    closers.map((name) => {
      const fn = runtime[name];
      return typeof fn === "function" ? (fn as () => unknown)() : undefined;
    }),
  );
}

/** Child processes cells started share our process group (Jupyter makes the kernel a group leader). */
function killOwnProcessGroupChildren(): void {
  try {
    process.kill(-process.pid, "SIGTERM");
  } catch {
    // not a group leader: there is no group of ours to signal
  }
}
