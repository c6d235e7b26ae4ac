// The one clock: sleeps, timeouts and timestamps of the whole runtime, with a time scale for fast lessons.
//
// `setTimeScale(f)` (or env LOOPLAB_TIME_SCALE=f) makes every runtime sleep and timeout take 1/f of its nominal
// time in real time, while `now()`, `perfCounter()` and `stopwatch()` report nominal time. So a lesson that
// sleeps 2 s prints "2.00 s" under test after ~20 ms of real time at f = 100. Changing the scale keeps `now()`
// continuous (it re-anchors); timers already armed keep the real delay they were given.
//
// `sleep(0)` is asyncio's "yield to the event loop once": every sleep(0) started in the same turn resolves from
// ONE setImmediate, so 100k tasks yielding together cost one macrotask, not 100k timers; without a value and
// without a timeline observer they even share one promise. Like asyncio's bare `yield` in sleep(0), that shared
// yield is not a cancellable wait: a cancel arriving during it rejects the task's next runtime await instead (or
// ends the task cancelled if it finishes first). `sleep(ms)` with ms > 0 is a full runtime await: cancelling the
// sleeping task clears the timer and rejects the sleep with CancelledError at once.

import { runtimeContext } from "./context.ts";
import { beginYield, takePendingCancel, waitable, type Wait } from "./task.ts";

function scaleFromEnv(): number {
  const raw = typeof process === "undefined" ? undefined : process.env.LOOPLAB_TIME_SCALE;
  if (raw === undefined || raw.trim() === "") return 1;
  const f = Number(raw);
  return Number.isFinite(f) && f > 0 ? f : 1;
}

let scale = scaleFromEnv();
// now() = nominalAnchor + (real time since realAnchor) * scale. Both anchors move together on setTimeScale.
let realAnchor = performance.now();
let nominalAnchor = realAnchor;

/** Nominal milliseconds on a monotonic clock (origin: process start). Every runtime timestamp comes from here. */
export function now(): number {
  return nominalAnchor + (performance.now() - realAnchor) * scale;
}

/** High-resolution nominal milliseconds, for measuring intervals (Python's time.perf_counter, in ms). */
export function perfCounter(): number {
  return now();
}

/** Runs time f times faster: a nominal 2000 ms sleep takes 2000/f ms of real time. f must be finite and > 0. */
export function setTimeScale(f: number): void {
  if (!(Number.isFinite(f) && f > 0)) throw new RangeError(`time scale must be a finite number > 0, got ${f}`);
  nominalAnchor = now();
  realAnchor = performance.now();
  scale = f;
}

/** The current time scale (1 = real time). */
export function getTimeScale(): number {
  return scale;
}

/** Real milliseconds a nominal duration takes under the current scale. */
export function realDelay(nominalMs: number): number {
  return nominalMs / scale;
}

/** Formats nominal milliseconds for people: `350 ms`, `12.5 ms`, `2.00 s`, `812 µs`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return `${ms} ms`;
  const abs = Math.abs(ms);
  if (abs >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (abs >= 100) return `${ms.toFixed(0)} ms`;
  if (abs >= 10) return `${ms.toFixed(1)} ms`;
  if (abs >= 1) return `${ms.toFixed(2)} ms`;
  return `${(ms * 1000).toFixed(0)} µs`;
}

/** A running measurement of nominal time; `elapsed` grows until `stop()`. */
export class Stopwatch {
  #start = now();
  #stopped: number | undefined;

  /** Nominal milliseconds since start (or until stop). */
  get elapsed(): number {
    return (this.#stopped ?? now()) - this.#start;
  }

  /** Freezes `elapsed` and returns it. */
  stop(): number {
    this.#stopped ??= now();
    return this.elapsed;
  }

  /** Starts again from zero, running. */
  reset(): void {
    this.#start = now();
    this.#stopped = undefined;
  }

  toString(): string {
    return formatDuration(this.elapsed);
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `Stopwatch(${this.toString()})`;
  }
}

/** Starts a stopwatch: `const sw = stopwatch(); ...; console.log(`took ${sw}`)`. */
export function stopwatch(): Stopwatch {
  return new Stopwatch();
}

// sleep(0) batching: (target, value) pairs flattened in one array, drained by a single setImmediate. A target is
// a task's Wait (resolved through the wait, so a cancelled one ignores it) or a plain promise's resolve function.
let yieldBatch: unknown[] | undefined;

// The common `await sleep(0)` (no value, no observer) shares one promise per turn: no per-call promise at all.
let sharedYield: Promise<any> | undefined;
let resolveSharedYield: (() => void) | undefined;

function flushYieldBatch(): void {
  const batch = yieldBatch!;
  yieldBatch = undefined;
  const resolveShared = resolveSharedYield;
  sharedYield = resolveSharedYield = undefined;
  resolveShared?.();
  for (let i = 0; i < batch.length; i += 2) {
    const target = batch[i] as Wait<unknown> | ((value: unknown) => void);
    if (typeof target === "function") target(batch[i + 1]);
    else target.finish(batch[i + 1]);
  }
}

/** This turn's batch, arming its setImmediate on first use. */
function currentBatch(): unknown[] {
  if (yieldBatch === undefined) {
    yieldBatch = [];
    setImmediate(flushYieldBatch);
  }
  return yieldBatch;
}

function yieldOnce<T>(value: T): Promise<T> {
  if (value === undefined) {
    const frame = runtimeContext.getStore();
    if (frame?.observer === undefined) {
      // Like asyncio's bare yield, a shared yield is no cancellable wait: a cancel that arrives during it is
      // delivered by the task's next runtime await (or ends the task when it finishes first).
      const cancelled = frame?.task === undefined ? undefined : takePendingCancel(frame.task);
      if (cancelled !== undefined) return cancelled;
      if (sharedYield === undefined) {
        sharedYield = new Promise<void>((resolve) => (resolveSharedYield = resolve));
        currentBatch();
      }
      return sharedYield;
    }
  }
  const wait = beginYield<T>();
  if (wait === undefined) return new Promise<T>((resolve) => void currentBatch().push(resolve, value));
  if (wait instanceof Promise) return wait; // a cancel was pending: already rejected
  // No cleanup needed: a cancelled wait ignores the batch's late finish().
  currentBatch().push(wait, value);
  return wait.promise;
}

/**
 * Resolves with `value` after `ms` nominal milliseconds. `sleep(0)` yields to the event loop exactly once.
 * Inside a task it is cancellable: cancel() clears the timer and rejects with CancelledError.
 */
export function sleep(ms: number): Promise<void>;
export function sleep<T>(ms: number, value: T): Promise<T>;
export function sleep<T>(ms: number, value?: T): Promise<T> {
  if (!(ms > 0)) return yieldOnce(value as T);
  return waitable<T>("sleep", (resolve) => {
    const real = ms / scale;
    const deadline = performance.now() + real;
    // Node measures timers against the loop's cached millisecond clock, so a timer can fire up to ~1 ms before
    // its delay has passed; under a time scale that is many nominal ms. A sleep never ends early (asyncio's
    // promise too): if it fired early, wait out the rest.
    const fire = (): void => {
      const left = deadline - performance.now();
      if (left > 0) timer = setTimeout(fire, left);
      else resolve(value as T);
    };
    let timer = setTimeout(fire, real);
    return () => clearTimeout(timer);
  });
}
