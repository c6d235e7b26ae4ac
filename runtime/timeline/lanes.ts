// Lanes and bins: which spans share a row of the chart, and what each row shows at each pixel or column.
//
// Up to `maxLanes` spans get a lane each, in tree order (a child right under its parent). Beyond that the
// chart would be unreadable and huge, so spans are grouped: by name ("job 1" ... "job 9999" -> "job"), or,
// when names do not group well, into equal runs by start order. Every renderer then samples each lane into
// a fixed number of bins, which bounds the output size by the chart's width, not by the number of spans.

import { formatCount as count } from "./format.ts";
import { STATE_ORDER, isActive, type Span, type State } from "./model.ts";

export interface Lane {
  readonly label: string;
  /** Nesting depth for an ungrouped lane (0 = a root task). */
  readonly depth: number;
  readonly spans: readonly Span[];
  /** True when the lane stands for several tasks. */
  readonly grouped: boolean;
}

export interface LaneLayout {
  readonly lanes: readonly Lane[];
  /** Set when spans were grouped: a sentence saying how, for the chart to show. */
  readonly note?: string;
}

export function layoutLanes(spans: readonly Span[], maxLanes: number): LaneLayout {
  if (spans.length <= maxLanes) return { lanes: treeOrder(spans) };
  const byName = new Map<string, Span[]>();
  for (const span of spans) {
    const key = baseName(span.name);
    let group = byName.get(key);
    if (!group) byName.set(key, (group = []));
    group.push(span);
  }
  const total = count(spans.length);
  if (byName.size <= maxLanes) {
    // Few names: split each name's tasks into runs by start order, lanes shared out by group size, so that
    // 10k "job N" tasks become a readable staircase of ~20 lanes instead of one solid bar.
    const target = Math.max(byName.size, Math.min(maxLanes, 20));
    const lanes: Lane[] = [];
    for (const [key, group] of byName) {
      if (group.length === 1) {
        lanes.push({ label: group[0]!.name, depth: 0, spans: group, grouped: false });
        continue;
      }
      const share = Math.max(1, Math.round((group.length / spans.length) * target));
      lanes.push(...chunks(group, share, (from, to) => (share === 1 ? `${key} ×${count(group.length)}` : `${key} #${count(from)}–${count(to)}`)));
    }
    return { lanes, note: `${total} tasks grouped by name into ${lanes.length} lane${lanes.length === 1 ? "" : "s"}` };
  }
  const lanes = chunks(spans, maxLanes, (from, to) => `tasks ${count(from)}–${count(to)}`);
  return { lanes, note: `${total} tasks grouped by start order into ${lanes.length} lanes` };
}

/** Splits spans, in start order, into at most `parts` lanes of equal size, labelled by 1-based positions. */
function chunks(spans: readonly Span[], parts: number, label: (from: number, to: number) => string): Lane[] {
  const ordered = [...spans].sort((a, b) => a.start - b.start || a.id - b.id);
  const size = Math.ceil(ordered.length / parts);
  const lanes: Lane[] = [];
  for (let i = 0; i < ordered.length; i += size) {
    const group = ordered.slice(i, i + size);
    lanes.push({ label: label(i + 1, i + group.length), depth: 0, spans: group, grouped: true });
  }
  return lanes;
}

