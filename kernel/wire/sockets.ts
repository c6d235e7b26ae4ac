// The kernel's five sockets: bind them, decode what arrives, sign and send what leaves (hb on a native thread).
import { Publisher, Router } from "./zmq.ts";
import { endpoint, type Channel, type ConnectionInfo } from "./connection.ts";
import { decode, encode, type Decoded } from "./frame.ts";
import type { Message } from "./message.ts";
import { startHeartbeat, type Heartbeat } from "./heartbeat.ts";
import { Outbox } from "./outbox.ts";
import { Signer } from "./sign.ts";
import { settledNow } from "./settled-now.ts";

/** Larger messages are refused by ZeroMQ itself (the peer is disconnected), before any parsing. */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

export type RequestChannel = "shell" | "control" | "stdin";
export type Handler = (channel: RequestChannel, message: Message) => void;
type Frames = Buffer[];

/**
 * Sent on the control socket to complete its pending receive at once (see takeControlNow): a ROUTER drops a
 * one-frame message, which has no peer to go to, without a trace.
 */
const NUDGE = [Buffer.from("looplab-nudge")];

/** Why a port could not be bound: the CLI turns this into a one-line error and exit code BIND_FAILED (connection.ts). */
export class BindError extends Error {
  override name = "BindError";
}

export class KernelSockets {
  readonly signer: Signer;
  readonly #routers: Record<RequestChannel, Router>;
  readonly #iopub: Publisher;
  readonly #outboxes: Record<RequestChannel | "iopub", Outbox>;
  #heartbeat: Heartbeat | undefined;
  /** Messages dropped so far, per reason. */
  readonly #drops = new Map<string, number>();
  readonly #log: (line: string) => void;
  #closed = false;
  /** The control socket's receive() the reader awaits, until the reader resumes or takeControlNow takes it. */
  #controlReceive: Promise<Frames> | undefined;
  /** Control messages takeControlNow took (and decoded) while JavaScript was busy: the reader handles them first. */
  readonly #controlTaken: Decoded[] = [];

