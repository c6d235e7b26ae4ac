// runtime/timeline/png.ts: the rasterizer behind a chart's image/png. It must never take a chart down: an SVG it
// cannot draw gives no PNG (the bundle keeps its SVG and text), sync or on the thread pool.
import { describe, expect, it } from "vitest";
import { PNG_ZOOM, canRenderPng, renderPng, renderPngAsync } from "../../runtime/timeline/png.ts";
import { renderSvg } from "../../runtime/timeline/svg.ts";
import { gatherDownloads } from "./fixtures.ts";

describe("renderPng", () => {
  it("draws a chart at 2x and reports its CSS size, the same bytes sync and async", async () => {
    expect(canRenderPng()).toBe(true);
    const svg = renderSvg(gatherDownloads());
    const sync = renderPng(svg)!;
    const async = (await renderPngAsync(svg))!;
    expect(sync.width).toBe(800);
    expect(Buffer.from(sync.base64, "base64").readUInt32BE(16)).toBe(800 * PNG_ZOOM);
    expect(async).toEqual(sync);
  });

  it("gives undefined, not an exception, for what is not an SVG", async () => {
    for (const broken of ["", "<svg", "not xml at all", '<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"/>']) {
      expect(renderPng(broken), JSON.stringify(broken)).toBeUndefined();
      expect(await renderPngAsync(broken), JSON.stringify(broken)).toBeUndefined();
    }
  });
});