/** "job 12", "job-12", "job#12", "fetch(3)" -> "job", "job", "job", "fetch": the name without its number. */
export function baseName(name: string): string {
  const base = name.replace(/[\s#_\-:.(\[]*\d+[)\]]?$/, "");
  return base === "" ? name : base;
}

/** Parents before children, siblings in start order; spans whose parent was not recorded are roots. */
function treeOrder(spans: readonly Span[]): Lane[] {
  const ids = new Set(spans.map((s) => s.id));
  const children = new Map<number | undefined, Span[]>();
  for (const span of spans) {
    const parent = span.parentId !== undefined && ids.has(span.parentId) ? span.parentId : undefined;
    let list = children.get(parent);
    if (!list) children.set(parent, (list = []));
    list.push(span);
  }
  const lanes: Lane[] = [];
  const visit = (parent: number | undefined, depth: number): void => {
    const list = children.get(parent);
    if (!list) return;
    list.sort((a, b) => a.start - b.start || a.id - b.id);
    for (const span of list) {
      lanes.push({ label: span.name, depth, spans: [span], grouped: false });
      visit(span.id, depth + 1);
    }
  };
  visit(undefined, 0);
  return lanes;
}

/** What one bin of a lane shows: the state that fills most of it, and how many tasks were there on average. */
export interface Bin {
  readonly state: State;
  /** Average number of the lane's tasks present in the bin (task-time / bin-time); 0 < occupancy. */
  readonly occupancy: number;
  /** Fraction of those that were active (running, sleeping, in a thread). */
  readonly activeShare: number;
}

const STATE_INDEX = Object.fromEntries(STATE_ORDER.map((s, i) => [s, i])) as Record<State, number>;
const ACTIVE_INDEX = Uint8Array.from(STATE_ORDER, (s) => (isActive(s) ? 1 : 0));

/**
 * Samples a lane into `count` bins of `msPerBin` each, starting at time 0. A bin shows the state present
 * for the most time. In a grouped lane an active state wins over any amount of waiting, so the work of a few
 * is not hidden under the waiting of their many siblings. Empty bins are undefined.
 *
 * `minCover` (a fraction of a bin) leaves out bins a task only touches, except when the whole task fits
 * in one bin: a text chart's columns are coarse, and a task ending just inside a column should not claim it.
 *
 * Cost: O(segments + states x bins), via difference arrays, so 10k spans cost no more than 10 wide ones.
 */
export function binLane(lane: Lane, msPerBin: number, count: number, minCover = 0): Array<Bin | undefined> {
  const states = STATE_ORDER.length;
  // cover[s * (count + 1) + b]: a difference array of full-bin coverage, plus direct partial coverage.
  const full = new Float64Array(states * (count + 1));
  const part = new Float64Array(states * count);
  for (const span of lane.spans) {
    for (const seg of span.segments) {
      const s = STATE_INDEX[seg.state];
      const a = Math.max(0, seg.start / msPerBin);
      const b = Math.min(count, seg.end / msPerBin);
      if (b < a) continue;
      const ia = Math.min(count - 1, Math.floor(a));
      const ib = Math.min(count - 1, Math.floor(b));
      if (ia === ib) {
        // A zero-length segment still marks its bin, so an instant task is not invisible.
        part[s * count + ia]! += Math.max(b - a, 1e-6);
        continue;
      }
      part[s * count + ia]! += ia + 1 - a;
      part[s * count + ib]! += b - ib;
      if (ib > ia + 1) {
        full[s * (count + 1) + ia + 1]! += 1;
        full[s * (count + 1) + ib]! -= 1;
      }
    }
  }
  const preferActive = lane.grouped;
  let tiny = false;
  if (minCover > 0) for (const span of lane.spans) if (Math.floor(span.start / msPerBin) === Math.floor(span.end / msPerBin)) tiny = true;
  const bins: Array<Bin | undefined> = new Array(count);
  const run = new Float64Array(states);
  for (let b = 0; b < count; b++) {
    let best = -1;
    let bestCover = 0;
    let bestActive = false;
    let total = 0;
    let active = 0;
    for (let s = 0; s < states; s++) {
      run[s]! += full[s * (count + 1) + b]!;
      const cover = run[s]! + part[s * count + b]!;
      if (cover <= 1e-9) continue;
      total += cover;
      const isAct = preferActive && ACTIVE_INDEX[s] === 1;
      if (ACTIVE_INDEX[s] === 1) active += cover;
      if ((isAct && !bestActive) || (isAct === bestActive && cover > bestCover)) {
        best = s;
        bestCover = cover;
        bestActive = isAct;
      }
    }
    if (best >= 0 && (total >= minCover || tiny)) bins[b] = { state: STATE_ORDER[best]!, occupancy: total, activeShare: active / total };
  }
  return bins;
}
