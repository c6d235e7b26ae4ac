// sleepSync: block the calling thread for a while, to show what blocking the event loop does.
//
// Semantics: `sleepSync(ms)` returns after ms nominal milliseconds (scaled by the runtime clock's time scale, like
// every runtime time) and nothing else runs on this thread meanwhile: no timers, no I/O callbacks, no other tasks.
// It waits with Atomics.wait on a private SharedArrayBuffer (no CPU spin); in a kernel the heartbeat still answers
// from its own thread. The opposite of `await sleep(ms)`, which lets everything else run.

import { now, realDelay } from "./clock.ts";
import { noteBlocking } from "./timeline/stall.ts";

// Nobody ever notifies this cell, so every wait runs to its timeout.
const cell = new Int32Array(new SharedArrayBuffer(4));

/** Blocks this thread for ms nominal milliseconds. */
export function sleepSync(ms: number): void {
  if (!(ms > 0)) return;
  const start = now();
  Atomics.wait(cell, 0, 0, realDelay(ms));
  // Atomics.wait spends no CPU, so a recording timeline could not tell this freeze from a busy machine: say so.
  noteBlocking(start, now());
}
