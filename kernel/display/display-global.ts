// The notebook's `display()` global, its helpers and handles, and the live-display publisher the runtime uses.
//
// Both are built on one `publish(msgType, content)` function the kernel supplies; it sends the message to
// the cell whose async context made the call, so these functions know nothing about routing or sockets.
import { randomUUID } from "node:crypto";
import { limitBundle, type MimeBundle, type MimeData, type MimeMetadata, plainText, rawBundle, toBase64, toMimeBundle } from "./mime.ts";
import { formatBytes } from "./limit.ts";

export type DisplayMessageType = "display_data" | "update_display_data" | "clear_output";

/** Content of display_data / update_display_data (the latter always has a transient display_id). */
export interface DisplayContent {
  data: MimeData;
  metadata: MimeMetadata;
  transient: { display_id?: string };
}
export interface ClearOutputContent {
  wait: boolean;
}

/** Supplied by the kernel: sends one iopub message for the current cell. */
export interface Publish {
  (msgType: "display_data" | "update_display_data", content: DisplayContent): void;
  (msgType: "clear_output", content: ClearOutputContent): void;
}

export interface DisplayOptions {
  /** `true`: a fresh random id; a string: that id (showing it again adds another output that updates too). */
  displayId?: string | true;
  /** The value is already a MIME bundle (`{ "text/html": ... }` or `{ data, metadata }`), as IPython's raw=True. */
  raw?: boolean;
  /** Extra display metadata, merged over the bundle's own. */
  metadata?: MimeMetadata;
}

/** What `display()` returns: the output it created, which can be replaced in place later. */
export interface DisplayHandle {
  readonly displayId: string;
  /** Replaces every output shown with this display id (also those of earlier cells). */
  update(value: unknown, options?: Pick<DisplayOptions, "raw" | "metadata">): void;
  /** Shows the value as one more output with this display id, in the current cell. */
  display(value: unknown, options?: Pick<DisplayOptions, "raw" | "metadata">): void;
}

export interface ImageOptions extends Omit<DisplayOptions, "raw"> {
  width?: number;
  height?: number;
}

export interface DisplayFunction {
  (value: unknown, options?: DisplayOptions): DisplayHandle;
  html(html: string, options?: DisplayOptions): DisplayHandle;
  markdown(markdown: string, options?: DisplayOptions): DisplayHandle;
  svg(svg: string, options?: DisplayOptions): DisplayHandle;
  /** Bytes or base64 text (a `data:image/png;base64,` prefix is accepted too). */
  png(image: Uint8Array | string, options?: ImageOptions): DisplayHandle;
  jpeg(image: Uint8Array | string, options?: ImageOptions): DisplayHandle;
  /** An interactive JSON tree in JupyterLab; `expanded` opens it fully. */
  json(value: unknown, options?: DisplayOptions & { expanded?: boolean }): DisplayHandle;
  /** LaTeX math, e.g. `$$e^{i\pi} + 1 = 0$$`. */
  latex(latex: string, options?: DisplayOptions): DisplayHandle;
  /** Plain text shown as is (not quoted like a string value). */
  text(text: string, options?: DisplayOptions): DisplayHandle;
}

export interface DisplayGlobals {
  display: DisplayFunction;
  /** Clears the current cell's output; `wait: true` clears only when the next output arrives (no flicker). */
  clearOutput(options?: { wait?: boolean }): void;
}

/** The runtime contract object put on `globalThis[Symbol.for("looplab.display")]`. */
export interface LiveDisplayPublisher {
  display(bundle: unknown, options?: { displayId?: string }): void;
  update(displayId: string, bundle: unknown): void;
}

/** The bundle for display(value, options): the value's own rendering, or the value itself when raw. */
function bundleFor(value: unknown, options: Pick<DisplayOptions, "raw" | "metadata"> | undefined): MimeBundle {
  let bundle = options?.raw ? rawBundle(value) : toMimeBundle(value);
  if (options?.metadata) bundle = { data: bundle.data, metadata: { ...bundle.metadata, ...options.metadata } };
  return bundle;
}

function newDisplayId(option: string | true | undefined): string {
  return typeof option === "string" && option.length > 0 ? option : randomUUID();
}

/** Accepts bytes, base64 text or a data URL; returns base64 and its decoded size. */
function imageBase64(image: Uint8Array | string, mime: string): { base64: string; bytes: number } {
  if (typeof image === "string") {
    const prefix = `data:${mime};base64,`;
    const base64 = (image.startsWith(prefix) ? image.slice(prefix.length) : image).replace(/\s+/g, "");
    return { base64, bytes: Math.floor((base64.length * 3) / 4) };
  }
  if (!(image instanceof Uint8Array)) throw new TypeError(`display: expected a Buffer, Uint8Array or base64 string for ${mime}`);
  return { base64: toBase64(image), bytes: image.byteLength };
}

