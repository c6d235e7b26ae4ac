// Event-loop stall detection while a timeline records: finds stretches of 50 nominal ms or more in which the
// loop could run nothing else (a synchronous loop, a huge JSON.parse, sleepSync).
//
// A short real-time interval ticks while recording. A tick that arrives late by at least the threshold means
// the loop could not run timers for that long; but a late tick alone may just be the OS giving the CPU to
// other processes (a class's shared server, a CI machine). So a stall needs two more witnesses:
// - the loop's own accounting (performance.eventLoopUtilization): it was executing, not waiting for I/O;
// - the loop thread's own CPU time: it really computed for that long. Time a busy machine took away from us
//   while our JavaScript was running shows up as "executing" but not as CPU time, and is not a stall we
//   caused. The thread's, not the process's: workers computing meanwhile must not vouch for it.
// The chart's own live redraws are measured and left out: drawing the chart must not draw a stall.
// The stall ends at the late tick; its length is the executing time within the gap, in nominal time.
//
// Blocking without computing (sleepSync's Atomics.wait, a synchronous read) spends no CPU, so code that blocks
// on purpose reports its stall exactly with noteBlocking(); that is also exact at any time scale, where a
// deliberate 500 ms freeze may be only a few real ms.

import { performance } from "node:perf_hooks";
import { getTimeScale, now } from "../clock.ts";
import type { Stall } from "./model.ts";
import { threadCpuClock, type ThreadCpuClock } from "./thread-cpu.ts";

/** Stalls shorter than this (nominal ms) are ordinary work, not a frozen loop. */
export const STALL_THRESHOLD_MS = 50;
/** Tick period in real ms: small enough to place a stall within a few ms, cheap enough to leave on. */
const TICK_MS = 5;
/**
 * Under a large time scale 50 nominal ms is a few real ms, the size of a GC pause or a scheduling hiccup; a
 * real-time floor keeps those from being drawn as stalls.
 */
const FLOOR_REAL_MS = 10;

/** Monitors recording right now, for noteBlocking. */
const active = new Set<StallMonitor>();

/**
 * For code that blocks the thread on purpose and knows for how long (sleepSync): records the stall exactly,
 * at any time scale, in every monitor recording now. Nominal times from clock.now(). The tick that notices
 * the same stall afterwards is then not counted twice.
 */
export function noteBlocking(startNominal: number, endNominal: number): void {
  for (const monitor of active) monitor.note(startNominal, endNominal);
}

export class StallMonitor {
  readonly #origin: number;
  readonly #stalls: Stall[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;
  #lastTick = 0;
  #lastElu: ReturnType<typeof performance.eventLoopUtilization> | undefined;
  #lastCpu: number | undefined;
  readonly #cpu: ThreadCpuClock = threadCpuClock();
  /** Real ms of wall and CPU time spent in own() since the last check. */
  #ownWall = 0;
  #ownCpu = 0;

  /** `origin`: the nominal time (clock.now()) that stalls are measured from. */
  constructor(origin: number) {
    this.#origin = origin;
  }

  start(): void {
    if (this.#timer !== undefined) return;
    this.#lastTick = performance.now();
    this.#lastElu = performance.eventLoopUtilization();
    this.#lastCpu = this.#cpu();
    this.#timer = setInterval(() => this.check(), TICK_MS);
    active.add(this);
    // The monitor must never keep a process alive on its own.
    this.#timer.unref();
  }

  /** Runs fn (the recorder's own work, such as a live redraw) without counting its time as a stall. */
  own<T>(fn: () => T): T {
    const wall = performance.now();
    const cpu = this.#cpu();
    try {
      return fn();
    } finally {
      this.#ownCpu += this.#cpu() - cpu;
      this.#ownWall += performance.now() - wall;
    }
  }

  /** Checks for a stall since the previous check (also call it when recording ends, to catch a final one). */
  check(): void {
    if (this.#lastElu === undefined || this.#lastCpu === undefined) return;
    const tick = performance.now();
    const elu = performance.eventLoopUtilization();
    const cpuNow = this.#cpu();
    const ownWall = this.#ownWall;
    const ownCpu = this.#ownCpu;
    this.#ownWall = this.#ownCpu = 0;
    const gap = tick - this.#lastTick;
    const busy = elu.active - this.#lastElu.active - ownWall;
    const cpu = cpuNow - this.#lastCpu - ownCpu;
    this.#lastTick = tick;
    this.#lastElu = elu;
    this.#lastCpu = cpuNow;
    const scale = getTimeScale();
    const threshold = Math.max(STALL_THRESHOLD_MS / scale, FLOOR_REAL_MS);
    const late = gap - TICK_MS - ownWall;
    if (late < threshold || busy < threshold || cpu < threshold) return;
    const length = Math.min(busy, gap) * scale;
    const end = now() - this.#origin;
    const start = Math.max(0, end - length);
    // Already known from noteBlocking: the exact record wins.
    if (this.#stalls.some((s) => s.end > start && s.start < end)) return;
    this.#stalls.push({ start, end });
  }

  /** An exactly known stall (see noteBlocking). */
  note(startNominal: number, endNominal: number): void {
    const start = Math.max(0, startNominal - this.#origin);
    const end = endNominal - this.#origin;
    if (end - start >= STALL_THRESHOLD_MS) this.#stalls.push({ start, end });
  }

  /** Stalls found so far (a copy). */
  stalls(): Stall[] {
    return [...this.#stalls].sort((a, b) => a.start - b.start);
  }

  stop(): void {
    if (this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      this.check();
    }
    active.delete(this);
    this.#lastElu = undefined;
    this.#lastCpu = undefined;
  }
}
