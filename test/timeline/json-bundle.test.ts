// A Timeline's application/json output: every span up to 2000 (JSON_SPAN_LIMIT in runtime/timeline/timeline.ts),
// beyond that a summary, so a notebook that keeps its outputs stays small.
import { describe, expect, it } from "vitest";
import { Timeline } from "../../runtime/timeline/timeline.ts";
import { manySpans } from "./fixtures.ts";

const LIMIT = 2000;

function json(spanCount: number): Record<string, unknown> {
  const data = { ...manySpans(spanCount), title: `${spanCount} jobs` };
  // The bundle a notebook front end gets: the Jupyter.display method the kernel calls.
  const shown = new Timeline(data, undefined) as unknown as Record<symbol, () => Record<string, unknown>>;
  const bundle = shown[Symbol.for("Jupyter.display")]!();
  return bundle["application/json"] as Record<string, unknown>;
}

describe("application/json of a Timeline", () => {
  it("carries every span at the limit", () => {
    const at = json(LIMIT);
    expect(at.title).toBe(`${LIMIT} jobs`);
    expect(at.spans).toHaveLength(LIMIT);
    expect(at.spanCount).toBeUndefined();
    expect(at.note).toBeUndefined();
    expect(typeof at.wallMs).toBe("number");
    expect(at.maxConcurrency).toBeGreaterThan(1);
  });

  it("carries a summary without spans one span above it", () => {
    const above = json(LIMIT + 1);
    expect(above.spans).toBeUndefined();
    expect(above.spanCount).toBe(LIMIT + 1);
    expect(above.note).toMatch(/2001 spans are too many .*tl\.toJSON\(\)/);
    expect(above.title).toBe(`${LIMIT + 1} jobs`);
    expect(above.maxConcurrency).toBeGreaterThan(1);
    expect(Array.isArray(above.stalls)).toBe(true);
    // The summary is small: it is what a saved notebook keeps.
    expect(JSON.stringify(above).length).toBeLessThan(1000);
    expect(JSON.stringify(json(LIMIT)).length).toBeGreaterThan(100_000);
  });
});
