// The kernel's handle on the checker process: started on the first cell that needs it, stopped when the
// notebook has been quiet for a while (its memory goes with it), started again with the notebook's cells replayed.
import { fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CheckedCell, Request, Response } from "./protocol.ts";

/** The package root (two levels above kernel/typecheck/ and kernel/dist/). */
const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const WORKER = `${PACKAGE_ROOT}kernel/dist/checker.worker.js`;

type Answer<K extends Response["kind"]> = Extract<Response, { kind: K }>;
type Asked = Extract<Request, { seq: number }>;

export interface CheckerOptions {
  /** Stop the process after this long without a request (default 10 minutes). */
  idleMs?: number;
  /** Give a request up after this long (default 20 s: a cold start under load takes a few). */
  answerMs?: number;
  log?: (line: string) => void;
}

export class Checker {
  readonly #idleMs: number;
  readonly #answerMs: number;
  readonly #log: (line: string) => void;
  /** Every cell checked so far, replayed into a fresh process. */
  readonly #cells: CheckedCell[] = [];
  readonly #waiting = new Map<number, (response: Response | undefined) => void>();
  #child: ChildProcess | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #seq = 0;

  constructor(options: CheckerOptions = {}) {
    this.#idleMs = options.idleMs ?? 600_000;
    this.#answerMs = options.answerMs ?? 20_000;
    this.#log = options.log ?? (() => undefined);
  }

  /** The process id while the checker runs (for memory figures), else undefined. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Resident memory of the checker process in bytes, 0 when it is not running. */
  rss(): number {
    const pid = this.pid;
    if (pid === undefined) return 0;
    try {
      const pages = Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]);
      return pages * 4096;
    } catch {
      return 0;
    }
  }

  /** Checks a cell against the cells before it; it then counts as declared, unless dropped. */
  check(cell: CheckedCell): Promise<Answer<"check"> | undefined> {
    const answer = this.#ask({ kind: "check", seq: ++this.#seq, cell }) as Promise<Answer<"check"> | undefined>;
    // After #ask: a process started for this request must not also be given the cell as an earlier one.
    this.#cells.push(cell);
    return answer;
  }

  /** A cell that did not run (it did not compile, or strict mode stopped it) declares nothing. */
  drop(id: number): void {
    const index = this.#cells.findIndex((cell) => cell.id === id);
    if (index === -1) return;
    this.#cells.splice(index, 1);
    if (this.#child?.connected) this.#child.send({ kind: "drop", id } satisfies Request, () => undefined);
  }

  complete(source: string, offset: number): Promise<Answer<"complete"> | undefined> {
    return this.#ask({ kind: "complete", seq: ++this.#seq, source, offset }) as Promise<Answer<"complete"> | undefined>;
  }

  inspect(source: string, offset: number): Promise<Answer<"inspect"> | undefined> {
    return this.#ask({ kind: "inspect", seq: ++this.#seq, source, offset }) as Promise<Answer<"inspect"> | undefined>;
  }

  /** Resolves undefined when the process failed or went away: type help is never worth a failed cell. */
  #ask(request: Asked): Promise<Response | undefined> {
    const child = this.#ensure();
    this.#armIdle();
    return new Promise((resolve) => {
      // A checker that does not answer in time is given up (and replaced at the next request): a strict-mode
      // cell or a batch reply never waits on it for good.
      const timer = setTimeout(() => {
        if (!this.#waiting.has(request.seq)) return;
        this.#log(`checker did not answer within ${this.#answerMs} ms: restarting it`);
        this.#replace(child);
      }, this.#answerMs);
      timer.unref();
      this.#waiting.set(request.seq, (response) => {
        clearTimeout(timer);
        resolve(response);
      });
      if (!child.connected) return this.#replace(child);
      child.send(request, (error) => {
        if (error) this.#replace(child);
      });
    });
  }

  #ensure(): ChildProcess {
    if (this.#child) return this.#child;
    const child = fork(WORKER, [PACKAGE_ROOT], { stdio: ["ignore", "ignore", "pipe", "ipc"], serialization: "advanced" });
    this.#child = child;
    child.stderr?.on("data", (chunk: Buffer) => this.#log(`checker: ${chunk.toString().trimEnd()}`));
    child.on("message", (response: Response) => {
      if (response.kind === "failed") this.#log(`checker failed: ${response.message}`);
      if (!("seq" in response)) return;
      const resolve = this.#waiting.get(response.seq);
      this.#waiting.delete(response.seq);
      this.#armIdle();
      resolve?.(response.kind === "failed" ? undefined : response);
    });
    // The channel closes when the process dies, however it dies (and may close before its exit is seen).
    const gone = () => this.#replace(child);
    child.on("disconnect", gone);
    child.on("error", (error) => {
      this.#log(`checker: ${error.message}`);
      gone();
    });
    child.on("exit", (code, signal) => {
      if (code !== 0 && signal !== "SIGTERM") this.#log(`checker exited (${code ?? signal})`);
      gone();
    });
    // The kernel's exit must not wait for the checker, nor the checker outlive the kernel.
    child.unref();
    (child as unknown as { channel?: { unref(): void } }).channel?.unref();
    // A fresh process learns the notebook so far.
    if (this.#cells.length > 0) child.send({ kind: "add", cells: this.#cells } satisfies Request, () => undefined);
    return child;
  }

  /** `child` is dead or stuck: its requests get no answer, the next request starts a new process. */
  #replace(child: ChildProcess): void {
    if (this.#child !== child) return;
    this.#child = undefined;
    child.kill("SIGKILL");
    for (const resolve of [...this.#waiting.values()]) resolve(undefined);
    this.#waiting.clear();
  }

  /** Quiet means no request for #idleMs since the last answer: a slow first check is not cut short. */
  #armIdle(): void {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => {
      if (this.#waiting.size === 0) this.stop();
      else this.#armIdle();
    }, this.#idleMs);
    this.#idleTimer.unref();
  }

  stop(): void {
    clearTimeout(this.#idleTimer);
    const child = this.#child;
    this.#child = undefined;
    child?.kill("SIGTERM");
  }
}
