// Lets an interrupt reach a synchronous loop that runs after a cell's first await, where vm's breakOnSigint cannot.
//
// Runs in the guard thread. Jupyter interrupts a kernel by sending SIGINT to its process group. A Node main
// thread runs its signal handlers only when its event loop is free, so a cell stuck in `while (true)` after
// an `await` never sees them. A tiny shell in our process group relays the signal to this thread through a
// pipe, and we raise a flag in memory shared with the main thread. The compiler puts a check of that flag at
// the top of every loop body in cell code (compile's `loopCheck`), which throws InterruptError there.
//
// (Stopping the engine with the inspector's Runtime.terminateExecution was tried first: with
// AsyncLocalStorage active it leaves Node's async-id stack unbalanced and Node aborts the process.)
import { spawn, type ChildProcess } from "node:child_process";

/** Layout of the memory shared with the main thread, as Int32 slots. */
export const RUNNING = 0; // the running cell's sequence number, 0 when idle
export const HANDLED = 1; // bumped whenever the main thread handles an interrupt
export const INTERRUPT = 2; // 1 while an interrupt is pending for the running cell
export const STATE_BYTES = 12;

export interface Watchdog {
  close(): void;
}

export function startWatchdog(state: Int32Array, log: (line: string) => void): Watchdog {
  // `wait` returns at each trapped signal; the loop ends within 10 s of the kernel's death (kill -0 $PPID).
  const script = 'trap "echo i" INT; while kill -0 $PPID 2>/dev/null; do sleep 10 & wait $!; done';
  const relay: ChildProcess = spawn("/bin/sh", ["-c", script], { stdio: ["ignore", "pipe", "ignore"] });
  relay.on("error", (error) => log(`interrupt relay unavailable: ${error.message}`));
  relay.stdout?.on("data", () => {
    if (Atomics.load(state, RUNNING) !== 0) Atomics.store(state, INTERRUPT, 1);
  });
  return {
    close() {
      relay.kill("SIGKILL");
    },
  };
}
