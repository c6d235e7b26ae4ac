// Lets an interrupt reach a synchronous loop while the event loop is busy, where no signal handler can run.
//
// Jupyter interrupts a kernel by sending SIGINT to its process group. A Node main thread runs its signal
// handlers only when its event loop is free, so a cell stuck in `while (true)` never sees them.
// A tiny shell in our process group traps the signal and writes one byte into a FIFO. A read of that FIFO is
// always pending on a libuv thread-pool thread, and its buffer is a slot of memory the cell code can see: the
// kernel's read() lands the byte there while the main thread is still busy. The compiler puts a check of that
// slot at the top of every loop and function body in cell code (compile's `loopCheck`), which throws
// InterruptError there. Each signal thus arrives twice, handler and byte: exec/sigint.ts makes it act once.
// No worker isolate is needed (one would cost ~9 MB of the kernel's memory).
//
// The same shell is the clock for interrupt_request on control: while a cell loops for long, it writes a TICK
// byte every 100 ms, and the loop check that sees it reads the control socket synchronously (Runner's
// #loopPoll, KernelSockets.takeControlNow). Without ticks a loop would only look there when its countdown runs
// out, which a loop whose iterations call slow, unchecked code (a package, sleepSync) may take very long to do.
//
// (Stopping the engine with the inspector's Runtime.terminateExecution was tried first: with
// AsyncLocalStorage active it leaves Node's async-id stack unbalanced and Node aborts the process.)
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { mkdtempSync, open, read, rmSync, writeSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { INTERRUPT, SIGINT_BYTE, TICK } from "./interrupt-state.ts";

export interface InterruptRelay {
  /** Synchronous, for process exit: frees the pending read (libuv joins its threads at exit) and cleans up. */
  close(): void;
  /** Starts or stops the ticks (a byte TICK every 100 ms). */
  ticking(on: boolean): void;
  /**
   * Reads the next byte into the slot now: for a loop check that took a tick while JavaScript is busy, where the
   * completed read's own callback cannot run to do it.
   */
  rearm(): void;
}

/**
 * Starts the relay; resolves undefined (after logging why) where it cannot run, e.g. without mkfifo.
 * `onSigint` runs for a SIGINT byte that arrives while the event loop is free (a busy loop's check takes it
 * otherwise).
 */
export async function startInterruptRelay(state: Int32Array, log: (line: string) => void, onSigint: () => void = () => undefined): Promise<InterruptRelay | undefined> {
  const dir = mkdtempSync(join(tmpdir(), "looplab-interrupt-"));
  const fifo = join(dir, "sigint");
  let fd: number | undefined;
  let relay: ChildProcess | undefined;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    relay?.kill("SIGKILL");
    if (fd !== undefined) {
      // The pending read holds a thread-pool thread until a byte arrives: give it one, then close.
      try {
        writeSync(fd, "x");
        closeSync(fd);
      } catch {
        // already closed
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await promisify(execFile)("mkfifo", ["-m", "600", fifo]);
    // O_RDWR: opening never waits for a writer, and the read never sees end-of-file when the shell goes away.
    fd = await promisify(open)(fifo, "r+");
  } catch (error) {
    close();
    log(`interrupt relay unavailable (${(error as Error).message}): loops after an await cannot be interrupted`);
    return undefined;
  }
  // `wait` returns at each trapped signal; the loop ends within 10 s of the kernel's death (kill -0 $PPID).
  // TERM too: jupyter_client ends a kernel with SIGTERM to its group; a cell stuck in a loop must let go so the
  // kernel's own SIGTERM handler can run and exit within a second. USR1/USR2 turn the ticks on and off (a
  // fork of sleep every 100 ms, only while a cell loops for long).
  const script = [
    'exec 3>"$1"; t=0; s=""',
    'trap "printf i >&3" INT; trap "printf t >&3" TERM',
    'trap \'t=1; [ -n "$s" ] && kill $s 2>/dev/null\' USR1; trap "t=0" USR2',
    "while kill -0 $PPID 2>/dev/null; do",
    '  if [ $t = 1 ]; then sleep 0.1 & s=$!; wait $s; [ $t = 1 ] && printf p >&3; else sleep 10 & s=$!; wait $s; fi',
    "done",
  ].join("\n");
  relay = spawn("/bin/sh", ["-c", script, "looplab-interrupt-relay", fifo], { stdio: "ignore" });
  relay.on("error", (error) => log(`interrupt relay unavailable: ${error.message}`));
  relay.unref();
  const slot = new Uint8Array(state.buffer, INTERRUPT * 4, 1);
  const readFd = fd;
  // Only the newest read re-arms from its callback: rearm() may have started a newer one meanwhile.
  let generation = 0;
  const arm = (): void => {
    const mine = ++generation;
    read(readFd, slot, 0, 1, null, (error) => {
      if (error || closed || mine !== generation) return;
      // A tick that no loop took needs nothing; SIGINT's byte is taken here, as the loop checks would take it.
      // Both before the next read, which may land its byte at once.
      Atomics.compareExchange(state, INTERRUPT, TICK, 0);
      const sigint = Atomics.compareExchange(state, INTERRUPT, SIGINT_BYTE, 0) === SIGINT_BYTE;
      arm();
      if (sigint) onSigint();
    });
  };
  arm();
  const shell = relay;
  return {
    close,
    rearm: arm,
    ticking(on) {
      try {
        if (shell.pid !== undefined && !closed) process.kill(shell.pid, on ? "SIGUSR1" : "SIGUSR2");
      } catch {
        // the shell is gone: no ticks, control is still read at each loop's countdown
      }
    },
  };
}
