// One SIGINT, one interrupt: a signal reaches the kernel two ways, and only the first may act.
//
// Jupyter's interrupt is SIGINT to the kernel's process group. It arrives as the process's SIGINT handler, once
// the event loop is free, and as the relay shell's byte (watchdog.ts), a few ms later, taken by a loop check or
// by the relay's read. Either may come first (a busy loop takes the byte; a pending await gets the handler), and
// the later one must not stop the next cell. Both see every signal, so each counts what it has seen: a count
// above the number acted on is a new signal.
//
// (vm's breakOnSigint was a third way and is not used: when a loop check stopped the cell first, its pending
// termination fired in whatever JavaScript ran next, the next cell included.)
export class SigintLedger {
  #acted = 0;
  readonly #seen = { handler: 0, byte: 0 };
  /** Without the relay, the handler is the only way: it always acts. */
  readonly #relay: boolean;

  constructor(relay: boolean) {
    this.#relay = relay;
  }

  /** A signal came by `way`: true when it is one not acted on yet (the caller then interrupts). */
  seen(way: "handler" | "byte"): boolean {
    this.#seen[way]++;
    if (!this.#relay) return true;
    if (Math.max(this.#seen.handler, this.#seen.byte) <= this.#acted) return false;
    this.#acted++;
    return true;
  }
}
