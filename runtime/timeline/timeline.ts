// `timeline(fn, { title? })`: runs fn, records every runtime task and wait started inside it, and returns a
// Timeline that draws itself (SVG and PNG in notebooks, an ASCII Gantt chart in terminals).
//
// Recording: fn runs as a task of its own (options.name, else fn's name, else "main"), so its body is a lane
// like any other and every task it creates, however deeply nested, carries the recorder through the async
// context. Times are nominal (runtime/clock.ts), so a chart recorded under LOOPLAB_TIME_SCALE shows the
// lesson's seconds. Work awaited as plain promises inside one task (not tasks of their own) shows in that
// task's lane: JavaScript cannot attribute a bare promise to anyone.
// Event-loop stalls of 50 ms or more are captured while recording.
//
// Live display: inside the kernel (a publisher on globalThis[Symbol.for("looplab.display")]) the chart is
// displayed as soon as recording starts, redrawn in place at most 10 times a second (real time) while fn
// runs, and updated one last time with the exact final chart (its PNG drawn on libuv's thread pool, so the
// event loop keeps running meanwhile).
//
// Showing the result once. A Timeline that was shown live carries its display id in
// `timeline[Symbol.for("looplab.displayId")]` (also `timeline.displayId`). Its Jupyter.display bundle stays
// the full chart (a pure method: `tl` in a later cell draws it again). The kernel, when a cell's last value
// carries a display id that this same execution displayed, does not send it again as execute_result: the
// live output already is that chart, in its final state. So `await timeline(...)` as a cell's last line shows
// one chart, and `const tl = await timeline(...)` too. Rendering is deterministic, so the live display's last
// frame and the Timeline's bundle are byte-identical: an exporter can also drop such a repeated result.
//
// For %%timeline the kernel may pass `live: false` (draw after the cell's output instead of live), `name`
// (fn's lane), or `ownLane: false` (no lane for a wrapper that only awaits the cell's own task).
//
// If fn throws (or is cancelled), the final chart is still drawn live, and timeline rejects with fn's error.

import { inspect } from "node:util";
import { now } from "../clock.ts";
import { LiveOutput, type Drawable } from "../display.ts";
import { createTask } from "../task.ts";
import { currentObserver, runWithObserver } from "../trace.ts";
import { concurrencySteps, peakConcurrency, type Axis, type Span, type Stall, type TimelineData } from "./model.ts";
import { Recorder } from "./recorder.ts";
import { StallMonitor } from "./stall.ts";
import { renderPng, renderPngAsync, type Png } from "./png.ts";
import { renderSvg, svgAxis, type SvgOptions } from "./svg.ts";
import { renderText, type TextOptions } from "./text.ts";
import { toTraceEvents, type TraceFile } from "./trace-events.ts";

export interface TimelineOptions {
  /** Shown above the chart. */
  title?: string;
  /** The lane of fn's own body (default: fn's name, else "main"); %%timeline may say `Cell In[3]`. */
  name?: string;
  /**
   * Draw fn's own body as a lane (default true). A wrapper whose body only awaits a task of its own (the
   * kernel's %%timeline awaiting the cell's task) passes false: that task's lane is then the top one.
   */
  ownLane?: boolean;
  /**
   * Display the chart live while recording when a kernel is present (default true). The %%timeline magic
   * may pass false to show the chart after the cell's own output instead.
   */
  live?: boolean;
  /**
   * Draw on the time axis of another chart, so the two compare by length: `timeline(concurrent, { axis:
   * sequential })` draws a 2-second run a third as long as the 6-second one (same ms per pixel, same label
   * column). When this recording is the longer one, its axis is its own length.
   */
  axis?: Timeline | Axis;
}

/** The well-known key under which a live-shown Timeline carries its display id (for the kernel). */
export const DISPLAY_ID = Symbol.for("looplab.displayId");

/** Real ms between live redraws: at most 10 a second. */
const LIVE_INTERVAL_MS = 100;

/** A finished recording: fn's result and the spans, with renderers for every output format. */
export class Timeline<T = unknown> {
  /** fn's value. */
  readonly result: T;
  readonly title: string | undefined;
  /** One span per recorded task, in start order. */
  readonly spans: readonly Span[];
  /** Event-loop stalls of 50 ms or more. */
  readonly stalls: readonly Stall[];
  /** Nominal length of the recording in ms. */
  readonly wallMs: number;
  /** The most tasks active (running, sleeping or in a thread) at one time. */
  readonly maxConcurrency: number;
  /** Set when the chart was already shown live under this display id. */
  readonly displayId: string | undefined;
  #bundle: Drawable | undefined;
  /** The axis shared with another chart (the `axis` option), if any. */
  readonly sharedAxis: Axis | undefined;

  constructor(data: TimelineData, result: T, displayId?: string) {
    this.result = result;
    this.sharedAxis = data.axis;
    this.title = data.title;
    this.spans = data.spans;
    this.stalls = data.stalls;
    this.wallMs = data.wallMs;
    this.maxConcurrency = peakConcurrency(concurrencySteps(data.spans));
    this.displayId = displayId;
  }

  get [DISPLAY_ID](): string | undefined {
    return this.displayId;
  }

  /** The data every renderer takes. */
  data(): TimelineData {
    return { ...(this.title !== undefined ? { title: this.title } : {}), wallMs: this.wallMs, spans: this.spans, stalls: this.stalls, ...(this.sharedAxis ? { axis: this.sharedAxis } : {}) };
  }

