// A Jupyter client over ZeroMQ: `looplab run`, the tests and the benchmarks talk to the real kernel with it.
import { randomUUID } from "node:crypto";
import { Dealer, Request, Subscriber } from "../wire/zmq.ts";
import { endpoint, type ConnectionInfo } from "../wire/connection.ts";
import { decode, encode } from "../wire/frame.ts";
import { makeHeader, type Content, type Message } from "../wire/message.ts";
import { Outbox } from "../wire/outbox.ts";
import { Signer } from "../wire/sign.ts";

export type ClientChannel = "shell" | "control" | "stdin";

export interface Exchange {
  /** The reply on shell/control. */
  reply: Message;
  /** Every iopub message whose parent is this request, in arrival order, up to and including `status: idle`. */
  iopub: Message[];
}

export interface ExecuteOptions {
  silent?: boolean;
  storeHistory?: boolean;
  allowStdin?: boolean;
  stopOnError?: boolean;
  metadata?: Content;
  /** Answers input_request on the stdin channel; without it, allow_stdin is false. */
  onInput?: (prompt: string, password: boolean) => string | Promise<string>;
  /** Sees each iopub message of the request as it arrives (for live progress). */
  onIopub?: (message: Message) => void;
  /** Rejects if the request has not finished by then. */
  timeoutMs?: number;
}

interface Pending {
  reply?: Message;
  idle: boolean;
  iopub: Message[];
  onIopub?: (message: Message) => void;
  resolve: (exchange: Exchange) => void;
}

export class KernelClient {
  readonly session = randomUUID();
  readonly signer: Signer;
  readonly #info: ConnectionInfo;
  readonly #dealers: Record<ClientChannel, Dealer>;
  readonly #outboxes: Record<ClientChannel, Outbox>;
  readonly #iopub: Subscriber;
  readonly #pending = new Map<string, Pending>();
  readonly #listeners = new Set<(message: Message) => void>();
  readonly #replyOnly = new Map<string, (reply: Message) => void>();
  #inputHandler?: (prompt: string, password: boolean) => string | Promise<string>;
  #closed = false;

