// Renders a timeline as a standalone SVG Gantt chart: one lane per task, bars coloured by state, stalls as
// red bands, a concurrency curve and a time axis, sized for a JupyterLab cell (800 px wide).
//
// Notebook front ends show image/svg+xml inside an <img>, so the chart cannot inherit the page's colours:
// every colour here is chosen to read on a white and on a near-black page alike (mid-luminance bar colours,
// a mid-grey text whose contrast is ~4.4:1 on both, a translucent neutral panel). No scripts, no external
// fonts (the system font stack), and output size bounded by the width, not by the number of spans.

import { axisTicks, formatCount, formatDuration } from "./format.ts";
import { binLane, layoutLanes, type Bin, type Lane } from "./lanes.ts";
import { STATE_LABELS, STATE_ORDER, concurrencySteps, type Axis, isActive, peakConcurrency, peakPerBin, type Outcome, type Span, type State, type Step, type TimelineData } from "./model.ts";

export interface SvgOptions {
  /** Total width in px (default 800). */
  readonly width?: number;
  /** More tasks than this are grouped into lanes (default 40). */
  readonly maxLanes?: number;
}

/** Bar colours: saturated mid-luminance hues that keep their identity on light and dark pages. */
export const STATE_COLORS: Readonly<Record<State, string>> = {
  running: "#3b82f6",
  sleep: "#10b981",
  thread: "#8b5cf6",
  semaphore: "#f59e0b",
  lock: "#f97316",
  condition: "#ec4899",
  event: "#eab308",
  barrier: "#b45309",
  "queue-get": "#06b6d4",
  "queue-put": "#d946ef",
  "thread-queue": "#c4b5fd",
  frozen: "#ef4444",
  wait: "#94a3b8",
};

const TEXT = "#7b8594";
const STALL = "#ef4444";
const OUTCOME_STYLE: Readonly<Record<Exclude<Outcome, "ok">, { text: string; color: string }>> = {
  error: { text: "✕ error", color: "#ef4444" },
  cancelled: { text: "cancelled", color: TEXT },
  timeout: { text: "timed out", color: "#f97316" },
  pending: { text: "unfinished", color: TEXT },
};
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Ubuntu, 'Helvetica Neue', Arial, sans-serif";
const PAD = 14;
const OUTCOME_ROOM = 70;

/**
 * Element ids (clip paths, the hatch pattern) are written with this placeholder and replaced at the end by a
 * hash of the finished chart. Charts inlined into one HTML page (the classic Notebook, exported pages) thus
 * never share ids unless they are the same chart, and the same data always gives the same bytes: a live
 * display's last frame and the Timeline's own rendering are identical, so a front end or exporter can tell
 * they are one output.
 */
const ID = "\u0000id\u0000";

