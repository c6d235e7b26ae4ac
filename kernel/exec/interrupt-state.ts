// The memory the interrupt relay (watchdog.ts) and the loop checks (loop-check.ts) share, slot by slot: a file
// of its own so the kernel can lay it out before it loads the relay (and child_process) after its first reply.

/** Layout of the shared state, as Int32 slots. */
export const INTERRUPT = 0; // the relay's last byte not yet taken (written by the thread pool only), else 0
export const COUNTDOWN = 1; // loop iterations left before the next look at the clock and the control socket (main thread only)
export const STATE_BYTES = 8;

/** The relay's bytes in the INTERRUPT slot: SIGINT and SIGTERM stop the cell; a tick only asks for a look around. */
export const TICK = "p".charCodeAt(0);
export const SIGINT_BYTE = "i".charCodeAt(0);
