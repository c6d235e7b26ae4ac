// Property: whatever a recording holds (any names, titles with markup and emoji, any states, outcomes, stalls,
// one task or a crowd), a finished Timeline's display bundle is text, SVG and a PNG that decodes at twice the
// SVG's declared size, and every front end's rules pick a picture from it. A title that broke the rasterizer
// would leave the PNG out: JupyterLab would then show a saved chart as text.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Drawable, MimeBundle } from "../../runtime/display.ts";
import { STATE_ORDER, type Outcome, type TimelineData } from "../../runtime/timeline/model.ts";
import { Timeline } from "../../runtime/timeline/timeline.ts";
import { choices } from "../frontends/mime-choice.ts";
import { span } from "./fixtures.ts";

const OUTCOMES: Outcome[] = ["ok", "error", "cancelled", "timeout", "pending"];
const text = fc.string({ unit: "grapheme", maxLength: 40 });

const recording: fc.Arbitrary<TimelineData> = fc
  .record({
    title: fc.option(text, { nil: undefined }),
    spans: fc.array(
      fc.record({
        name: text,
        start: fc.integer({ min: 0, max: 2000 }),
        pieces: fc.array(fc.tuple(fc.constantFrom(...STATE_ORDER), fc.integer({ min: 0, max: 3000 })), { minLength: 1, maxLength: 5 }),
        outcome: fc.constantFrom(...OUTCOMES),
      }),
      { minLength: 1, maxLength: 60 },
    ),
    stalls: fc.array(fc.tuple(fc.integer({ min: 0, max: 4000 }), fc.integer({ min: 50, max: 1000 })), { maxLength: 3 }),
  })
  .map(({ title, spans, stalls }) => {
    const built = spans.map((s) => span(s.name, s.start, s.pieces, s.outcome));
    const wallMs = Math.max(1, ...built.map((s) => s.end));
    return { ...(title !== undefined ? { title } : {}), wallMs, spans: built, stalls: stalls.map(([start, length]) => ({ start, end: start + length })) };
  });

function parts(drawn: Drawable): { data: MimeBundle; metadata: Record<string, { width?: number; height?: number }> } {
  if (!("data" in drawn) || typeof drawn.data !== "object") throw new Error("a final chart's bundle carries metadata (the PNG's size)");
  return drawn as unknown as { data: MimeBundle; metadata: Record<string, { width?: number; height?: number }> };
}

describe("a finished Timeline's display bundle, for any recording", () => {
  it("is text, SVG and a decodable 2x PNG at the SVG's size, and a picture in every front end", () => {
    fc.assert(
      fc.property(recording, (data) => {
        const { data: bundle, metadata } = parts(new Timeline(data, undefined).bundle());
        expect(Object.keys(bundle).sort()).toEqual(["image/png", "image/svg+xml", "text/plain"]);
        const svg = String(bundle["image/svg+xml"]);
        const [, width, height] = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg)!.map(Number);
        expect(metadata["image/png"]).toEqual({ width, height });
        const png = Buffer.from(String(bundle["image/png"]), "base64");
        expect(png.subarray(1, 4).toString()).toBe("PNG");
        expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([2 * width!, 2 * height!]);
        expect(Object.values(choices(bundle)).every((mime) => mime === "image/png" || mime === "image/svg+xml" || mime === "text/plain")).toBe(true);
        expect(choices(bundle)["JupyterLab, untrusted (saved notebook opened fresh)"]).toBe("image/png");
      }),
      { numRuns: 30 },
    );
  }, 60_000);
});