export function renderSvg(data: TimelineData, options: SvgOptions = {}): string {
  const id = ID;
  let width = options.width ?? 800;
  const maxLanes = options.maxLanes ?? 40;
  const { lanes, note } = layoutLanes(data.spans, maxLanes);
  const steps = concurrencySteps(data.spans);
  const peak = peakConcurrency(steps);
  const wall = Math.max(data.wallMs, data.axis?.ms ?? 0, 1e-3);

  const size = sizeFor(lanes.length);
  const ownLabels = laneLabelWidth(lanes, size.font);
  const labelWidth = Math.max(data.axis?.labelWidth ?? 0, ownLabels);
  // On a shared axis, longer labels than the other chart's widen this chart rather than its plot moving over.
  if (data.axis !== undefined && labelWidth > data.axis.labelWidth) width += Math.ceil(labelWidth - data.axis.labelWidth);
  const x0 = PAD + labelWidth + 12;
  const x1 = width - PAD - OUTCOME_ROOM;
  const plotWidth = x1 - x0;
  const xAt = (ms: number): number => x0 + (Math.min(Math.max(ms, 0), wall) / wall) * plotWidth;

  const out: string[] = [];
  let y = PAD + 15;
  // Header: title on the left, the three figures a class asks about on the right.
  const title = data.title ?? "Timeline";
  out.push(`<text x="${PAD}" y="${y}" font-size="15" font-weight="700">${esc(title)}</text>`);
  if (data.live) out.push(`<circle cx="${PAD + textWidth(title, 15, 700) + 12}" cy="${y - 5}" r="4" fill="${STALL}"/>`);
  const figures = `${formatCount(data.spans.length)} task${data.spans.length === 1 ? "" : "s"}  ·  wall ${formatDuration(data.wallMs)}  ·  peak ${peak} active at once`;
  out.push(`<text x="${width - PAD}" y="${y}" font-size="12" text-anchor="end">${esc(data.live ? `recording… ${figures}` : figures)}</text>`);
  if (note) {
    y += 17;
    out.push(`<text x="${PAD}" y="${y}" font-size="11" font-style="italic">${esc(note)}; shade = how many of them at once.</text>`);
  }
  if (data.stalls.length > 0) y += 18;
  const stallLabelY = y + 2;
  const lanesTop = y + 12;
  const lanesBottom = lanesTop + Math.max(1, lanes.length) * size.pitch;
  const curveTop = lanesBottom + 10;
  const curveHeight = 40;
  const curveBottom = curveTop + curveHeight;
  const axisY = curveBottom + 15;

  // Lane stripes and labels.
  lanes.forEach((lane, i) => {
    const top = lanesTop + i * size.pitch;
    if (i % 2 === 0) out.push(`<rect x="${PAD - 4}" y="${top}" width="${width - 2 * PAD + 8}" height="${size.pitch}" rx="3" fill="#808080" fill-opacity="0.07"/>`);
    const indent = lane.depth * 12;
    const label = fit(lane.label, labelWidth - indent, size.font);
    const prefix = lane.depth > 0 ? `<tspan fill-opacity="0.55">└ </tspan>` : "";
    out.push(`<text x="${PAD + Math.max(0, indent - 12)}" y="${top + size.pitch / 2 + size.font * 0.36}" font-size="${size.font}" font-weight="600">${prefix}${esc(label)}</text>`);
  });
  if (lanes.length === 0) out.push(`<text x="${x0}" y="${lanesTop + 17}" font-size="12" font-style="italic">no runtime tasks were recorded</text>`);

  // Grid: one line per tick through lanes and curve.
  const ticks = axisTicks(wall, plotWidth < 400 ? 4 : 7);
  const grid: string[] = [];
  for (const tick of ticks) {
    const x = r(xAt(tick.at));
    grid.push(`M${x} ${lanesTop - 4}V${curveBottom}`);
    out.push(`<text x="${x}" y="${axisY}" font-size="11" text-anchor="middle">${esc(tick.label)}</text>`);
  }
  out.unshift(`<path d="${grid.join("")}" stroke="${TEXT}" stroke-opacity="0.22" stroke-width="1"/>`);

  // Bars.
  const binPx = lanes.some((l) => l.grouped) ? 2 : 1;
  const binCount = Math.max(1, Math.ceil(plotWidth / binPx));
  const msPerBin = wall / binCount;
  const defs: string[] = [];
  const markers: string[] = [];
  const used = new Set<State>();
  lanes.forEach((lane, i) => {
    const top = lanesTop + i * size.pitch + (size.pitch - size.bar) / 2;
    const bins = binLane(lane, msPerBin, binCount);
    for (const bin of bins) if (bin) used.add(bin.state);
    if (lane.grouped) {
      out.push(groupedBars(bins, x0, binPx, top, size.bar));
      return;
    }
    const span = lane.spans[0]!;
    const left = xAt(span.start);
    const right = Math.max(xAt(span.end), left + 2);
    const clip = `${id}c${i}`;
    defs.push(`<clipPath id="${clip}"><rect x="${r(left)}" y="${top}" width="${r(right - left)}" height="${size.bar}" rx="3"/></clipPath>`);
    out.push(`<g clip-path="url(#${clip})">${laneBars(bins, x0, binPx, top, size.bar, id)}${separators(span, xAt, left, right, top, size.bar)}</g>`);
    if (span.outcome !== "ok" && !(data.live && span.outcome === "pending")) {
      markers.push(outcomeMarker(span, right, top, size.bar));
    } else if (span.outcome === "ok") {
      // How long the task took, where a class reads it: right after its bar.
      markers.push(`<text x="${r(right + 5)}" y="${r(top + size.bar / 2 + 3.5)}" font-size="10" fill-opacity="0.9">${esc(formatDuration(span.end - span.start))}</text>`);
    }
  });
  out.push(...markers);

  // Concurrency curve.
  out.push(`<text x="${PAD}" y="${curveTop + curveHeight / 2 - 2}" font-size="11" font-weight="600">active tasks</text>`);
  out.push(`<text x="${PAD}" y="${curveTop + curveHeight / 2 + 11}" font-size="10" fill-opacity="0.8">(at once)</text>`);
  out.push(`<path d="M${x0} ${curveBottom}H${x1}" stroke="${TEXT}" stroke-opacity="0.5"/>`);
  if (peak > 0) {
    const peakY = curveTop + 4;
    out.push(`<path d="M${x0} ${peakY}H${x1}" stroke="${TEXT}" stroke-opacity="0.45" stroke-dasharray="3 3"/>`);
    out.push(`<text x="${x1 + 6}" y="${peakY + 4}" font-size="11" font-weight="600">peak ${peak}</text>`);
    out.push(curvePath(steps, peak, wall, x0, plotWidth, binPx, curveBottom, curveBottom - peakY));
  }

  // Stalls: a band through every lane and the curve, labelled with its length above the lanes.
  let labelEnd = -Infinity;
  for (const stall of data.stalls) {
    const left = xAt(stall.start);
    const w = Math.max(2, xAt(stall.end) - left);
    out.push(`<rect x="${r(left)}" y="${lanesTop - 4}" width="${r(w)}" height="${curveBottom - lanesTop + 4}" fill="${STALL}" fill-opacity="0.16" stroke="${STALL}" stroke-opacity="0.7" stroke-width="1"/>`);
    // The full label if it fits beside the previous one, else just the length, else nothing (the band stays).
    const length = formatDuration(stall.end - stall.start);
    for (const text of [`loop blocked ${length}`, length]) {
      const tw = textWidth(text, 11, 700);
      const cx = Math.min(Math.max(left + w / 2, x0 + tw / 2), width - PAD - tw / 2);
      if (cx - tw / 2 <= labelEnd + 6) continue;
      out.push(`<text x="${r(cx)}" y="${stallLabelY}" font-size="11" font-weight="700" fill="${STALL}" text-anchor="middle">${esc(text)}</text>`);
      labelEnd = cx + tw / 2;
      break;
    }
  }

  // Legend: only what the chart uses, in a fixed order, wrapped to the width.
  const items: string[] = [];
  let lx = PAD;
  let ly = axisY + 22;
  const place = (w: number): [number, number] => {
    if (lx + w > width - PAD && lx > PAD) {
      lx = PAD;
      ly += 18;
    }
    const at: [number, number] = [lx, ly];
    lx += w + 16;
    return at;
  };
  for (const state of STATE_ORDER) {
    if (!used.has(state)) continue;
    const label = STATE_LABELS[state];
    const [ax, ay] = place(17 + textWidth(label, 11));
    items.push(swatch(state, ax, ay - 10, id) + `<text x="${ax + 17}" y="${ay}" font-size="11">${esc(label)}</text>`);
  }
  if (data.stalls.length > 0) {
    const label = "event loop blocked (≥ 50 ms)";
    const [ax, ay] = place(17 + textWidth(label, 11));
    items.push(`<rect x="${ax}" y="${ay - 10}" width="12" height="12" rx="2" fill="${STALL}" fill-opacity="0.25" stroke="${STALL}"/><text x="${ax + 17}" y="${ay}" font-size="11">${esc(label)}</text>`);
  }
  out.push(...items);
  const height = Math.ceil(ly + PAD);

  const hatched = STATE_ORDER.some((s) => used.has(s) && !isActive(s));
  if (hatched) defs.push(`<pattern id="${id}h" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="2.5" height="6" fill="#fff" fill-opacity="0.3"/></pattern>`);
  const summary = `${title}: ${data.spans.length} tasks, wall ${formatDuration(data.wallMs)}, peak ${peak} active at once${data.stalls.length ? `, ${data.stalls.length} loop stall${data.stalls.length > 1 ? "s" : ""}` : ""}`;
  const svg =
    // max-width: on a page narrower than the chart (a phone), an inline chart scales down instead of overflowing.
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" style="max-width:100%;height:auto" role="img" aria-label="${esc(summary)}" font-family="${FONT}" fill="${TEXT}">` +
    `<title>${esc(summary)}</title>` +
    (defs.length ? `<defs>${defs.join("")}</defs>` : "") +
    `<rect x="0.5" y="0.5" width="${width - 1}" height="${height - 1}" rx="8" fill="#808080" fill-opacity="0.06" stroke="#808080" stroke-opacity="0.3"/>` +
    out.join("") +
    `</svg>`;
  return svg.replaceAll(ID, `ll${fnv1a(svg)}`);
}

