// The dispatcher: one handler per message type, status busy/idle around every request, output routing.
import { randomUUID } from "node:crypto";
import { childMessage, type Content, type Message } from "./wire/message.ts";
import type { KernelSockets, RequestChannel } from "./wire/sockets.ts";
import { currentExecution, routeOf, type Execution } from "./exec/context.ts";
import { StreamCoalescer, type StreamName } from "./exec/streams.ts";
import { Runner, tasksStartedBy, type Outcome } from "./exec/runner.ts";
import type { InterruptRelay } from "./exec/watchdog.ts";
import { runCell, MAGICS } from "./exec/magics.ts";
import { cellOfStack, lookupCell } from "./exec/cells.ts";
import { InputBroker } from "./exec/input.ts";
import { createDisplay, createPublisher, type Publish } from "./display/display-global.ts";
import { toMimeBundle, truncate } from "./display/mime.ts";
import { formatError, formatKernelFault, formatStderrReport } from "./display/traceback.ts";
import { asKernelFault } from "./exec/kernel-fault.ts";
import { injectFault } from "./test-faults.ts";
import { isComplete } from "./compile/index.ts";
import { complete } from "./introspect/complete.ts";
import { inspect } from "./introspect/inspect.ts";
import { HistoryStore } from "./introspect/history.ts";
import { kernelInfo } from "./info.ts";
import { CellSyntaxError } from "./compile/errors.ts";
import { CellChecks, type CellCheck } from "./typecheck/cell-checks.ts";
import { BEFORE_REPLY, typecheckMode } from "./typecheck/mode.ts";
import { typedComplete, typedInspect } from "./typecheck/typed-help.ts";

type Handler = (message: Message, channel: RequestChannel) => Promise<void> | void;

/** Marks output that a task of an earlier run of a cell produced after the cell was run again. */
export const MOVED_MARK = "[from an earlier run of this cell] ";

export class Kernel {
  readonly session: string;
  readonly runner: Runner;
  readonly #sockets: KernelSockets;
  readonly #log: (line: string) => void;
  readonly #streams: StreamCoalescer;
  readonly #history: HistoryStore;
  readonly #input: InputBroker;
  readonly #shellQueue: { message: Message; channel: RequestChannel }[] = [];
  /** execute_request ids queued when a cell failed with stop_on_error: they are answered "aborted". */
  readonly #aborting = new Set<string>();
  readonly #byCell = new Map<string, Execution>();
  /** Display ids each execution has shown: a live-drawn result (a Timeline) is not shown a second time. */
  readonly #displayed = new WeakMap<Execution, Set<string>>();
  #shellBusy = false;
  #executionCount = 0;
  #last: Execution | undefined;
  #stopping = false;
  /** Control requests a busy loop read early and acted on (ids): their handler only replies. */
  readonly #actedOn = new Set<string>();
  readonly #onShutdown: (restart: boolean) => void;
  /** Requests that got their reply: a handler that fails after replying is not answered twice. */
  readonly #replied = new WeakSet<Message>();
  /** Type checks beside every cell (kernel/typecheck/): a process of their own, started on first use. */
  readonly #checks: CellChecks;

  readonly #handlers: Record<string, Handler> = {
    kernel_info_request: (m, c) => this.#reply(m, c, "kernel_info_reply", kernelInfo()),
    execute_request: (m, c) => this.#execute(m, c),
    complete_request: (m, c) => this.#complete(m, c),
    inspect_request: (m, c) => this.#inspect(m, c),
    is_complete_request: (m, c) => this.#reply(m, c, "is_complete_reply", isCompleteReply(String(m.content.code ?? ""))),
    history_request: (m, c) => this.#historyReply(m, c),
    comm_info_request: (m, c) => this.#reply(m, c, "comm_info_reply", { status: "ok", comms: {} }),
    comm_open: (m) => this.#commOpen(m),
    comm_msg: () => undefined,
    comm_close: () => undefined,
    shutdown_request: (m, c) => this.#shutdown(m, c),
    interrupt_request: (m, c) => {
      // One read early by a busy loop (see #takeStopRequests) has done its work already; it gets its reply now.
      if (!this.#actedOn.delete(m.header.msg_id)) this.interrupt();
      this.#reply(m, c, "interrupt_reply", { status: "ok" });
    },
  };

