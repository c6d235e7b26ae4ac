// What a chart may claim while the event loop was frozen (a stall): only one lane ran JavaScript, and no
// timer could fire.
//
// - A lane sleeping through a stall is drawn "frozen" for the stall's length: its timer may have come due,
//   but nothing could run it, and a plain "sleeping" bar would say the sleep went on as planned.
// - When no lane is "running" in the stall, the code that blocked belongs to a lane the recorder drew as
//   implicitly awaiting its children (AWAITING_CALLS: `const p = download(); spin(); await p`): the innermost
//   such lane is drawn running through the stall instead.
// Spans that overlap no stall are returned as they are (the same objects).

import type { Segment, Span, Stall, State } from "./model.ts";

/** The label of a lane's implicit "wait" while lanes it started are alive (recorder.ts draws them). */
export const AWAITING_CALLS = "awaiting calls";

export function drawFrozen(spans: readonly Span[], stalls: readonly Stall[]): Span[] {
  let out = [...spans];
  for (const stall of stalls) {
    const { start: a, end: b } = stall;
    const overlaps = (seg: Segment) => seg.start < b && seg.end > a;
    out = out.map((span) =>
      span.start < b && span.end > a && span.segments.some((seg) => seg.state === "sleep" && overlaps(seg))
        ? { ...span, segments: recolor(span.segments, a, b, (seg) => seg.state === "sleep", "frozen") }
        : span,
    );
    const someoneRan = out.some((span) => span.segments.some((seg) => seg.state === "running" && overlaps(seg)));
    if (someoneRan) continue;
    const implicit = (span: Span) => span.segments.some((seg) => seg.state === "wait" && seg.label === AWAITING_CALLS && seg.start <= a && seg.end >= b);
    const candidates = out.filter(implicit);
    const parents = new Set(candidates.map((span) => span.parentId));
    for (let i = 0; i < out.length; i++) {
      const span = out[i]!;
      // The innermost: no other candidate is its child.
      if (!candidates.includes(span) || parents.has(span.id)) continue;
      out[i] = { ...span, segments: recolor(span.segments, a, b, (seg) => seg.state === "wait" && seg.label === AWAITING_CALLS, "running") };
    }
  }
  return out;
}

/** The segments with the parts inside [a, b] that `pick` selects turned into `state` (no label). */
function recolor(segments: readonly Segment[], a: number, b: number, pick: (seg: Segment) => boolean, state: State): Segment[] {
  const out: Segment[] = [];
  for (const seg of segments) {
    if (!pick(seg) || seg.end <= a || seg.start >= b) {
      out.push(seg);
      continue;
    }
    if (seg.start < a) out.push({ ...seg, end: a });
    out.push({ state, start: Math.max(seg.start, a), end: Math.min(seg.end, b) });
    if (seg.end > b) out.push({ ...seg, start: b });
  }
  return out;
}
