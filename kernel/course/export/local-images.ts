// Images a lesson's Markdown takes from files beside the notebook: which file a source names, and links rewritten to copies.
import { realpathSync, statSync } from "node:fs";
import { extname, resolve, sep } from "node:path";
import MarkdownIt, { type Token } from "markdown-it";

/** The image types the exports save as files or take from files, with the extension a saved file gets. */
export const IMAGE_EXTENSIONS: Readonly<Record<string, string>> = { "image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp" };

const IMAGE_TYPES: Readonly<Record<string, string>> = {
  ".jpeg": "image/jpeg",
  ...Object.fromEntries(Object.entries(IMAGE_EXTENSIONS).map(([mime, extension]) => [`.${extension}`, mime])),
};

export interface LocalImage {
  /** Absolute path of the image file. */
  path: string;
  mime: string;
}

/**
 * The file an image source (as markdown-it normalises it) names, when it is an existing local image inside
 * `baseDir`; not URLs. An absolute path, a `../` path or a symbolic link leading out of the folder names nothing:
 * a notebook (a student's, being graded) must not copy files of the machine it is exported on into its pages.
 */
export function localImage(src: string, baseDir: string | undefined): LocalImage | undefined {
  if (!baseDir || /^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith("//")) return undefined;
  let relativePath: string;
  try {
    relativePath = decodeURIComponent(src.split(/[?#]/)[0]);
  } catch {
    return undefined; // a malformed %-escape is no file name
  }
  const mime = IMAGE_TYPES[extname(relativePath).toLowerCase()];
  if (!mime) return undefined;
  try {
    const folder = realpathSync(baseDir);
    const path = realpathSync(resolve(folder, relativePath));
    if (!path.startsWith(folder + sep)) return undefined;
    return statSync(path).isFile() ? { path, mime } : undefined;
  } catch {
    return undefined; // left as a relative link; the exporter cannot invent a missing image
  }
}

// Only parses (never renders), so the options that change tokens are the ones the HTML export uses.
const parser = new MarkdownIt({ html: true, linkify: true });

function imageSources(tokens: Token[], into: Set<string>): Set<string> {
  for (const token of tokens) {
    if (token.type === "image") into.add(String(token.attrGet("src") ?? ""));
    if (token.children) imageSources(token.children, into);
  }
  return into;
}

// A link destination after `](` (inline form) or after `[label]:` (reference definition), plain or in <...>.
const DESTINATION = /(\]\(\s*|^ {0,3}\[[^\]\n]+\]:[ \t]*\n?[ \t]*)(<[^<>\n]*>|[^\s()<>]+)/gm;

/**
 * The Markdown with every image that is a local file pointed at `place(image)` instead (which copies it and
 * returns the new link, or undefined to keep the old one). Only destinations markdown-it reads as images are touched, and none inside code blocks.
 */
export function rewriteLocalImages(text: string, baseDir: string, place: (image: LocalImage) => string | undefined): string {
  const tokens = parser.parse(text, {});
  const sources = imageSources(tokens, new Set());
  if (sources.size === 0) return text;
  const lineStarts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index + 1)];
  const code = tokens.filter((t) => (t.type === "fence" || t.type === "code_block") && t.map).map((t) => [lineStarts[t.map![0]], lineStarts[t.map![1]] ?? text.length]);
  return text.replace(DESTINATION, (whole, before: string, destination: string, offset: number) => {
    if (code.some(([start, end]) => offset >= start && offset < end)) return whole;
    const raw = destination.startsWith("<") ? destination.slice(1, -1) : destination;
    const src = parser.normalizeLink(raw);
    const image = sources.has(src) ? localImage(src, baseDir) : undefined;
    const link = image && place(image);
    return link ? before + link : whole;
  });
}