  constructor(
    sockets: KernelSockets,
    log: (line: string) => void,
    onShutdown: (restart: boolean) => void,
    watchdogState: SharedArrayBuffer,
    session: string = randomUUID(),
    relay?: InterruptRelay,
  ) {
    this.session = session;
    this.runner = new Runner(watchdogState, { pollStop: () => this.#takeStopRequests(), relay });
    this.#sockets = sockets;
    this.#log = log;
    this.#onShutdown = onShutdown;
    this.#streams = new StreamCoalescer((target, name, text) =>
      this.#publishTo(target, "stream", { name, text }),
    );
    this.#checks = new CellChecks((line) => this.#log(line));
    this.#history = new HistoryStore({ onWarning: (warning: string) => this.#log(warning) });
    this.#input = new InputBroker((request, content) => this.#sockets.send("stdin", childMessage(request, "input_request", content, this.session)));
  }

  /** Installs the cell globals; requests then arrive through receive(), from the sockets or the front desk. */
  start(): void {
    this.#installGlobals();
  }

  // ---- receiving --------------------------------------------------------------------------------------------

  receive(channel: RequestChannel, message: Message): void {
    if (channel === "stdin") {
      if (message.header.msg_type === "input_reply") this.#input.reply(message);
      else this.#log(`ignored ${message.header.msg_type} on stdin`);
      return;
    }
    if (channel === "control") {
      void this.#handle(message, channel);
      return;
    }
    this.#shellQueue.push({ message, channel });
    if (!this.#shellBusy) void this.#drainShell();
  }

  async #drainShell(): Promise<void> {
    this.#shellBusy = true;
    try {
      while (this.#shellQueue.length > 0) {
        const { message, channel } = this.#shellQueue.shift()!;
        await this.#handle(message, channel);
      }
    } finally {
      this.#shellBusy = false;
    }
  }

  async #handle(message: Message, channel: RequestChannel): Promise<void> {
    const type = message.header.msg_type;
    const handler = Object.hasOwn(this.#handlers, type) ? this.#handlers[type] : undefined;
    // busy/idle even for a request we do not know: a front end waiting for idle must not wait forever.
    this.#status(message, "busy");
    try {
      if (!handler) {
        this.#log(`unknown message type ${JSON.stringify(type.slice(0, 80))} on ${channel}: ignored`);
        return;
      }
      injectFault(type);
      await handler(message, channel);
    } catch (error) {
      this.#log(`${type} failed: ${(error as Error)?.stack ?? error}`);
      await this.#answerFault(message, channel, error);
      // Asked to stop, the kernel stops even when saying so failed: otherwise the front end waits out its
      // shutdown timeout and kills a kernel that had nothing left to do.
      if (type === "shutdown_request") this.#stop(message.content.restart === true);
    } finally {
      this.#status(message, "idle");
    }
  }

  /**
   * The kernel's own code failed while handling `request`: the user sees a KernelError under the request (the
   * error output) and, unless a reply went out already, an error reply, as for any failed request; the kernel
   * goes on with the next one.
   */
  async #answerFault(request: Message, channel: RequestChannel, error: unknown): Promise<void> {
    const type = request.header.msg_type;
    try {
      const execution = this.#last?.request === request ? this.#last : undefined;
      const fault = asKernelFault(error, `handling ${type}${execution ? ` for Cell In[${execution.executionCount}]` : ""}`);
      const content = formatKernelFault(fault);
      if (execution) {
        execution.finished = true;
        this.#publishTo(execution, "error", { ...content });
      } else this.#iopub(request, "error", { ...content });
      if (this.#replied.has(request) || !type.endsWith("_request")) return;
      const extra: Content = type === "execute_request" ? { execution_count: this.#executionCount, user_expressions: {}, payload: [] } : {};
      if (type === "execute_request" && request.content.stop_on_error !== false) await this.#abortQueued();
      this.#reply(request, channel, `${type.slice(0, -"_request".length)}_reply`, { status: "error", ...content, ...extra });
    } catch (failure) {
      // Sending failed too (the socket is gone): the log is all that is left.
      this.#log(`answering the failed ${type} failed: ${(failure as Error)?.stack ?? failure}`);
    }
  }

  // ---- sending ----------------------------------------------------------------------------------------------

  #reply(request: Message, channel: RequestChannel, type: string, content: Content, metadata: Content = {}): void {
    this.#sockets.send(channel, childMessage(request, type, content, this.session, metadata));
    this.#replied.add(request);
  }

  #iopub(parent: Message | undefined, type: string, content: Content, metadata: Content = {}): void {
    this.#sockets.send("iopub", childMessage(parent, type, content, this.session, metadata));
  }