  private constructor(info: ConnectionInfo) {
    this.#info = info;
    this.signer = new Signer(info.key);
    // Jupyter clients give shell and stdin the same identity, so the kernel can address input_request.
    const routingId = this.session;
    // A short reconnect interval: a client started together with its kernel connects as soon as it binds.
    const options = { linger: 0, reconnectInterval: 10 };
    this.#dealers = {
      shell: new Dealer({ ...options, routingId }),
      control: new Dealer(options),
      stdin: new Dealer({ ...options, routingId }),
    };
    this.#iopub = new Subscriber({ linger: 0 });
    const onError = (error: unknown) => {
      if (!this.#closed) process.stderr.write(`looplab client: send failed: ${(error as Error).message}\n`);
    };
    this.#outboxes = {
      shell: new Outbox(this.#dealers.shell, onError),
      control: new Outbox(this.#dealers.control, onError),
      stdin: new Outbox(this.#dealers.stdin, onError),
    };
  }

  /** Connects all channels and waits until the kernel answers kernel_info and its iopub reaches us. */
  static async connect(info: ConnectionInfo, { timeoutMs = 10_000 } = {}): Promise<KernelClient> {
    const client = KernelClient.open(info);
    await client.ready(timeoutMs);
    return client;
  }

  /** Connects without waiting: requests sent now are delivered once the kernel binds (for start-up timing). */
  static open(info: ConnectionInfo): KernelClient {
    const client = new KernelClient(info);
    for (const channel of ["shell", "control", "stdin"] as const) client.#dealers[channel].connect(endpoint(info, channel));
    client.#iopub.connect(endpoint(info, "iopub"));
    client.#iopub.subscribe();
    for (const channel of ["shell", "control", "stdin"] as const) void client.#read(channel);
    void client.#readIopub();
    return client;
  }

  /** Sends a request and resolves with its reply alone (iopub not awaited). */
  replyTo(channel: "shell" | "control", msgType: string, content: Content): Promise<Message> {
    const message = this.message(msgType, content);
    return new Promise((resolve) => {
      this.#replyOnly.set(message.header.msg_id, resolve);
      this.sendMessage(channel, message);
    });
  }

  get info(): ConnectionInfo {
    return this.#info;
  }

  /** Resolves once a kernel_info request has round-tripped with its iopub status, so iopub is flowing. */
  async ready(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    // A SUB socket misses what is published before its subscription reaches the PUB: retry until iopub flows.
    while (Date.now() < deadline) {
      // Closed by a launcher whose kernel died meanwhile: stop asking, or the retries keep the process alive.
      if (this.#closed) throw new Error("the client was closed before the kernel answered");
      const attempt = this.request("shell", "kernel_info_request", {});
      const done = await Promise.race([attempt.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 250))]);
      if (done) return;
    }
    throw new Error(`the kernel did not answer kernel_info within ${timeoutMs} ms`);
  }

  /** Sends a request and resolves when its reply and its `status: idle` have both arrived. */
  request(channel: "shell" | "control", msgType: string, content: Content, metadata: Content = {}, onIopub?: (m: Message) => void): Promise<Exchange> {
    const message = this.message(msgType, content, metadata);
    return new Promise((resolve) => {
      this.#pending.set(message.header.msg_id, { idle: false, iopub: [], onIopub, resolve });
      this.sendMessage(channel, message);
    });
  }

  async execute(code: string, options: ExecuteOptions = {}): Promise<Exchange> {
    this.#inputHandler = options.onInput;
    const content = {
      code,
      silent: options.silent ?? false,
      store_history: options.storeHistory ?? true,
      user_expressions: {},
      allow_stdin: options.allowStdin ?? options.onInput !== undefined,
      stop_on_error: options.stopOnError ?? true,
    };
    const exchange = this.request("shell", "execute_request", content, options.metadata ?? {}, options.onIopub);
    if (options.timeoutMs === undefined) return exchange;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`execution did not finish within ${options.timeoutMs} ms`)), options.timeoutMs);
    });
    try {
      return await Promise.race([exchange, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  message(msgType: string, content: Content, metadata: Content = {}): Message {
    return { identities: [], header: makeHeader(msgType, this.session, "looplab-client"), parent_header: {}, metadata, content, buffers: [] };
  }

  sendMessage(channel: ClientChannel, message: Message): void {
    this.#outboxes[channel].push(encode(message, this.signer));
  }

  /** Raw frames, for tests that send what a well-behaved client never would. */
  sendFrames(channel: ClientChannel, frames: Buffer[]): void {
    this.#outboxes[channel].push(frames);
  }

  /** Listens to every iopub message (returns an unsubscribe function). */
  onIopub(listener: (message: Message) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** One heartbeat round trip in ms, or rejects after timeoutMs. */
  async heartbeat(timeoutMs = 1000): Promise<number> {
    const socket = new Request({ linger: 0, receiveTimeout: timeoutMs, sendTimeout: timeoutMs });
    try {
      socket.connect(endpoint(this.#info, "hb"));
      const started = performance.now();
      await socket.send("ping");
      await socket.receive();
      return performance.now() - started;
    } finally {
      socket.close();
    }
  }

  async #read(channel: ClientChannel): Promise<void> {
    try {
      for await (const frames of this.#dealers[channel]) {
        const decoded = decode(frames, this.signer);
        if (!decoded.ok) continue;
        const message = decoded.message;
        if (channel === "stdin") {
          if (message.header.msg_type === "input_request") void this.#answerInput(message);
          continue;
        }
        const parentId = (message.parent_header as { msg_id?: string }).msg_id ?? "";
        const waiter = this.#replyOnly.get(parentId);
        if (waiter) {
          this.#replyOnly.delete(parentId);
          waiter(message);
          continue;
        }
        const pending = this.#pending.get(parentId);
        if (!pending) continue;
        pending.reply = message;
        this.#settle(parentId, pending);
      }
    } catch {
      // closed
    }
  }

  async #answerInput(request: Message): Promise<void> {
    const prompt = String(request.content.prompt ?? "");
    const password = Boolean(request.content.password);
    const value = this.#inputHandler ? await this.#inputHandler(prompt, password) : "";
    const reply = this.message("input_reply", { value });
    reply.parent_header = request.header;
    this.sendMessage("stdin", reply);
  }

  async #readIopub(): Promise<void> {
    try {
      for await (const frames of this.#iopub) {
        // PUB frames start with a topic, then the delimiter: decode() skips to the delimiter.
        const decoded = decode(frames, this.signer);
        if (!decoded.ok) continue;
        const message = decoded.message;
        for (const listener of this.#listeners) listener(message);
        const parentId = (message.parent_header as { msg_id?: string }).msg_id ?? "";
        const pending = this.#pending.get(parentId);
        if (!pending) continue;
        pending.iopub.push(message);
        pending.onIopub?.(message);
        if (message.header.msg_type === "status" && message.content.execution_state === "idle") {
          pending.idle = true;
          this.#settle(parentId, pending);
        }
      }
    } catch {
      // closed
    }
  }

  #settle(id: string, pending: Pending): void {
    if (!pending.reply || !pending.idle) return;
    this.#pending.delete(id);
    pending.resolve({ reply: pending.reply, iopub: pending.iopub });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all(Object.values(this.#outboxes).map((o) => o.flushed()));
    for (const socket of [...Object.values(this.#dealers), this.#iopub]) socket.close();
  }
}
