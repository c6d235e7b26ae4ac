// Renders a timeline as an ASCII Gantt chart for terminals and jupyter console (and console.log).
//
// Same lanes and binning as the SVG chart, one character per time column; a character per state, a row for
// event-loop stalls, a row counting active tasks, and a labelled time axis. ASCII only, so it survives any
// terminal encoding and copy-paste (task names are printed as given).

import { axisTicks, formatCount, formatDuration } from "./format.ts";
import { binLane, layoutLanes } from "./lanes.ts";
import { STATE_LABELS, STATE_ORDER, concurrencySteps, peakConcurrency, peakPerBin, type Outcome, type State, type TimelineData } from "./model.ts";

export interface TextOptions {
  /** Total width in columns (default 80, at least 40). */
  readonly width?: number;
  /** More tasks than this are grouped into lanes (default 30). */
  readonly maxLanes?: number;
}

export const STATE_CHARS: Readonly<Record<State, string>> = {
  running: "#",
  sleep: "=",
  thread: "%",
  semaphore: "s",
  lock: "l",
  condition: "c",
  event: "e",
  barrier: "b",
  "queue-get": "g",
  "queue-put": "p",
  "thread-queue": "t",
  frozen: "!",
  wait: ".",
};

const OUTCOME_TEXT: Readonly<Record<Exclude<Outcome, "ok">, string>> = {
  error: "x error",
  cancelled: "cancelled",
  timeout: "timed out",
  pending: "unfinished",
};
const SUFFIX = 11;

export function renderText(data: TimelineData, options: TextOptions = {}): string {
  const width = Math.max(40, options.width ?? 80);
  const { lanes, note } = layoutLanes(data.spans, options.maxLanes ?? 30);
  const steps = concurrencySteps(data.spans);
  const peak = peakConcurrency(steps);
  // A shared axis (timeline's `axis` option) is at least as long as this chart's own.
  const wall = Math.max(data.wallMs, data.axis?.ms ?? 0, 1e-3);
  const labelWidth = Math.min(22, Math.max(12, ...lanes.map((l) => l.label.length + (l.depth > 0 ? 2 * l.depth : 0))));
  const cols = Math.max(10, width - labelWidth - 1 - SUFFIX);
  const msPerCol = wall / cols;
  const lines: string[] = [];

  const title = data.title ?? "Timeline";
  const figures = `${formatCount(data.spans.length)} task${data.spans.length === 1 ? "" : "s"}, wall ${formatDuration(data.wallMs)}, peak ${peak} active at once${data.live ? " (recording...)" : ""}`;
  // Title and figures on one line when they fit, else each on its own (the title cut to the width).
  if (title.length + 2 + figures.length <= width) lines.push(`${title}: ${figures}`);
  else lines.push(title.length > width ? title.slice(0, width - 3) + "..." : title, figures.length > width ? figures.slice(0, width) : figures);
  if (note) lines.push(`(${note})`);
  lines.push("");
  const pad = (label: string): string => (label.length > labelWidth ? label.slice(0, labelWidth - 1) + "~" : label.padEnd(labelWidth));
  const used = new Set<State>();
  for (const lane of lanes) {
    const bins = binLane(lane, msPerCol, cols, 0.5);
    let row = "";
    let last = -1;
    bins.forEach((bin, i) => {
      if (!bin) return;
      row = row.padEnd(i) + STATE_CHARS[bin.state];
      used.add(bin.state);
      last = i;
    });
    const span = lane.spans[0]!;
    if (!lane.grouped && span.outcome !== "ok" && !(data.live && span.outcome === "pending")) row = row.padEnd(last + 1) + " " + OUTCOME_TEXT[span.outcome];
    // Grouped labels use typographic dash and times sign in the SVG; spell them in ASCII here.
    const name = lane.label.replace(/–/g, "-").replace(/×/g, "x");
    const label = lane.depth > 0 ? `${"  ".repeat(lane.depth - 1)}\`-${name}` : name;
    lines.push(`${pad(label)} ${row}`.trimEnd());
  }
  if (lanes.length === 0) lines.push(`${pad("")} (no runtime tasks were recorded)`);

  if (data.stalls.length > 0) {
    // Marks first, then each length right after its marks where it does not cover the next stall.
    const marks = new Array<string>(cols).fill(" ");
    const ends: Array<[number, string]> = [];
    for (const stall of data.stalls) {
      const from = Math.min(cols - 1, Math.floor(stall.start / msPerCol));
      const to = Math.max(from + 1, Math.min(cols, Math.ceil(stall.end / msPerCol)));
      for (let c = from; c < to; c++) marks[c] = "!";
      ends.push([to, formatDuration(stall.end - stall.start)]);
    }
    const row = [...marks, ..." ".repeat(SUFFIX)];
    for (const [at, text] of ends) {
      const slot = row.slice(at, at + text.length + 2);
      if (slot.length === text.length + 2 && slot.every((ch) => ch === " ")) row.splice(at + 1, text.length, ...text);
    }
    const rowText = row.join("");
    lines.push(`${pad("loop blocked")} ${rowText}`.trimEnd());
  }

  // Active tasks: the highest count in each column, one digit (+ for ten or more).
  const active = Array.from(peakPerBin(steps, wall, msPerCol, cols), (n) => (n === 0 ? " " : n < 10 ? String(n) : "+"));
  lines.push(`${pad("active tasks")} ${active.join("")}`.trimEnd());

  // Axis: a ruler with a mark per tick, then the labels that fit without touching.
  const ticks = axisTicks(wall, Math.max(2, Math.min(8, Math.floor(cols / 9))));
  const ruler = new Array<string>(cols + 1).fill("-");
  let labels = "";
  for (const tick of ticks) {
    const c = Math.min(cols, Math.round(tick.at / msPerCol));
    ruler[c] = "+";
    const at = Math.max(0, c - Math.floor(tick.label.length / 2));
    if (at >= labels.length + (labels.length ? 1 : 0)) labels = labels.padEnd(at) + tick.label;
  }
  lines.push(`${pad("")} ${ruler.join("")}`);
  lines.push(`${pad("")} ${labels}`);

  const legend = STATE_ORDER.filter((s) => used.has(s)).map((s) => `${STATE_CHARS[s]} ${STATE_LABELS[s]}`);
  if (data.stalls.length > 0) legend.push("! event loop blocked");
  if (legend.length) lines.push("", wrap(legend, width));
  return lines.join("\n");
}

/** Joins legend items with two spaces, breaking lines before the width. */
function wrap(items: string[], width: number): string {
  const lines: string[] = [];
  let line = "";
  for (const item of items) {
    if (line && line.length + 3 + item.length > width) {
      lines.push(line);
      line = "";
    }
    line = line ? `${line}   ${item}` : item;
  }
  if (line) lines.push(line);
  return lines.join("\n");
}