  private constructor(info: ConnectionInfo, log: (line: string) => void) {
    this.signer = new Signer(info.key);
    this.#log = log;
    const options = { linger: 0, maxMessageSize: MAX_MESSAGE_BYTES };
    this.#routers = { shell: new Router(options), control: new Router(options), stdin: new Router(options) };
    this.#iopub = new Publisher({ linger: 0, sendHighWaterMark: 100_000 });
    const onError = (error: unknown) => this.#log(`send failed: ${(error as Error).message}`);
    this.#outboxes = {
      shell: new Outbox(this.#routers.shell, onError),
      control: new Outbox(this.#routers.control, onError),
      stdin: new Outbox(this.#routers.stdin, onError),
      iopub: new Outbox(this.#iopub, onError),
    };
  }

  /** Binds every socket, the heartbeat included; a port that cannot be bound is a BindError. */
  static async bind(info: ConnectionInfo, log: (line: string) => void): Promise<KernelSockets> {
    const sockets = new KernelSockets(info, log);
    const binds: [Channel, { bind(address: string): Promise<void> }][] = [
      ["shell", sockets.#routers.shell],
      ["control", sockets.#routers.control],
      ["stdin", sockets.#routers.stdin],
      ["iopub", sockets.#iopub],
    ];
    try {
      const hb = endpoint(info, "hb");
      sockets.#heartbeat = await startHeartbeat(hb).catch((error: Error) => {
        throw new BindError(`cannot bind the hb socket to ${hb}: ${error.message}`);
      });
      for (const [channel, socket] of binds) {
        const address = endpoint(info, channel);
        try {
          await socket.bind(address);
        } catch (error) {
          throw new BindError(`cannot bind the ${channel} socket to ${address}: ${(error as Error).message}`);
        }
      }
    } catch (error) {
      await sockets.close();
      throw error;
    }
    return sockets;
  }

  /** Starts reading the request channels; every valid message goes to `handler`, in arrival order per channel. */
  listen(handler: Handler): void {
    for (const channel of ["shell", "control", "stdin"] as const) void this.#read(channel, handler);
  }

  async #read(channel: RequestChannel, handler: Handler): Promise<void> {
    const socket = this.#routers[channel];
    try {
      while (!this.#closed) {
        if (channel !== "control") {
          this.#handle(channel, decode(await socket.receive(), this.signer), handler);
          continue;
        }
        const receive = (this.#controlReceive = socket.receive());
        const frames = await receive;
        this.#controlReceive = undefined;
        // What takeControlNow took came first (this receive's message included), in the order it arrived.
        const batch = this.#controlTaken.length > 0 ? this.#controlTaken.splice(0) : [decode(frames, this.signer)];
        for (const each of batch) this.#handle(channel, each, handler);
      }
    } catch (error) {
      if (!this.#closed) this.#log(`${channel} socket stopped: ${(error as Error).message}`);
    }
  }

  #handle(channel: RequestChannel, decoded: Decoded, handler: Handler): void {
    if (!decoded.ok) return this.#drop(channel, decoded.reason);
    try {
      handler(channel, decoded.message);
    } catch (error) {
      this.#log(`handler for ${decoded.message.header.msg_type} on ${channel} threw: ${(error as Error).stack}`);
    }
  }

  /**
   * Control requests that are waiting, read now, synchronously: for a cell's loop that keeps the event loop
   * busy, so that an interrupt_request can stop it. They are handled as usual too, first, once the reader
   * resumes. Cheap when nothing waits (one getsockopt).
   */
  takeControlNow(): Message[] {
    const socket = this.#routers.control;
    if (this.#closed || !socket.readable) return [];
    const taken: Frames[] = [];
    try {
      const pending = this.#controlReceive;
      if (pending !== undefined) {
        // A receive() is pending (zeromq.js allows one at a time) and only the event loop would complete it. A
        // send on the same socket makes zeromq.js check readiness at once, which resolves it synchronously.
        void socket.send(NUDGE).catch(() => undefined);
        const first = settledNow(pending);
        if (first.state !== "fulfilled") return [];
        this.#controlReceive = undefined;
        taken.push(first.value);
      }
      // With a message waiting, receive() resolves synchronously too.
      while (taken.length < 64 && socket.readable) {
        const next = settledNow(socket.receive());
        if (next.state !== "fulfilled") break;
        taken.push(next.value);
      }
    } catch (error) {
      // EBUSY: a send of ours is in flight on control; the next check tries again.
      if (taken.length === 0) return [];
      this.#log(`reading control early stopped: ${(error as Error).message}`);
    }
    const decoded = taken.map((frames) => decode(frames, this.signer));
    this.#controlTaken.push(...decoded);
    return decoded.flatMap((d) => (d.ok ? [d.message] : []));
  }

  #drop(channel: RequestChannel, reason: string): void {
    const count = (this.#drops.get(reason) ?? 0) + 1;
    this.#drops.set(reason, count);
    // Log the first few of each reason, then every thousandth: a flood must not flood the log too.
    if (count <= 3 || count % 1000 === 0) this.#log(`dropped a message on ${channel}: ${reason} (${count} so far)`);
  }

  /** Signs and queues `message`; on iopub its identities become the ZeroMQ topic `kernel.<session>.<msg_type>`, as ipykernel's. */
  send(channel: RequestChannel | "iopub", message: Message): void {
    if (this.#closed) return;
    const { session, msg_type } = message.header;
    const routed = channel === "iopub" ? { ...message, identities: [Buffer.from(`kernel.${session}.${msg_type}`)] } : message;
    this.#outboxes[channel].push(encode(routed, this.signer));
  }

  /** For process exit, where nothing async runs any more: the heartbeat's native thread must stop. */
  closeNow(): void {
    this.#heartbeat?.close();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all(Object.values(this.#outboxes).map((o) => o.flushed()));
    for (const socket of [...Object.values(this.#routers), this.#iopub]) socket.close();
    this.#heartbeat?.close();
  }
}
