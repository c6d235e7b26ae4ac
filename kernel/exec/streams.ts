// stdout/stderr as Jupyter `stream` messages: coalesced per request so floods become few messages.
//
// Each request buffers an ordered list of segments, one per run of writes to the same stream, so ordinary
// output keeps its exact stdout/stderr interleaving. A cell that alternates the two streams in a tight loop would
// turn every write into a segment, hence a message (60k console.log/console.error pairs: 120k messages, past
// the iopub socket's high-water mark, where ZeroMQ drops silently). So a flush window holds at most
// MAX_SEGMENTS segments; past that, text joins the newest segment of its own stream. Order across the two
// streams then becomes approximate (what ipykernel's iostream.py gives at its 0.2 s flush granularity), but
// every line arrives, and each stream's lines stay in the order written.
import type { Execution } from "./context.ts";

export type StreamName = "stdout" | "stderr";

/** Buffered text is sent after this long, or at once past FLUSH_BYTES, or before any other output of its request. */
export const FLUSH_MS = 40;
export const FLUSH_BYTES = 1 << 20;
/** Stream switches kept in order per request and flush window; beyond, the window's messages stop growing. */
export const MAX_SEGMENTS = 32;

interface Segment {
  name: StreamName;
  parts: string[];
}

/** What one request has buffered since its last flush. */
interface Pending {
  target: Execution;
  segments: Segment[];
  bytes: number;
}

export class StreamCoalescer {
  /** By request msg_id, in the order requests first wrote (the order flushAll sends them). */
  readonly #pending = new Map<string, Pending>();
  readonly #send: (target: Execution, name: StreamName, text: string) => void;
  #timer: NodeJS.Timeout | undefined;

  constructor(send: (target: Execution, name: StreamName, text: string) => void) {
    this.#send = send;
  }

  write(target: Execution, name: StreamName, text: string): void {
    if (text.length === 0) return;
    const id = target.request.header.msg_id;
    let pending = this.#pending.get(id);
    if (!pending) {
      pending = { target, segments: [], bytes: 0 };
      this.#pending.set(id, pending);
    }
    this.#segmentFor(pending.segments, name).parts.push(text);
    pending.bytes += text.length;
    if (pending.bytes >= FLUSH_BYTES) this.#emit(id, pending);
    else this.#timer ??= setTimeout(() => this.flushAll(), FLUSH_MS).unref();
  }

  /** Sends what one request has buffered, both streams in order: called before any other output of it. */
  flush(target: Execution): void {
    const id = target.request.header.msg_id;
    const pending = this.#pending.get(id);
    if (pending) this.#emit(id, pending);
  }

  flushAll(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const [id, pending] of [...this.#pending]) this.#emit(id, pending);
  }

  /** The segment `name`'s text joins: the newest if it is the same stream, else a new one while under the cap. */
  #segmentFor(segments: Segment[], name: StreamName): Segment {
    const last = segments.at(-1);
    if (last?.name === name) return last;
    if (segments.length >= MAX_SEGMENTS) {
      // The newest segment of this stream follows all of the stream's earlier text, so its own order holds.
      const own = segments.findLast((segment) => segment.name === name);
      if (own) return own;
    }
    const segment: Segment = { name, parts: [] };
    segments.push(segment);
    return segment;
  }

  #emit(id: string, pending: Pending): void {
    // Off the map before sending, so whatever the send does, this text cannot be sent twice.
    this.#pending.delete(id);
    for (const segment of pending.segments) this.#send(pending.target, segment.name, segment.parts.join(""));
  }
}