/** FNV-1a over UTF-16 units, as 8 hex digits: cheap, and plenty to tell charts on one page apart. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

/** An ungrouped lane: merged runs of equal state, one path per state, waiting states hatched. */
function laneBars(bins: ReadonlyArray<Bin | undefined>, x0: number, binPx: number, top: number, height: number, id: string): string {
  const paths = new Map<State, string[]>();
  forRuns(bins, (b) => b.state, (from, to, bin) => {
    let d = paths.get(bin.state);
    if (!d) paths.set(bin.state, (d = []));
    d.push(barPath(from, to, x0, binPx, top, height));
  });
  return pathsByState(paths, id);
}

/** The rectangle of bins [from, to) as path data. */
function barPath(from: number, to: number, x0: number, binPx: number, top: number, height: number): string {
  return `M${r(x0 + from * binPx)} ${top}h${r((to - from) * binPx)}v${height}h${r(-(to - from) * binPx)}z`;
}

/**
 * Thin gaps where one wait follows another (three sleeps in a row read as three downloads, not one long
 * one), at least 4 px apart so a busy worker's thousand waits do not wash its bar out.
 */
function separators(span: Span, xAt: (ms: number) => number, left: number, right: number, top: number, height: number): string {
  let d = "";
  let last = left;
  let previous: State | undefined;
  for (const seg of span.segments) {
    const startsWait = seg.state !== "running";
    // A wait right after another wait, or after a blip of running too short to see, starts a new piece.
    if (startsWait && previous !== undefined) {
      const x = xAt(seg.start);
      if (x - last >= 4 && right - x >= 4) {
        d += `M${r(x)} ${top}v${height}`;
        last = x;
      }
    }
    if (startsWait) previous = seg.state;
    else if (xAt(seg.end) - xAt(seg.start) >= 1) previous = undefined;
  }
  return d ? `<path d="${d}" stroke="#fff" stroke-opacity="0.75" stroke-width="1.5"/>` : "";
}

