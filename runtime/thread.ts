// toThread: run a self-contained function in a pool of worker threads (asyncio.to_thread, for CPU-bound work).
//
// Semantics:
// - `await toThread(fn, ...args)` runs fn(...args) in a worker thread and resolves to its value (awaited if fn is
//   async). fn travels as source text (`fn.toString()`), so it must be self-contained: it sees its arguments and
//   the worker's globals, not variables of the calling module (inside fn, load modules with
//   `process.getBuiltinModule("node:fs")` or `await import(...)`). Arguments and result are structured-cloned.
// - Errors thrown by fn are re-thrown in the caller with fn's name, message and stack (the worker's frames); a
//   built-in error type (TypeError, RangeError, ...) comes back as that type.
// - The pool holds up to os.availableParallelism() workers, started on demand and reused; extra jobs wait in FIFO
//   order. So two CPU-bound calls on two cores run at the same time.
// - Cancellable: cancelling the awaiting task rejects with CancelledError; a job not yet started is dropped, a
//   running one has its worker terminated (a runaway loop stops) and replaced on demand.
// - Idle workers are unref'd, so a plain Node script exits when its work is done; `closeThreads()` terminates the
//   pool (the kernel calls it at shutdown); later calls start a new one.
// - A function defined in a kernel cell carries the kernel's loop checks; the kernel hands workers the globals
//   those need through THREAD_PRELUDE below, so the runtime knows nothing of the kernel.

import { availableParallelism } from "node:os";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Worker } from "node:worker_threads";
import { Deque } from "./deque.ts";
import { CancelledError } from "./errors.ts";
import { waitable } from "./task.ts";
import { THREAD_POOL_MARK, serveThreadJobs, type ThreadError, type ThreadReply } from "./thread-jobs.ts";

/**
 * A host that rewrites functions (the kernel adds interrupt checks to cell loops) puts, under this key on
 * globalThis, a script that makes such functions runnable in a bare worker; each new worker runs it first.
 */
const THREAD_PRELUDE = Symbol.for("looplab.toThread.prelude");

interface Job {
  id: number;
  name: string;
  src: string;
  args: unknown[];
  resolve: (value: any) => void;
  reject: (error: unknown) => void;
  /** The worker running it, once started. */
  slot: Slot | undefined;
  /** Called when a job that waited for a free worker starts in one. */
  started?: () => void;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
}

/** The worker entry: the built file next to the bundle, else the same code inlined (running from sources). */
function startWorker(): Worker {
  // Workers inherit the process's flags, but `--input-type` (set by `node --input-type=module -e ...`) makes a
  // worker started from a file fail at once.
  const execArgv = process.execArgv.filter((flag) => !flag.startsWith("--input-type"));
  const prelude = (globalThis as Record<symbol, unknown>)[THREAD_PRELUDE];
  const workerData = { [THREAD_POOL_MARK]: true, prelude: typeof prelude === "string" ? prelude : "" };
  const file = new URL("./thread.worker.js", import.meta.url);
  // Loaded with the first worker, not with the runtime: most sessions never start one.
  const { Worker } = process.getBuiltinModule("node:worker_threads");
  const start = (flags: string[]): Worker => {
    if (file.protocol === "file:" && existsSync(fileURLToPath(file))) return new Worker(file, { workerData, execArgv: flags });
    const source = `const threads = require("node:worker_threads");
(${serveThreadJobs.toString()})(threads.parentPort, threads.workerData.prelude);`;
    return new Worker(source, { eval: true, workerData, execArgv: flags });
  };
  try {
    return start(execArgv);
  } catch (error) {
    // Per-process and V8 flags (the kernel's --max-semi-space-size) are refused in a worker: start it without.
    if ((error as { code?: string }).code !== "ERR_WORKER_INVALID_EXEC_ARGV") throw error;
    return start([]);
  }
}

/** Rebuilds the worker's error in this thread: same type when built in, same name, message and stack. */
function rebuildError(error: ThreadError): Error {
  const builtIn = (globalThis as Record<string, unknown>)[error.name];
  const isErrorType = typeof builtIn === "function" && (builtIn === Error || (builtIn as { prototype: unknown }).prototype instanceof Error);
  const rebuilt: Error = isErrorType ? new (builtIn as ErrorConstructor)(error.message) : new Error(error.message);
  if (rebuilt.name !== error.name) Object.defineProperty(rebuilt, "name", { value: error.name, configurable: true, writable: true });
  if (error.stack !== undefined) rebuilt.stack = error.stack;
  if (error.code !== undefined) (rebuilt as { code?: unknown }).code = error.code;
  return rebuilt;
}