function requireString(value: unknown, helper: string): string {
  if (typeof value !== "string") throw new TypeError(`display.${helper}: expected a string, got ${typeof value}`);
  return value;
}

/**
 * Builds `display` and `clearOutput` for the notebook's global scope. Every display gets a display id (kept
 * in the message's transient field), so any handle can be updated later.
 */
export function createDisplay(publish: Publish): DisplayGlobals {
  const show = (bundle: MimeBundle, displayId: string): void => {
    publish("display_data", { data: bundle.data, metadata: bundle.metadata, transient: { display_id: displayId } });
  };

  const handleFor = (displayId: string): DisplayHandle => ({
    displayId,
    // `display.html(...)` as a cell's last line must not also print the handle as Out[n]: the kernel leaves out
    // a result that is already shown in this cell under this display id (the same rule as a live timeline).
    [Symbol.for("looplab.displayId")]: displayId,
    update(value, options) {
      const bundle = bundleFor(value, options);
      publish("update_display_data", { data: bundle.data, metadata: bundle.metadata, transient: { display_id: displayId } });
    },
    display(value, options) {
      show(bundleFor(value, options), displayId);
    },
  });

  /** Shows a ready bundle (from a helper) and returns its handle. */
  const showBundle = (data: MimeData, metadata: MimeMetadata, options: DisplayOptions | undefined): DisplayHandle => {
    const displayId = newDisplayId(options?.displayId);
    show(limitBundle({ data, metadata: { ...metadata, ...options?.metadata } }), displayId);
    return handleFor(displayId);
  };

  const image = (mime: string, label: string) => (img: Uint8Array | string, options?: ImageOptions): DisplayHandle => {
    const { base64, bytes } = imageBase64(img, mime);
    const size: Record<string, number> = {};
    if (options?.width !== undefined) size.width = options.width;
    if (options?.height !== undefined) size.height = options.height;
    const metadata = Object.keys(size).length > 0 ? { [mime]: size } : {};
    return showBundle({ [mime]: base64, "text/plain": `<${label} image, ${formatBytes(bytes)}>` }, metadata, options);
  };

  const display = ((value: unknown, options?: DisplayOptions): DisplayHandle => {
    const displayId = newDisplayId(options?.displayId);
    show(bundleFor(value, options), displayId);
    return handleFor(displayId);
  }) as DisplayFunction;

  display.html = (html, options) => showBundle({ "text/html": requireString(html, "html"), "text/plain": "<HTML>" }, {}, options);
  display.markdown = (markdown, options) => {
    const text = requireString(markdown, "markdown");
    return showBundle({ "text/markdown": text, "text/plain": text }, {}, options);
  };
  display.svg = (svg, options) => showBundle({ "image/svg+xml": requireString(svg, "svg"), "text/plain": "<SVG image>" }, {}, options);
  display.png = image("image/png", "PNG");
  display.jpeg = image("image/jpeg", "JPEG");
  display.json = (value, options) => {
    // The wire encodes with JSON.stringify; a round trip here turns Dates, Maps' absence etc. into what the
    // front end will really see, and fails early (in the cell) for cycles and BigInts.
    const json: unknown = JSON.parse(JSON.stringify(value) ?? "null");
    const metadata = options?.expanded ? { "application/json": { expanded: true } } : {};
    return showBundle({ "application/json": json, "text/plain": plainText(value) }, metadata, options);
  };
  display.latex = (latex, options) => {
    const text = requireString(latex, "latex");
    return showBundle({ "text/latex": text, "text/plain": text }, {}, options);
  };
  display.text = (text, options) => showBundle({ "text/plain": requireString(text, "text") }, {}, options);

  const clearOutput = (options?: { wait?: boolean }): void => {
    publish("clear_output", { wait: options?.wait === true });
  };

  return { display, clearOutput };
}

/**
 * The object the kernel installs on `globalThis[Symbol.for("looplab.display")]` for the runtime's live
 * outputs (timelines, progress). Bundles are validated like `Symbol.for("Jupyter.display")` results; an
 * unusable bundle is shown as its text rather than silently lost.
 */
export function createPublisher(publish: Publish): LiveDisplayPublisher {
  return {
    display(raw, options) {
      const bundle = rawBundle(raw);
      const transient = options?.displayId ? { display_id: options.displayId } : {};
      publish("display_data", { data: bundle.data, metadata: bundle.metadata, transient });
    },
    update(displayId, raw) {
      const bundle = rawBundle(raw);
      publish("update_display_data", { data: bundle.data, metadata: bundle.metadata, transient: { display_id: displayId } });
    },
  };
}
