// Breaks a synchronous loop that runs after a cell's first await, where vm's breakOnSigint cannot reach.
//
// Runs in the guard thread. Jupyter interrupts a kernel by sending SIGINT to its process group. Signal
// handlers of a Node main thread only run when its event loop is free, so a cell stuck in `while (true)`
// after an `await` never sees them. A tiny shell in our process group relays the signal to this thread
// through a pipe; if the main thread has not acknowledged the interrupt shortly after, we terminate the
// running JavaScript through the inspector. V8 cancels the termination once the stack unwinds, so the
// kernel's event loop (and every variable the user declared) carries on.
import { spawn, type ChildProcess } from "node:child_process";
import { Session } from "node:inspector";

/** Shared with the main thread: [0] = the running cell's sequence number (0 when idle), [1] = bumped whenever the main thread handles an interrupt. */
export const RUNNING = 0;
export const HANDLED = 1;
export const GRACE_MS = 300;

export interface Watchdog {
  close(): void;
}

export function startWatchdog(state: Int32Array, log: (line: string) => void): Watchdog {
  let session: Session | undefined;
  const relay: ChildProcess = spawn("/bin/sh", ["-c", 'trap "echo i" INT; while :; do read -r _ || { [ $? -gt 128 ] || exit 0; }; done'], {
    stdio: ["pipe", "pipe", "ignore"],
  });
  relay.on("error", (error) => log(`interrupt relay unavailable: ${error.message}`));
  relay.stdout?.on("data", () => {
    const running = Atomics.load(state, RUNNING);
    if (running === 0) return;
    const handled = Atomics.load(state, HANDLED);
    setTimeout(() => {
      // Only the same cell, still running, still unacknowledged: never stop a cell that started since.
      if (Atomics.load(state, RUNNING) !== running || Atomics.load(state, HANDLED) !== handled) return;
      if (!session) {
        session = new Session();
        session.connectToMainThread();
      }
      session.post("Runtime.terminateExecution", (error) => {
        if (error) log(`could not stop the running code: ${error.message}`);
      });
    }, GRACE_MS);
  });
  return {
    close() {
      relay.stdin?.end();
      relay.kill("SIGKILL");
      session?.disconnect();
    },
  };
}