class ThreadPool {
  private readonly slots = new Set<Slot>();
  private readonly idle: Slot[] = [];
  private readonly queue = new Deque<Job>();
  private readonly jobs = new Map<number, Job>();
  private nextId = 1;
  readonly size = Math.max(1, availableParallelism());

  submit(job: Job): void {
    this.jobs.set(job.id, job);
    const slot = this.idle.pop() ?? (this.slots.size < this.size ? this.spawn() : undefined);
    if (slot === undefined) this.queue.push(job);
    else this.run(slot, job);
  }

  newId(): number {
    return this.nextId++;
  }

  /** The awaiting task was cancelled: forget a queued job, or stop the worker running it. */
  cancel(job: Job): void {
    this.jobs.delete(job.id);
    const slot = job.slot;
    if (slot === undefined) {
      this.queue.retain((queued) => queued !== job);
      return;
    }
    this.discard(slot);
    void slot.worker.terminate();
    this.next();
  }

  /** Terminates every worker; pending jobs reject with CancelledError. */
  async close(): Promise<void> {
    const error = () => new CancelledError("toThread pool closed");
    for (const job of this.jobs.values()) job.reject(error());
    this.jobs.clear();
    while (this.queue.length > 0) this.queue.shift();
    const workers = [...this.slots].map((slot) => slot.worker);
    this.slots.clear();
    this.idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private spawn(): Slot {
    const worker = startWorker();
    const slot: Slot = { worker, job: undefined };
    this.slots.add(slot);
    worker.on("message", (reply: ThreadReply) => this.finished(slot, reply));
    // A crash (process.exit in fn, an error thrown from a callback fn left behind) fails the job it was running.
    worker.on("error", (error) => this.crashed(slot, error));
    worker.on("exit", (code) => this.crashed(slot, new Error(`toThread: worker exited with code ${code}`)));
    return slot;
  }

  private run(slot: Slot, job: Job): void {
    slot.job = job;
    job.slot = slot;
    // Running work keeps the process alive; an idle pool must not.
    slot.worker.ref();
    slot.worker.postMessage({ id: job.id, name: job.name, src: job.src, args: job.args });
    job.started?.();
  }

  private finished(slot: Slot, reply: ThreadReply): void {
    const job = slot.job;
    if (job === undefined || job.id !== reply.id) return;
    slot.job = undefined;
    this.jobs.delete(job.id);
    if (reply.ok) job.resolve(reply.value);
    else job.reject(rebuildError(reply.error));
    const next = this.queue.shift();
    if (next !== undefined) this.run(slot, next);
    else {
      slot.worker.unref();
      this.idle.push(slot);
    }
  }

  private crashed(slot: Slot, error: Error): void {
    if (!this.slots.has(slot)) return;
    const job = slot.job;
    this.discard(slot);
    if (job !== undefined && this.jobs.delete(job.id)) job.reject(error);
    this.next();
  }

  private discard(slot: Slot): void {
    this.slots.delete(slot);
    const at = this.idle.indexOf(slot);
    if (at >= 0) this.idle.splice(at, 1);
    slot.job = undefined;
  }

  /** A worker went away: start the next queued job on a new one. */
  private next(): void {
    const job = this.queue.shift();
    if (job !== undefined) this.run(this.spawn(), job);
  }
}

let pool: ThreadPool | undefined;

/** Runs fn(...args) in a worker thread; see the module comment. */
export function toThread<A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>, ...args: A): Promise<Awaited<R>> {
  if (typeof fn !== "function") return Promise.reject(new TypeError("toThread expects a function"));
  const src = fn.toString();
  if (/\{\s*\[native code\]\s*\}$/.test(src)) {
    return Promise.reject(new TypeError(`toThread cannot send built-in or bound function ${fn.name || "(anonymous)"}: wrap it in a function`));
  }
  const threads = (pool ??= new ThreadPool());
  return waitable<Awaited<R>>(
    "thread",
    (resolve, reject, wait) => {
      const job: Job = { id: threads.newId(), name: fn.name, src, args, resolve, reject, slot: undefined };
      threads.submit(job);
      // Every worker busy: a timeline draws the wait for one, then the time in it.
      if (job.slot === undefined && wait !== undefined) {
        wait.becomes("thread-queue", fn.name || undefined);
        job.started = () => wait.becomes("thread", fn.name || undefined);
      }
      return () => threads.cancel(job);
    },
    fn.name || undefined,
  );
}

/** Terminates the worker pool (pending calls reject with CancelledError). Safe to call when no pool exists. */
export async function closeThreads(): Promise<void> {
  const closing = pool;
  pool = undefined;
  await closing?.close();
}
