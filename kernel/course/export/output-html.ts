// Cell outputs to HTML: streams, results, rich displays (SVG, images, HTML, Markdown, JSON) and ANSI tracebacks.
import { AnsiUp } from "ansi_up";
import { joinText, type ErrorOutput, type MimeBundle, type Output, type StreamOutput } from "../notebook/types.ts";
import { highlight } from "./highlight.ts";
import { escapeHtml } from "./html.ts";
import { renderMarkdown, type MarkdownEnv } from "./markdown.ts";
import { sanitizeHtml, sanitizeSvg } from "./sanitize.ts";

/** Which representation of a bundle to show, best first (as nbconvert and JupyterLab prefer). */
const MIME_ORDER = ["image/svg+xml", "image/png", "image/jpeg", "image/gif", "image/webp", "text/html", "text/markdown", "application/json", "text/latex", "text/plain"];

export interface OutputContext {
  /** Unique per output on the page: SVG ids get it as a prefix. */
  idPrefix: string;
  markdown: MarkdownEnv;
}

/** ANSI escapes to HTML with CSS classes, so colours follow the page's light or dark theme. */
export function ansiToHtml(text: string): string {
  // Most output has no escape codes; a converter is costly to build (colour palettes) and keeps colour state
  // between calls, so make a fresh one only for text that needs it.
  if (!text.includes("\u001b")) return escapeHtml(text);
  const converter = new AnsiUp();
  converter.use_classes = true;
  return converter.ansi_to_html(text);
}

/** Picks the MIME type to render; `application/vnd.foo+json` counts as JSON when nothing better is there. */
export function chooseMime(data: MimeBundle): string | undefined {
  const found = MIME_ORDER.find((mime) => data[mime] !== undefined);
  if (found && found !== "text/plain") return found;
  return Object.keys(data).find((mime) => mime.endsWith("+json")) ?? found;
}

function imageSize(metadata: Record<string, unknown>, mime: string): string {
  const own = metadata[mime];
  const m = typeof own === "object" && own !== null ? (own as Record<string, unknown>) : {};
  const attrs: string[] = [];
  for (const key of ["width", "height"] as const) if (typeof m[key] === "number") attrs.push(` ${key}="${m[key]}"`);
  return attrs.join("");
}

function renderBundle(data: MimeBundle, metadata: Record<string, unknown>, ctx: OutputContext): string {
  const mime = chooseMime(data);
  if (!mime) return `<p class="out-note">(output in ${escapeHtml(Object.keys(data).join(", ") || "no")} format not shown)</p>`;
  const value = data[mime];
  const text = typeof value === "string" ? value : joinText(value);
  switch (mime) {
    case "image/svg+xml":
      return `<div class="out-svg">${sanitizeSvg(text, ctx.idPrefix)}</div>`;
    case "image/png":
    case "image/jpeg":
    case "image/gif":
    case "image/webp": {
      const alt = typeof data["text/plain"] === "string" ? data["text/plain"] : "output image";
      const base64 = text.replace(/\s+/g, "");
      // Anything but base64 here is a damaged (or hostile) notebook: never let it reach the attribute.
      if (!/^[A-Za-z0-9+/=]*$/.test(base64)) return `<p class="out-note">(an ${mime} output that is not valid base64 was left out)</p>`;
      return `<div class="out-image"><img src="data:${mime};base64,${base64}"${imageSize(metadata, mime)} alt="${escapeHtml(alt)}"></div>`;
    }
    case "text/html":
      return `<div class="out-html">${sanitizeHtml(text, { idPrefix: ctx.idPrefix })}</div>`;
    case "text/markdown":
      return `<div class="out-markdown prose">${renderMarkdown(text, ctx.markdown)}</div>`;
    case "text/latex":
      return `<pre class="out-text">${escapeHtml(text)}</pre>`;
    case "text/plain":
      return `<pre class="out-text">${ansiToHtml(text)}</pre>`;
    default: {
      // JSON (application/json or any +json type): pretty-printed and highlighted.
      const json = typeof value === "string" ? value : JSON.stringify(value, null, 2);
      return `<pre class="out-json"><code class="hljs language-json">${highlight(json ?? "null", "json")}</code></pre>`;
    }
  }
}

function renderStream(output: StreamOutput): string {
  return `<pre class="out-stream out-${output.name}">${ansiToHtml(output.text)}</pre>`;
}

function renderError(output: ErrorOutput): string {
  const body = output.traceback.length > 0 ? output.traceback.join("\n") : `${output.ename}: ${output.evalue}`;
  return `<pre class="out-error" role="alert">${ansiToHtml(body)}</pre>`;
}

/** Joins consecutive chunks of the same stream, as Jupyter front ends show them. */
export function mergeStreams(outputs: readonly Output[]): Output[] {
  const merged: Output[] = [];
  for (const output of outputs) {
    const last = merged.at(-1);
    if (output.output_type === "stream" && last?.output_type === "stream" && last.name === output.name) {
      merged[merged.length - 1] = { ...last, text: last.text + output.text };
    } else {
      merged.push(output);
    }
  }
  return merged;
}

/**
 * Drops an execute_result whose data is exactly a display already shown in the same cell: a value that
 * displays itself live (a timeline) and is also the cell's last expression would otherwise be drawn twice.
 */
export function withoutRepeatedResult(outputs: readonly Output[]): Output[] {
  const shown = new Set(outputs.filter((o) => o.output_type === "display_data").map((o) => JSON.stringify(o.data)));
  return outputs.filter((o) => o.output_type !== "execute_result" || Object.keys(o.data).length <= 1 || !shown.has(JSON.stringify(o.data)));
}

/**
 * HTML for one cell's outputs, safe to put in any page of ours (lessons, grading reports): HTML, SVG and Markdown
 * are sanitised, text escaped. Each output gets its own id prefix derived from `cellKey`.
 */
export function renderOutputs(outputs: readonly Output[], cellKey: string, markdown: MarkdownEnv): string {
  const key = cellKey.replace(/[^\w-]/g, "_");
  return withoutRepeatedResult(mergeStreams(outputs))
    .map((output, index) => {
      // Headings inside Markdown output get anchors but stay out of the page's table of contents.
      const ctx: OutputContext = { idPrefix: `${key}-o${index}-`, markdown: { ...markdown, headings: undefined } };
      switch (output.output_type) {
        case "stream":
          return renderStream(output);
        case "error":
          return renderError(output);
        case "display_data":
          return `<div class="output display">${renderBundle(output.data, output.metadata, ctx)}</div>`;
        case "execute_result": {
          const label = output.execution_count === null ? "Out" : `Out[${output.execution_count}]`;
          return `<div class="output result"><span class="prompt out-prompt" aria-label="result">${label}</span>${renderBundle(output.data, output.metadata, ctx)}</div>`;
        }
      }
    })
    .join("\n");
}
