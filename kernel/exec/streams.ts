// stdout/stderr as Jupyter `stream` messages: coalesced per (request, stream) so floods become few messages.
import type { Execution } from "./context.ts";

export type StreamName = "stdout" | "stderr";

/** Buffered text is sent after this long, or at once past FLUSH_BYTES, or before any other output of its request. */
export const FLUSH_MS = 40;
export const FLUSH_BYTES = 1 << 20;

interface Buffer {
  target: Execution;
  name: StreamName;
  parts: string[];
  bytes: number;
}

export class StreamCoalescer {
  readonly #buffers = new Map<string, Buffer>();
  readonly #send: (target: Execution, name: StreamName, text: string) => void;
  #timer: NodeJS.Timeout | undefined;

  constructor(send: (target: Execution, name: StreamName, text: string) => void) {
    this.#send = send;
  }

  write(target: Execution, name: StreamName, text: string): void {
    if (text.length === 0) return;
    const key = `${target.request.header.msg_id}\0${name}`;
    let buffer = this.#buffers.get(key);
    if (!buffer) {
      // The other stream of the same request goes first, so stdout/stderr interleave in the order written.
      this.flush(target, name === "stdout" ? "stderr" : "stdout");
      buffer = { target, name, parts: [], bytes: 0 };
      this.#buffers.set(key, buffer);
    }
    buffer.parts.push(text);
    buffer.bytes += text.length;
    if (buffer.bytes >= FLUSH_BYTES) this.#emit(key, buffer);
    else this.#timer ??= setTimeout(() => this.flushAll(), FLUSH_MS).unref();
  }

  /** Sends what is buffered for one request (both streams unless one is named). */
  flush(target: Execution, only?: StreamName): void {
    for (const name of only ? [only] : (["stdout", "stderr"] as const)) {
      const key = `${target.request.header.msg_id}\0${name}`;
      const buffer = this.#buffers.get(key);
      if (buffer) this.#emit(key, buffer);
    }
  }

  flushAll(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const [key, buffer] of [...this.#buffers]) this.#emit(key, buffer);
  }

  #emit(key: string, buffer: Buffer): void {
    this.#buffers.delete(key);
    this.#send(buffer.target, buffer.name, buffer.parts.join(""));
  }
}
