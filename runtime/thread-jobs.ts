// What toThread's workers do with a job: compile its function source once, run it, post back value or error.
//
// serveThreadJobs is also the source of the inline worker used when the runtime runs from its .ts sources
// (vitest), where no built worker file exists (`serveThreadJobs.toString()`), so it must be self-contained: no
// imports, no references outside its own body. Kept apart from thread.worker.ts, the worker's entry, so that the
// runtime itself does not load node:worker_threads until a pool starts.

/** Marks the workers toThread starts, so importing the runtime inside some other worker starts nothing. */
export const THREAD_POOL_MARK = "looplab.toThread";

/** A job as posted to the worker. */
export interface ThreadJobMessage {
  id: number;
  /** fn.name, for readable stack frames. */
  name: string;
  src: string;
  args: unknown[];
}

/** A thrown error as it crosses to the calling thread. */
export interface ThreadError {
  name: string;
  message: string;
  stack?: string;
  code?: unknown;
}

/** What a worker posts back. */
export type ThreadReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ThreadError };

/** Serves jobs on port until the worker is terminated. */
export function serveThreadJobs(
  port: {
    on(event: "message", listener: (message: ThreadJobMessage) => void): void;
    postMessage(message: unknown): void;
  },
  prelude: string,
): void {
  const compiled = new Map<string, (...args: unknown[]) => unknown>();
  const globalEval = eval;
  // The host's prelude (see THREAD_PRELUDE in thread.ts) runs once, in global scope, before any job.
  if (prelude) globalEval(prelude);

  function compile(src: string, name: string): (...args: unknown[]) => unknown {
    let fn = compiled.get(src);
    if (fn !== undefined) return fn;
    // Stack frames then read `at fib (toThread/fib.js:2:7)` instead of an anonymous eval location.
    const sourceURL = `\n//# sourceURL=toThread/${(name || "anonymous").replace(/[^\w$.-]/g, "_")}.js`;
    let value: unknown;
    try {
      // Indirect eval: global scope, so the function sees only globals, like any self-contained function should.
      value = globalEval(`(${src}\n)${sourceURL}`);
    } catch (error) {
      // Method shorthand (`fib(n) { ... }`) is not an expression on its own; an object literal makes it one.
      if (!(error instanceof SyntaxError)) throw error;
      const holder = globalEval(`({${src}\n})${sourceURL}`) as Record<string, unknown>;
      value = holder[Object.keys(holder)[0]!];
    }
    if (typeof value !== "function") throw new TypeError("toThread: the source sent is not a function");
    fn = value as (...args: unknown[]) => unknown;
    compiled.set(src, fn);
    return fn;
  }

  function describe(error: unknown): ThreadError {
    if (error instanceof Error) {
      const code = (error as { code?: unknown }).code;
      return { name: error.name, message: error.message, stack: error.stack, ...(typeof code === "string" || typeof code === "number" ? { code } : {}) };
    }
    return { name: "Error", message: `toThread: the function threw a non-Error value: ${String(error)}` };
  }

  port.on("message", async (job: ThreadJobMessage) => {
    let reply: unknown;
    try {
      reply = { id: job.id, ok: true, value: await compile(job.src, job.name)(...job.args) };
    } catch (error) {
      reply = { id: job.id, ok: false, error: describe(error) };
    }
    try {
      port.postMessage(reply);
    } catch (error) {
      // The value could not be structured-cloned (a function, a class instance with private state, ...).
      port.postMessage({ id: job.id, ok: false, error: describe(error) });
    }
  });
}
