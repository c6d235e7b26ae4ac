// MIME bundles: how any value becomes the `data`/`metadata` of an execute_result or display_data message.
//
// A value with a `[Symbol.for("Jupyter.display")]()` method renders itself (Deno's convention, used by the
// looplab runtime); everything else is text/plain from util.inspect, as Node's REPL prints it but without
// colours. Every bundle passes through `limitBundle`, so no single output can exceed the documented limit.
import { inspect, types } from "node:util";
import { BINARY_OUTPUT_LIMIT_BYTES, formatBytes, omittedNote, OUTPUT_LIMIT_BYTES, truncate, withinLimit } from "./limit.ts";

export { OUTPUT_LIMIT_BYTES, truncate } from "./limit.ts";

export type MimeData = Record<string, unknown>;
export type MimeMetadata = Record<string, unknown>;
/** The `data` and `metadata` fields of display_data / execute_result / update_display_data. */
export interface MimeBundle {
  data: MimeData;
  metadata: MimeMetadata;
}

/** The method name objects implement to render themselves. */
export const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

/**
 * util.inspect settings for text/plain. Depth 4 and width 80 suit a notebook column; strings are not cut by
 * inspect (maxStringLength) because `truncate` does that with a clearer note. Exported so the kernel can
 * offer a way to change them.
 */
export const inspectOptions = {
  colors: false,
  depth: 4,
  breakLength: 80,
  maxArrayLength: 100,
  maxStringLength: OUTPUT_LIMIT_BYTES,
  compact: 3,
  sorted: false,
  getters: false,
  showProxy: false,
  customInspect: true,
} satisfies Parameters<typeof inspect>[1];

/** Text fields that stay readable when their tail is cut; other strings (base64, SVG) would break. */
const CUTTABLE = new Set(["text/plain", "text/html", "text/markdown", "text/latex"]);

/** `type/subtype` with the characters RFC 6838 allows, plus `+` suffixes. */
const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i;