/** A grouped lane: colour by the prevailing state, opacity by how many of the group's tasks were there. */
function groupedBars(bins: ReadonlyArray<Bin | undefined>, x0: number, binPx: number, top: number, height: number): string {
  let most = 0;
  for (const b of bins) if (b && b.occupancy > most) most = b.occupancy;
  const level = (b: Bin): number => Math.min(3, Math.floor((b.occupancy / most) * 4 - 1e-9));
  const paths = new Map<string, string[]>();
  forRuns(bins, (b) => `${b.state}|${level(b)}`, (from, to, _bin, key) => {
    let d = paths.get(key);
    if (!d) paths.set(key, (d = []));
    d.push(barPath(from, to, x0, binPx, top, height));
  });
  const opacity = [0.35, 0.55, 0.78, 1];
  let svg = "";
  for (const [key, d] of paths) {
    const [state, lvl] = key.split("|") as [State, string];
    svg += `<path d="${d.join("")}" fill="${STATE_COLORS[state]}" fill-opacity="${opacity[Number(lvl)]}"/>`;
  }
  return svg;
}

function pathsByState(paths: Map<State, string[]>, id: string): string {
  let svg = "";
  for (const state of STATE_ORDER) {
    const d = paths.get(state);
    if (!d) continue;
    const joined = d.join("");
    svg += `<path d="${joined}" fill="${STATE_COLORS[state]}"/>`;
    if (!isActive(state)) svg += `<path d="${joined}" fill="url(#${id}h)"/>`;
  }
  return svg;
}

/** Calls `emit` once per maximal run of consecutive non-empty bins with the same key. */
function forRuns(bins: ReadonlyArray<Bin | undefined>, key: (b: Bin) => string, emit: (from: number, to: number, bin: Bin, key: string) => void): void {
  let start = -1;
  let current = "";
  for (let i = 0; i <= bins.length; i++) {
    const bin = bins[i];
    const k = bin ? key(bin) : "";
    if (start >= 0 && k !== current) {
      emit(start, i, bins[start]!, current);
      start = -1;
    }
    if (bin && start < 0) {
      start = i;
      current = k;
    }
  }
}