  /** This chart's time axis, for another chart to be drawn on (what the `axis` option takes from a Timeline). */
  axis(): Axis {
    return svgAxis(this.data());
  }

  toSVG(options?: SvgOptions): string {
    return renderSvg(this.data(), options);
  }

  toText(options?: TextOptions): string {
    return renderText(this.data(), options);
  }

  /** Plain data: title, wallMs, maxConcurrency, spans, stalls (kept out of the display bundle: see bundleOf). */
  toJSON(): { title?: string; wallMs: number; maxConcurrency: number; spans: readonly Span[]; stalls: readonly Stall[] } {
    return { ...(this.title !== undefined ? { title: this.title } : {}), wallMs: this.wallMs, maxConcurrency: this.maxConcurrency, spans: this.spans, stalls: this.stalls };
  }

  /** Chrome trace event format; save as .json and open in Perfetto (ui.perfetto.dev) or chrome://tracing. */
  toTraceEvents(): TraceFile {
    return toTraceEvents(this.data());
  }

  [Symbol.for("Jupyter.display")](): Drawable {
    return this.bundle();
  }

  /** The display bundle, drawn once (the PNG is the costly part): the live display's final frame is this one. */
  bundle(): Drawable {
    if (this.#bundle) return this.#bundle;
    const svg = this.toSVG();
    return (this.#bundle = bundleOf(this.data(), svg, renderPng(svg)));
  }

  /** bundle(), with the PNG drawn off the event loop (libuv's thread pool); later bundle() calls reuse it. */
  async bundleAsync(): Promise<Drawable> {
    if (this.#bundle) return this.#bundle;
    const svg = this.toSVG();
    const png = await renderPngAsync(svg);
    return (this.#bundle ??= bundleOf(this.data(), svg, png));
  }

  /** console.log(tl) in a terminal prints the ASCII chart, as wide as the terminal. */
  [inspect.custom](): string {
    const columns = process.stdout.isTTY ? process.stdout.columns : undefined;
    return this.toText(columns ? { width: Math.min(columns, 140) } : {});
  }
}

/**
 * The chart as a display bundle, made for every front end at once (README, "One output, every front end"):
 * - text/plain, the ASCII chart: jupyter console, terminals, and every front end's last resort;
 * - image/svg+xml: the classic Notebook, nbconvert, `looplab export` and a trusted JupyterLab output;
 * - image/png, final frame only (25-100 ms to draw; timeline() draws it off the event loop): the one picture
 *   JupyterLab shows for an untrusted output (a saved notebook opened fresh), and VS Code's pick before SVG. Its
 *   metadata gives the SVG's CSS size.
 * No application/json: JupyterLab ranks its JSON viewer above every image and would show a tree of spans instead
 * of the chart; the data is one `tl.toJSON()` away. No text/html either: JupyterLab and the classic Notebook
 * prefer it over any image, and JupyterLab's sanitizer strips inline <svg> from untrusted HTML.
 */
function bundleOf(data: TimelineData, svg: string, png: Png | undefined): Drawable {
  const plain = { "text/plain": renderText(data), "image/svg+xml": svg };
  if (!png) return plain;
  return { data: { ...plain, "image/png": png.base64 }, metadata: { "image/png": { width: png.width, height: png.height } } };
}

/**
 * Runs fn, recording every runtime task and wait started inside it, and resolves with the Timeline.
 * Rejects with fn's error if fn fails (after drawing the final chart live, when a kernel shows it).
 */
export async function timeline<T>(fn: () => T | PromiseLike<T>, options: TimelineOptions = {}): Promise<Timeline<Awaited<T>>> {
  const title = options.title;
  const origin = now();
  const recorder = new Recorder(origin, currentObserver());
  const monitor = new StallMonitor(origin);
  const live = options.live === false ? undefined : new LiveOutput(1000 / LIVE_INTERVAL_MS, (draw) => monitor.own(draw));
  const omit = options.ownLane === false ? 1 : undefined;
  const axis = options.axis instanceof Timeline ? options.axis.axis() : options.axis;
  const snapshot = (final: boolean): TimelineData => {
    const data = recorder.snapshot({ ...(title !== undefined ? { title } : {}), stalls: monitor.stalls(), live: !final, omit });
    return axis === undefined ? data : { ...data, axis: { ms: Math.max(axis.ms, data.wallMs), labelWidth: axis.labelWidth } };
  };

  const frame = (): Drawable => {
    const data = snapshot(false);
    return bundleOf(data, renderSvg(data), undefined);
  };

  monitor.start();
  live?.request(frame);
  // Bars grow with time even when no event happens, so a live chart redraws on a fixed beat.
  const beat = live?.live ? setInterval(() => live.request(frame), LIVE_INTERVAL_MS) : undefined;
  beat?.unref();

  const main = runWithObserver(recorder, () => createTask(fn, { name: options.name ?? (fn.name || "main") }));
  let value: Awaited<T> | undefined;
  let failure: { error: unknown } | undefined;
  try {
    value = (await main) as Awaited<T>;
  } catch (error) {
    failure = { error };
  } finally {
    if (beat !== undefined) clearInterval(beat);
    monitor.stop();
  }
  const data = snapshot(true);
  recorder.stop();
  const final = new Timeline(data, value as Awaited<T>, live?.live ? live.displayId : undefined);
  if (live?.live) {
    // The last live frame stays up while the PNG is drawn on another thread; then the exact chart replaces it.
    const bundle = await final.bundleAsync();
    live.flush(() => bundle);
  }
  if (failure) throw failure.error;
  return final;
}
