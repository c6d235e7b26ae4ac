// One queue of outgoing frames per ZeroMQ socket: zeromq.js allows a single pending send at a time.
// The runtime's ring buffer, bundled from source: a plain data structure, not the `looplab` instance cells share.
import { Deque } from "../../runtime/deque.ts";
import type { Socket } from "./zmq.ts";

type Sendable = Pick<Socket, "closed"> & { send(frames: Buffer[]): Promise<void> };

export class Outbox {
  readonly #socket: Sendable;
  // A ring buffer, not an Array: Array#shift is O(n) on a large array, and a flood can queue 100k+ messages
  // here (draining 100k took 17 s with shift).
  readonly #pending = new Deque<Buffer[]>();
  #draining = false;
  readonly #onError: (error: unknown) => void;

  constructor(socket: Sendable, onError: (error: unknown) => void) {
    this.#socket = socket;
    this.#onError = onError;
  }

  push(frames: Buffer[]): void {
    this.#pending.push(frames);
    if (!this.#draining) void this.#drain();
  }

  /** Resolves once everything pushed so far has been handed to ZeroMQ. */
  async flushed(): Promise<void> {
    while (this.#draining || this.#pending.length > 0) await new Promise((r) => setImmediate(r));
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#pending.length > 0) {
        const frames = this.#pending.shift()!;
        if (this.#socket.closed) continue;
        try {
          await this.#socket.send(frames);
        } catch (error) {
          this.#onError(error);
        }
      }
    } finally {
      this.#draining = false;
    }
  }
}
