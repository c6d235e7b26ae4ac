// `await input(prompt)` and `input.password(prompt)`: ask the front end over the stdin channel.
import type { Content, Message } from "../wire/message.ts";
import { currentExecution } from "./context.ts";

export class StdinNotAllowedError extends Error {
  override name = "StdinNotAllowedError";
  constructor() {
    super("this front end does not accept input (allow_stdin is false): input() works in JupyterLab, Notebook and jupyter console, not in nbconvert");
  }
}

interface Waiting {
  resolve: (value: string) => void;
  reject: (error: Error) => void;
}

export class InputBroker {
  readonly #send: (request: Message, content: Content) => void;
  readonly #allowed = new WeakMap<Message, boolean>();
  #waiting: Waiting | undefined;

  constructor(send: (request: Message, content: Content) => void) {
    this.#send = send;
  }

  allow(request: Message, allowed: boolean): void {
    this.#allowed.set(request, allowed);
  }

  ask(prompt: string, password: boolean): Promise<string> {
    const execution = currentExecution();
    if (!execution || execution.finished || !this.#allowed.get(execution.request)) return Promise.reject(new StdinNotAllowedError());
    // One question at a time: the protocol has no way to tell two replies apart.
    this.#waiting?.reject(new Error("input() was asked again before the first answer came"));
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      this.#send(execution.request, { prompt, password });
    });
  }

  reply(message: Message): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.resolve(String(message.content.value ?? ""));
  }

  cancel(): void {
    this.#waiting?.reject(new Error("input() was interrupted"));
    this.#waiting = undefined;
  }

  globalInput(): ((prompt?: string) => Promise<string>) & { password(prompt?: string): Promise<string> } {
    const input = (prompt = "") => this.ask(String(prompt), false);
    return Object.assign(input, { password: (prompt = "") => this.ask(String(prompt), true) });
  }
}