  #status(parent: Message, state: "busy" | "idle"): void {
    // Everything the request printed goes out before it is declared idle.
    if (state === "idle") this.#streams.flushAll();
    this.#iopub(parent, "status", { execution_state: state });
  }

  /** Sends output of `target`'s request; its buffered streams go first so order is kept. */
  #publishTo(target: Execution, type: string, content: Content, metadata: Content = {}): void {
    if (type !== "stream") this.#streams.flush(target);
    this.#iopub(target.request, type, content, metadata);
  }

  /** Output produced by code of `origin` (or the code running now): routed to where the user sees it. */
  publish(type: string, content: Content, origin = currentExecution() ?? this.#last): void {
    if (!origin) return this.#log(`output with no cell to show it in: ${type}`);
    const { target, moved } = routeOf(origin);
    if (moved) this.#streams.write(target, "stdout", `${MOVED_MARK.trim()}\n`);
    const displayId = (content.transient as { display_id?: unknown } | undefined)?.display_id;
    if (type === "display_data" && typeof displayId === "string") {
      const ids = this.#displayed.get(origin) ?? new Set<string>();
      ids.add(displayId);
      this.#displayed.set(origin, ids);
    }
    this.#publishTo(target, type, content);
  }

  stream(name: StreamName, text: string, origin = currentExecution() ?? this.#last): void {
    if (!origin) {
      this.#log(`output with no cell to show it in: ${text.slice(0, 200)}`);
      return;
    }
    const { target, moved } = routeOf(origin);
    const limited = truncate(text);
    this.#streams.write(target, name, moved ? markLines(limited) : limited);
  }

  // ---- execute ----------------------------------------------------------------------------------------------

  async #execute(request: Message, channel: RequestChannel): Promise<void> {
    const content = request.content;
    const code = typeof content.code === "string" ? content.code : "";
    const silent = content.silent === true;
    const storeHistory = !silent && content.store_history !== false;
    if (this.#aborting.delete(request.header.msg_id)) {
      this.#reply(request, channel, "execute_reply", { status: "aborted", execution_count: this.#executionCount });
      return;
    }
    if (storeHistory) this.#executionCount += 1;
    const count = this.#executionCount;
    const cellId = typeof request.metadata.cellId === "string" ? request.metadata.cellId : undefined;
    const execution: Execution = { request, executionCount: count, cellId, supersededBy: undefined, finished: false };
    if (cellId) {
      const previous = this.#byCell.get(cellId);
      if (previous) previous.supersededBy = execution;
      this.#byCell.set(cellId, execution);
    }
    this.#last = execution;
    if (!silent) this.#iopub(request, "execute_input", { code, execution_count: count });
    if (storeHistory) this.#history.append(count, code);
    this.#input.allow(request, content.allow_stdin === true);

    const check = silent ? undefined : this.#checks.start(code, count);
    if (check && typecheckMode() === "strict" && (await this.#stoppedByTypes(execution, channel, check))) return;

    const outcome: Outcome = await runCell(this.runner, execution, code, this);
    execution.finished = true;
    if (check) await this.#showTypeErrors(execution, outcome, check);

    if (outcome.status === "ok") {
      if (outcome.hasValue && outcome.value !== undefined && !silent && !this.#shownLive(execution, outcome.value)) {
        injectFault("display");
        const bundle = toMimeBundle(outcome.value);
        this.#publishTo(execution, "execute_result", { execution_count: count, data: bundle.data, metadata: bundle.metadata });
        if (storeHistory && typeof bundle.data["text/plain"] === "string") this.#history.setOutput(count, bundle.data["text/plain"]);
      }
      this.#notePendingTasks(execution, outcome);
      const userExpressions = this.#userExpressions(content.user_expressions);
      this.#reply(request, channel, "execute_reply", { status: "ok", execution_count: count, user_expressions: userExpressions, payload: [] });
      return;
    }
    // A cell that did not compile was never registered: hand its source over so the error shows the line.
    const error = formatError(outcome.error, lookupCell, { cell: { executionCount: count, source: code } });
    this.#publishTo(execution, "error", { ...error });
    this.#notePendingTasks(execution, outcome);
    if (content.stop_on_error !== false) await this.#abortQueued();
    this.#reply(request, channel, "execute_reply", { status: "error", execution_count: count, ...error });
  }

  /** Strict mode: a cell with type errors does not run; they are its error, as a failed cell's traceback is. */
  async #stoppedByTypes(execution: Execution, channel: RequestChannel, check: CellCheck): Promise<boolean> {
    const found = await check.diagnostics;
    if (!found || found.length === 0) return false;
    check.drop();
    execution.finished = true;
    const noun = found.length === 1 ? "1 type error" : `${found.length} type errors`;
    const error = { ename: "TypeScriptError", evalue: `${noun}; the cell did not run (%typecheck strict)`, traceback: [check.report(found, false).trimEnd()] };
    this.#publishTo(execution, "error", error);
    if (execution.request.content.stop_on_error !== false) await this.#abortQueued();
    this.#reply(execution.request, channel, "execute_reply", { status: "error", execution_count: execution.executionCount, ...error });
    return true;
  }

  /**
   * Run and warn: the diagnostics go under the cell when they are ready, as long as it is still the cell's
   * current output (a re-run replaces them). A cell that did not compile already shows its syntax error.
   */
  async #showTypeErrors(execution: Execution, outcome: Outcome, check: CellCheck): Promise<void> {
    if (outcome.status === "error" && outcome.error instanceof CellSyntaxError) {
      check.drop();
      return;
    }
    if (typecheckMode() === "strict") return;
    const shown = check.diagnostics.then((found) => {
      if (!found || found.length === 0 || execution.supersededBy) return;
      this.#streams.write(execution, "stderr", check.report(found, true));
      this.#streams.flush(execution);
    });
    if (BEFORE_REPLY) await shown;
  }

  /** A value that already drew itself live in this execution (a Timeline) is its own output already. */
  #shownLive(execution: Execution, value: unknown): boolean {
    if (typeof value !== "object" || value === null) return false;
    const id = (value as Record<symbol, unknown>)[Symbol.for("looplab.displayId")];
    return typeof id === "string" && (this.#displayed.get(execution)?.has(id) ?? false);
  }

  /** stop_on_error: abort the execute requests already queued (ipykernel's semantics); later ones run. */
  async #abortQueued(): Promise<void> {
    // Let messages that already reached the socket land in the queue first.
    await new Promise((resolve) => setImmediate(resolve));
    for (const { message } of this.#shellQueue) {
      if (message.header.msg_type === "execute_request") this.#aborting.add(message.header.msg_id);
    }
  }

  /** Clients that stop listening at idle (nbconvert, classic Notebook) still learn what keeps running. */
  #notePendingTasks(execution: Execution, outcome: Outcome): void {
    if (!outcome.task) return;
    const pending = tasksStartedBy(outcome.task);
    if (pending.length === 0) return;
    const names = pending.slice(0, 5).map((t) => t.name).join(", ");
    const more = pending.length > 5 ? ` and ${pending.length - 5} more` : "";
    const noun = pending.length === 1 ? "task is" : "tasks are";
    // Plain text: an hourglass emoji here showed as an empty box on machines (and in PDFs) without an emoji font.
    this.#streams.write(execution, "stdout", `[looplab] ${pending.length} ${noun} still running in the background: ${names}${more}\n`);
  }

  #userExpressions(raw: unknown): Content {
    if (typeof raw !== "object" || raw === null) return {};
    const result: Content = {};
    for (const [name, expression] of Object.entries(raw as Record<string, unknown>)) {
      try {
        const value = (0, eval)(String(expression));
        const bundle = toMimeBundle(value);
        result[name] = { status: "ok", data: bundle.data, metadata: bundle.metadata };
      } catch (error) {
        result[name] = { status: "error", ...formatError(error, lookupCell) };
      }
    }
    return result;
  }

  /**
   * Called by a cell's loop every few milliseconds while it keeps the event loop busy: an interrupt_request (or
   * a shutdown_request, which cannot be carried out while a loop runs) waiting on control stops the cell now.
   * Every request read here is still handled, in order, once the event loop is free.
   */
  #takeStopRequests(): boolean {
    let stop = false;
    for (const message of this.#sockets.takeControlNow()) {
      const type = message.header.msg_type;
      if (type === "interrupt_request") this.#actedOn.add(message.header.msg_id);
      if (type === "interrupt_request" || type === "shutdown_request") stop = true;
    }
    // After the loop's stack has unwound: cancelling tasks now would run their cleanup while it still throws.
    if (stop) queueMicrotask(() => this.interrupt());
    return stop;
  }

  /** SIGINT, by the process's handler or by the relay's byte: interrupts once per signal (see exec/sigint.ts). */
  sigint(from: "handler" | "byte"): void {
    if (this.runner.sigints.seen(from)) this.interrupt();
  }

  /** Asks the running cell to stop (SIGINT or interrupt_request). */
  interrupt(): void {
    const stopped = this.runner.interrupt();
    this.#input.cancel();
    if (!stopped) this.#log("interrupt: no cell is running");
  }

  // ---- introspection ----------------------------------------------------------------------------------------

  async #complete(request: Message, channel: RequestChannel): Promise<void> {
    const code = String(request.content.code ?? "");
    const cursor = Number(request.content.cursor_pos ?? code.length);
    const live = complete(code, cursor, globalThis, { magics: Object.keys(MAGICS) });
    const reply = typecheckMode() === "off" ? live : await typedComplete(this.#checks.checker, code, cursor, live);
    this.#reply(request, channel, "complete_reply", { status: "ok", ...reply });
  }

  async #inspect(request: Message, channel: RequestChannel): Promise<void> {
    const code = String(request.content.code ?? "");
    const cursor = Number(request.content.cursor_pos ?? code.length);
    const detail = Number(request.content.detail_level ?? 0);
    const live = inspect(code, cursor, detail, globalThis);
    const reply = typecheckMode() === "off" ? live : await typedInspect(this.#checks.checker, code, cursor, live);
    this.#reply(request, channel, "inspect_reply", { status: "ok", metadata: {}, ...reply });
  }

  #historyReply(request: Message, channel: RequestChannel): void {
    const c = request.content;
    const output = c.output === true;
    let history: unknown[];
    switch (c.hist_access_type) {
      case "range":
        history = this.#history.range(Number(c.session ?? 0), Number(c.start ?? 0), c.stop === undefined || c.stop === null ? undefined : Number(c.stop), output);
        break;
      case "search":
        history = this.#history.search(String(c.pattern ?? "*"), Number(c.n ?? 10), c.unique === true, output);
        break;
      default:
        history = this.#history.tail(Number(c.n ?? 10), output);
    }
    this.#reply(request, channel, "history_reply", { status: "ok", history });
  }

  #commOpen(request: Message): void {
    // No comm targets are registered: say so the way the spec asks, by closing the comm at once.
    const commId = String(request.content.comm_id ?? "");
    this.#iopub(request, "comm_close", { comm_id: commId, data: {} });
    this.#log(`comm_open for unknown target ${JSON.stringify(request.content.target_name)}: closed`);
  }

  #shutdown(request: Message, channel: RequestChannel): void {
    const restart = request.content.restart === true;
    this.#reply(request, channel, "shutdown_reply", { status: "ok", restart });
    this.#stop(restart);
  }

  #stop(restart: boolean): void {
    if (this.#stopping) return;
    this.#stopping = true;
    // Answer and idle first, then stop: the client waits for both.
    setImmediate(() => this.#onShutdown(restart));
  }

  async close(): Promise<void> {
    this.#checks.stop();
    this.#streams.flushAll();
    await this.#history.close();
  }

  // ---- globals ----------------------------------------------------------------------------------------------

  /** display(), clearOutput(), input() and the runtime's live publisher, all routed by async context. */
  #installGlobals(): void {
    const publish = ((type: string, content: Content) => this.publish(type, content)) as unknown as Publish;
    const { display, clearOutput } = createDisplay(publish);
    define("display", display);
    define("clearOutput", clearOutput);
    define("input", this.#input.globalInput());
    define(Symbol.for("looplab.display"), createPublisher(publish));
  }

  /** Errors that no cell awaited: shown under the cell they came from, never fatal. */
  reportBackgroundError(kind: string, error: unknown): void {
    const stack = (error as { stack?: string } | null)?.stack;
    const origin = cellOfStack(stack)?.execution ?? currentExecution() ?? this.#last;
    const text = formatStderrReport(kind, error, lookupCell);
    this.stream("stderr", text.endsWith("\n") ? text : `${text}\n`, origin);
    if (!origin) this.#log(text);
  }
}

function define(key: string | symbol, value: unknown): void {
  Object.defineProperty(globalThis, key, { value, configurable: true, writable: true, enumerable: false });
}

function markLines(text: string): string {
  return text.replace(/^(?=.)/gm, MOVED_MARK);
}

function isCompleteReply(code: string): Content {
  const { status, indent } = isComplete(code);
  return status === "incomplete" ? { status, indent } : { status };
}
