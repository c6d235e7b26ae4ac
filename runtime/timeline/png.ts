// Rasterizes a chart's SVG to PNG with @resvg/resvg-js: the one picture JupyterLab draws for an untrusted output.
//
// Why a raster at all: JupyterLab shows no image/svg+xml for a saved notebook opened fresh (SVG is "unsafe"),
// and its sanitizer strips <svg> from untrusted text/html; VS Code's ipynb order also puts image/png before
// SVG. The PNG is drawn at 2x for sharp HiDPI screens and declared at the SVG's own size in the output's
// metadata, so every front end lays it out exactly where the SVG would be.
//
// resvg ships prebuilt per platform as optional dependencies; where none fits (or it fails to load) the
// bundle simply has no PNG and the SVG still serves every front end that shows SVG. The module is loaded on
// the first chart, not with the runtime: a script that never draws one pays nothing.

import { createRequire } from "node:module";

/** The device-pixel ratio the PNG is drawn at. 2 is sharp on HiDPI screens; see the README for its cost. */
export const PNG_ZOOM = 2;

/**
 * The SVG names a system font stack that browsers resolve; resvg takes the first family it finds installed
 * (Segoe UI, Roboto, Ubuntu, Helvetica Neue, Arial) but knows no `system-ui`, and where none is installed (a
 * Debian server: DejaVu only) it would fall back to a serif face.
 */
const FALLBACK_FONT = "DejaVu Sans";

export interface Png {
  /** base64 of the PNG file, as nbformat stores image/png. */
  readonly base64: string;
  /** CSS pixels (the SVG's own size): what the output's metadata declares. */
  readonly width: number;
  readonly height: number;
}

interface Rendered {
  asPng(): Buffer;
  width: number;
  height: number;
}

interface ResvgModule {
  Resvg: new (svg: string, options: Record<string, unknown>) => { render(): Rendered };
  renderAsync(svg: string, options: Record<string, unknown>): Promise<Rendered>;
}

let resvg: ResvgModule | null | undefined;

function load(): ResvgModule | null {
  if (resvg !== undefined) return resvg;
  try {
    resvg = createRequire(import.meta.url)("@resvg/resvg-js") as ResvgModule;
  } catch {
    resvg = null;
  }
  return resvg;
}

/** True when this platform can rasterize charts (a prebuilt resvg loaded). */
export function canRenderPng(): boolean {
  return load() !== null;
}

const OPTIONS = {
  fitTo: { mode: "zoom", value: PNG_ZOOM },
  font: { loadSystemFonts: true, defaultFontFamily: FALLBACK_FONT, sansSerifFamily: FALLBACK_FONT },
};

function toPng(image: Rendered): Png {
  return { base64: image.asPng().toString("base64"), width: Math.round(image.width / PNG_ZOOM), height: Math.round(image.height / PNG_ZOOM) };
}

/** The chart as PNG, or undefined when no rasterizer is available or this SVG cannot be drawn. */
export function renderPng(svg: string): Png | undefined {
  const module = load();
  if (!module) return undefined;
  try {
    return toPng(new module.Resvg(svg, OPTIONS).render());
  } catch {
    return undefined;
  }
}

/**
 * The same, drawn on libuv's thread pool: the event loop (a notebook's background tasks, the kernel's replies)
 * keeps running for the 25-100 ms a chart takes (more on a busy machine).
 */
export async function renderPngAsync(svg: string): Promise<Png | undefined> {
  const module = load();
  if (!module) return undefined;
  try {
    return toPng(await module.renderAsync(svg, OPTIONS));
  } catch {
    return undefined;
  }
}