/** JSON-valued types (application/json, application/vnd.foo+json) may carry any JSON value, not only text. */
function isJsonType(mime: string): boolean {
  return mime === "application/json" || mime.endsWith("+json");
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Binary image data may arrive as bytes; Jupyter wants base64 text. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/**
 * text/plain for any value, as the Node REPL shows it: strings quoted, objects inspected, no colours. A huge
 * string is cut before inspect has to escape all of it.
 */
export function plainText(value: unknown): string {
  if (typeof value === "string" && value.length > OUTPUT_LIMIT_BYTES) {
    const head = inspect(value.slice(0, OUTPUT_LIMIT_BYTES), inspectOptions);
    const omitted = Buffer.byteLength(value, "utf8") - Buffer.byteLength(value.slice(0, OUTPUT_LIMIT_BYTES), "utf8");
    return `${head}\n${omittedNote(omitted)}`;
  }
  try {
    return truncate(inspect(value, inspectOptions));
  } catch (error) {
    // A custom [util.inspect.custom] or a hostile Proxy may throw; the cell's result must still show something.
    return `[value that cannot be inspected: ${error instanceof Error ? error.message : String(error)}]`;
  }
}

/** A one-line text/plain for objects whose own bundle forgot it (the contract says it should be there). */
function shortText(value: unknown): string {
  try {
    const text = inspect(value, { ...inspectOptions, depth: 0, breakLength: Infinity });
    return text.length > 200 ? `${text.slice(0, 199)}…` : text;
  } catch {
    return "[object]";
  }
}

/**
 * Keeps the well-formed entries of a bundle's data: keys that look like MIME types, string values (or string
 * arrays, nbformat's multi-line form; or bytes, turned into base64), any JSON value for JSON types. Returns
 * undefined when nothing usable is left.
 */
function cleanData(raw: Record<string, unknown>): MimeData | undefined {
  const data: MimeData = {};
  let count = 0;
  for (const [mime, value] of Object.entries(raw)) {
    if (!MIME_TYPE.test(mime) || value === undefined) continue;
    if (isJsonType(mime)) {
      data[mime] = value;
    } else if (typeof value === "string") {
      data[mime] = value;
    } else if (Array.isArray(value) && value.every((part) => typeof part === "string")) {
      data[mime] = value.join("");
    } else if (value instanceof Uint8Array) {
      data[mime] = toBase64(value);
    } else {
      continue;
    }
    count++;
  }
  return count > 0 ? data : undefined;
}

/**
 * Accepts what a `[Symbol.for("Jupyter.display")]()` method may return: a plain bundle
 * (`{ "text/plain": ..., "text/html": ... }`) or `{ data, metadata }`. Anything else gives undefined.
 */
export function normalizeBundle(raw: unknown): MimeBundle | undefined {
  if (!isPlainRecord(raw)) return undefined;
  // `{ data, metadata }` form: `data` is an object and no top-level key is a MIME type.
  if (isPlainRecord(raw.data) && !Object.keys(raw).some((key) => MIME_TYPE.test(key))) {
    const data = cleanData(raw.data);
    if (!data) return undefined;
    const metadata = isPlainRecord(raw.metadata) ? { ...raw.metadata } : {};
    return { data, metadata };
  }
  const data = cleanData(raw);
  return data ? { data, metadata: {} } : undefined;
}

/**
 * Applies the output size limit to a bundle: text fields are cut with a note; other string fields over the
 * binary limit are dropped and text/plain says which. Returns the same bundle object when nothing is too big.
 */
export function limitBundle(bundle: MimeBundle): MimeBundle {
  let data: MimeData | undefined;
  const dropped: string[] = [];
  for (const [mime, value] of Object.entries(bundle.data)) {
    if (typeof value !== "string") continue;
    if (CUTTABLE.has(mime)) {
      if (withinLimit(value)) continue;
      data ??= { ...bundle.data };
      data[mime] = truncate(value);
    } else if (!withinLimit(value, BINARY_OUTPUT_LIMIT_BYTES)) {
      data ??= { ...bundle.data };
      delete data[mime];
      dropped.push(`[${mime} output of ${formatBytes(Buffer.byteLength(value))} not shown: over the ${formatBytes(BINARY_OUTPUT_LIMIT_BYTES)} limit]`);
    }
  }
  if (!data) return bundle;
  if (dropped.length > 0) {
    const plain = typeof data["text/plain"] === "string" ? `${data["text/plain"]}\n` : "";
    data["text/plain"] = plain + dropped.join("\n");
  }
  return { data, metadata: bundle.metadata };
}

/** A bundle given as is (display's raw option, the runtime's live outputs): checked, limited, else its text. */
export function rawBundle(raw: unknown): MimeBundle {
  return limitBundle(normalizeBundle(raw) ?? { data: { "text/plain": plainText(raw) }, metadata: {} });
}

/**
 * The MIME bundle for a value: its own `[Symbol.for("Jupyter.display")]()` bundle when it has one (with
 * text/plain added when missing), else text/plain from util.inspect. Always within the output size limit.
 * Never throws: a display method that throws or returns nonsense falls back to text/plain with a note.
 */
export function toMimeBundle(value: unknown): MimeBundle {
  if ((typeof value === "object" && value !== null) || typeof value === "function") {
    // Proxies run user traps on every property read; only look for the method on ordinary objects.
    if (!types.isProxy(value)) {
      let method: unknown;
      try {
        method = (value as Record<symbol, unknown>)[JUPYTER_DISPLAY];
      } catch {
        method = undefined;
      }
      if (typeof method === "function") {
        let raw: unknown;
        try {
          raw = method.call(value);
        } catch (error) {
          const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          return limitBundle({
            data: { "text/plain": `${plainText(value)}\n[Symbol.for("Jupyter.display") threw ${reason}]` },
            metadata: {},
          });
        }
        const bundle = normalizeBundle(raw);
        if (bundle) {
          if (typeof bundle.data["text/plain"] !== "string") bundle.data["text/plain"] = shortText(value);
          return limitBundle(bundle);
        }
      }
    }
  }
  return { data: { "text/plain": plainText(value) }, metadata: {} };
}
