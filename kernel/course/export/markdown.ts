// Markdown cells to HTML with markdown-it (GFM tables, fenced code highlighted), raw HTML sanitised,
// images inlined (cell attachments and local files) so every page stays self-contained.
import { readFileSync } from "node:fs";
import MarkdownIt, { type Token } from "markdown-it";
import type { MimeBundle } from "../notebook/types.ts";
import { highlight } from "./highlight.ts";
import { localImage } from "./local-images.ts";
import { clobbers, sanitizeHtml } from "./sanitize.ts";

export interface MarkdownEnv {
  /** The cell's attachments, for `attachment:NAME` image sources. */
  attachments?: Record<string, MimeBundle>;
  /** Folder of the notebook, for relative image paths. */
  baseDir?: string;
  /** Extension that links to other notebooks get (".html" in a site, ".md" in Markdown). */
  notebookLinkExtension?: string;
  /** Heading ids already used on the page, so anchors stay unique across cells. */
  slugs?: Set<string>;
  /** When present, every heading rendered is listed here (for the page's table of contents). */
  headings?: PageHeading[];
  /** Set while rendering: the source has raw HTML, so the output goes through the sanitizer. */
  rawHtml?: boolean;
}

export interface PageHeading {
  level: number;
  text: string;
  slug: string;
}

const md = new MarkdownIt({
  html: true,
  linkify: true,
  typographer: true,
  highlight: (code, language) => highlight(code, language || "plaintext"),
});

/** Plain text of an inline token (formatting dropped), for titles, summaries and anchors. */
export function inlineText(token: Token | undefined): string {
  if (!token) return "";
  if (!token.children) return token.content;
  return token.children
    .map((child) => (child.type === "softbreak" || child.type === "hardbreak" ? " " : child.type === "text" || child.type === "code_inline" ? child.content : ""))
    .join("")
    .trim();
}

// ASCII punctuation and spaces become dashes; letters of other scripts are kept as they are. (A Unicode
// property regex did the same but cost more than all the rest of an export put together.)
const NOT_SLUG = /[\u0000-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00bf\u2000-\u206f]+/g;

export function slugify(text: string): string {
  return text.toLowerCase().replace(NOT_SLUG, "-").replace(/^-+|-+$/g, "") || "section";
}

function attachmentUri(bundle: MimeBundle | undefined): string | undefined {
  if (!bundle) return undefined;
  for (const [mime, value] of Object.entries(bundle)) {
    if (!mime.startsWith("image/") || typeof value !== "string") continue;
    const base64 = mime === "image/svg+xml" ? Buffer.from(value).toString("base64") : value.replace(/\s+/g, "");
    return `data:${mime};base64,${base64}`;
  }
  return undefined;
}

function fileUri(src: string, baseDir: string | undefined): string | undefined {
  const image = localImage(src, baseDir);
  if (!image) return undefined;
  try {
    return `data:${image.mime};base64,${readFileSync(image.path).toString("base64")}`;
  } catch {
    return undefined; // unreadable: left as a relative link
  }
}

const defaultImage = md.renderer.rules.image!;
md.renderer.rules.image = (tokens, index, options, rawEnv, self) => {
  const env = rawEnv as MarkdownEnv;
  const token = tokens[index];
  const src = String(token.attrGet("src") ?? "");
  const inlined = src.startsWith("attachment:")
    ? attachmentUri(env.attachments?.[decodeURIComponent(src.slice("attachment:".length))])
    : fileUri(src, env.baseDir);
  if (inlined) token.attrSet("src", inlined);
  token.attrSet("loading", "lazy");
  return defaultImage(tokens, index, options, rawEnv, self);
};

md.renderer.rules.heading_open = (tokens, index, options, rawEnv, self) => {
  const env = rawEnv as MarkdownEnv;
  const slugs = (env.slugs ??= new Set());
  const text = inlineText(tokens[index + 1]);
  const base = slugify(text);
  let slug = base;
  // An id such as "images" or "forms" would shadow a document property; the sanitizer would drop it, so skip it.
  for (let n = 2; slugs.has(slug) || (env.rawHtml && clobbers(slug)); n++) slug = `${base}-${n}`;
  slugs.add(slug);
  tokens[index].attrSet("id", slug);
  env.headings?.push({ level: Number(tokens[index].tag.slice(1)), text, slug });
  return self.renderToken(tokens, index, options);
};

md.renderer.rules.link_open = (tokens, index, options, rawEnv, self) => {
  const env = rawEnv as MarkdownEnv;
  const token = tokens[index];
  const href = String(token.attrGet("href") ?? "");
  // Links between lessons point at the exported page, not at the .ipynb the reader does not have.
  if (env.notebookLinkExtension && !/^[a-z][a-z0-9+.-]*:/i.test(href)) {
    token.attrSet("href", href.replace(/\.ipynb(?=$|[?#])/, env.notebookLinkExtension));
  }
  return self.renderToken(tokens, index, options);
};

function hasRawHtml(tokens: readonly Token[]): boolean {
  return tokens.some((t) => t.type === "html_block" || t.type === "html_inline" || (t.children !== null && hasRawHtml(t.children)));
}

/** Whether some Markdown carries raw HTML (which markdown-it passes through as it is). */
export function markdownHasRawHtml(source: string): boolean {
  return hasRawHtml(md.parse(source, {}));
}

/**
 * Renders one markdown cell to safe HTML. markdown-it escapes all text and refuses script URLs by itself (it is
 * safe by design without raw HTML), so only Markdown that carries raw HTML goes through the sanitizer, which
 * costs most of a page's time.
 */
export function renderMarkdown(source: string, env: MarkdownEnv = {}): string {
  const tokens = md.parse(source, env as Record<string, unknown>);
  env.rawHtml = hasRawHtml(tokens);
  const html = md.renderer.render(tokens, md.options, env as Record<string, unknown>);
  return env.rawHtml ? sanitizeHtml(html) : html;
}

export interface Heading {
  title: string;
  summary: string;
}

/** The first heading of some markdown and the first paragraph after it (plain text), for lesson cards. */
export function headingAndSummary(sources: readonly string[]): Heading {
  let title = "";
  let summary = "";
  for (const source of sources) {
    const tokens = md.parse(source, {});
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      if (!title && token.type === "heading_open") title = inlineText(tokens[i + 1]);
      else if (title && !summary && token.type === "paragraph_open" && token.level === 0) summary = inlineText(tokens[i + 1]);
      if (title && summary) return { title, summary };
    }
  }
  return { title, summary };
}
