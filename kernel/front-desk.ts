// The kernel's first milliseconds: answers kernel_info while the rest of the kernel loads, and keeps every
// other request, in arrival order, for the kernel proper.
//
// Why: Node needs ~70 ms to boot and the full kernel (compiler, runtime, introspection, TS loader hooks) another
// ~50 ms to load. A front end's first question is kernel_info; it can be answered from the wire code alone, so
// Jupyter sees a live kernel at about half the start-up time. A request that arrives early simply waits a few
// ms for the kernel to be ready.

import { childMessage, type Message } from "./wire/message.ts";
import type { KernelSockets, RequestChannel } from "./wire/sockets.ts";
import { kernelInfo } from "./info.ts";

export interface Receiver {
  receive(channel: RequestChannel, message: Message): void;
}

export class FrontDesk {
  readonly #sockets: KernelSockets;
  readonly #session: string;
  readonly #waiting: [RequestChannel, Message][] = [];
  #kernel: Receiver | undefined;
  #answered!: () => void;
  /**
   * Resolves once the first kernel_info has been answered, or after `patienceMs`: loading the kernel proper
   * blocks this thread for ~40 ms, so it waits until the front end's first question has its answer.
   */
  readonly firstAnswer: Promise<void>;

  constructor(sockets: KernelSockets, session: string, patienceMs = 50) {
    this.#sockets = sockets;
    this.#session = session;
    this.firstAnswer = new Promise((resolve) => {
      this.#answered = resolve;
      setTimeout(resolve, patienceMs).unref();
    });
  }

  readonly receive = (channel: RequestChannel, message: Message): void => {
    if (this.#kernel !== undefined) return this.#kernel.receive(channel, message);
    // Answer at once only when that keeps the channel's replies in request order.
    const alone = !this.#waiting.some(([waitingOn]) => waitingOn === channel);
    if (message.header.msg_type === "kernel_info_request" && channel !== "stdin" && alone) return this.#answer(channel, message);
    this.#waiting.push([channel, message]);
  };

  /** From now on every request goes to `kernel`, starting with those that waited. */
  handOver(kernel: Receiver): void {
    this.#kernel = kernel;
    for (const [channel, message] of this.#waiting.splice(0)) kernel.receive(channel, message);
  }

  #answer(channel: RequestChannel, request: Message): void {
    this.#status(request, "busy");
    this.#sockets.send(channel, childMessage(request, "kernel_info_reply", kernelInfo(), this.#session));
    this.#status(request, "idle");
    this.#answered();
  }

  #status(parent: Message, state: "busy" | "idle"): void {
    this.#sockets.send("iopub", childMessage(parent, "status", { execution_state: state }, this.#session));
  }
}