/** The curve of active tasks, sampled to the highest count in each bin so short peaks stay visible. */
function curvePath(steps: readonly Step[], peak: number, wall: number, x0: number, plotWidth: number, binPx: number, base: number, height: number): string {
  const count = Math.max(1, Math.ceil(plotWidth / binPx));
  const values = peakPerBin(steps, wall, wall / count, count);
  let d = `M${x0} ${base}`;
  let last = -1;
  for (let b = 0; b < count; b++) {
    const v = values[b]!;
    if (v !== last) {
      d += `H${r(x0 + b * binPx)}V${r(base - (v / peak) * height)}`;
      last = v;
    }
  }
  d += `H${r(x0 + plotWidth)}V${base}z`;
  return `<path d="${d}" fill="${STATE_COLORS.running}" fill-opacity="0.22" stroke="${STATE_COLORS.running}" stroke-width="1.5" stroke-linejoin="round"/>`;
}

/**
 * The end of a span that did not finish well: a bold bar-high mark whatever the span's length (a 1.5 ms failed
 * attempt must not be a hairline), the outcome's word, and the reason in a hover title.
 */
function outcomeMarker(span: Span, x: number, top: number, height: number): string {
  const outcome = span.outcome as Exclude<Outcome, "ok">;
  const style = OUTCOME_STYLE[outcome];
  const mid = top + height / 2;
  const tip = `${span.name}: ${style.text.replace(/^✕ /, "")} after ${formatDuration(span.end - span.start)}${span.reason ? `: ${span.reason}` : ""}`;
  const stop = `<rect x="${r(x - 1)}" y="${top - 2}" width="5" height="${height + 4}" rx="1.5" fill="${style.color}"/>`;
  return `<g><title>${esc(tip)}</title>${stop}<text x="${r(x + 8)}" y="${r(mid + 4)}" font-size="11" font-weight="700" fill="${style.color}">${esc(style.text)}</text></g>`;
}

/** Bar sizes by how many lanes the chart has. */
function sizeFor(lanes: number): { pitch: number; bar: number; font: number } {
  return lanes <= 12 ? { pitch: 26, bar: 16, font: 12 } : lanes <= 24 ? { pitch: 20, bar: 13, font: 11 } : { pitch: 15, bar: 10, font: 10 };
}

/** Wide enough for the lane labels and the curve's own label ("active tasks"), within reason. */
function laneLabelWidth(lanes: readonly Lane[], font: number): number {
  return Math.min(190, Math.max(textWidth("active tasks", 11, 600) + 4, ...lanes.map((l) => textWidth(l.label, font, 600) + l.depth * 12)));
}

/** The time axis of the chart renderSvg draws for `data`, for another chart to share (timeline's `axis`). */
export function svgAxis(data: TimelineData, options: SvgOptions = {}): Axis {
  const { lanes } = layoutLanes(data.spans, options.maxLanes ?? 40);
  return { ms: Math.max(data.wallMs, data.axis?.ms ?? 0), labelWidth: Math.max(data.axis?.labelWidth ?? 0, laneLabelWidth(lanes, sizeFor(lanes.length).font)) };
}

function swatch(state: State, x: number, y: number, id: string): string {
  const base = `<rect x="${x}" y="${y}" width="12" height="12" rx="2" fill="${STATE_COLORS[state]}"/>`;
  return isActive(state) ? base : base + `<rect x="${x}" y="${y}" width="12" height="12" rx="2" fill="url(#${id}h)"/>`;
}

/** Escapes text for XML content and attribute values; drops characters XML 1.0 forbids. */
export function esc(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
    .replace(/[&<>"']/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&apos;"));
}

/** An estimate of rendered text width in a sans-serif system font (average advance ~0.55 em). */
function textWidth(text: string, fontSize: number, weight = 400): number {
  return text.length * fontSize * (weight >= 600 ? 0.6 : 0.55);
}

/** Shortens text with an ellipsis to fit `max` px. */
function fit(text: string, max: number, fontSize: number): string {
  if (textWidth(text, fontSize, 600) <= max) return text;
  const chars = Math.max(1, Math.floor(max / (fontSize * 0.6)) - 1);
  return text.slice(0, chars) + "…";
}

const r = (n: number): number => Math.round(n * 10) / 10;
