// The policy for HTML, SVG and MathML from notebooks inlined into pages we write; DOMPurify enforces it.
// Why DOMPurify over jsdom and not sanitize-html: jsdom parses with parse5, the HTML standard's tree builder that
// Chromium follows, so foreign content (<svg><style><img ...>) and RCDATA (<textarea>) come out as the browser
// sees them. sanitize-html's htmlparser2 keeps an SVG <style>'s text raw, and with <style> allowed (charts use it)
// it writes `<svg><style><img src=x onerror=...>` back out unchanged, which Chromium turns into a live <img>.
// jsdom 26 rather than 29: the same parser (parse5 8 changed packaging, not tree building), but 27-29 load CSS and fetch
// machinery we never use: a `looplab export` took 1.4 s of CPU with 29 and 1.0 s with 26 (0.3 s before).
import { createRequire } from "node:module";
import createDOMPurify, { type Config, type DOMPurify } from "dompurify";
import type { JSDOM } from "jsdom";

export interface SanitizeOptions {
  /** Prefix for every id (and `#id` reference), so several inlined SVGs on one page never share ids. */
  idPrefix?: string;
}

/**
 * Schemes a link or image may use; relative and `#fragment` URLs pass. DOMPurify still allows `data:` images on
 * the elements that only display them (img, SVG image), never on links, use or anything that navigates.
 */
const SAFE_URL = /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.:-]|$))/i;

const POLICY: Config = {
  // Notebook output: tables, formatted text, images, links, inline SVG charts (with <style> and <title> hovers),
  // SVG filters and MathML. Scripts, frames, objects, forms' actions and every event handler stay out.
  USE_PROFILES: { html: true, svg: true, svgFilters: true, mathMl: true },
  ADD_TAGS: ["use"],
  FORBID_TAGS: ["form", "base", "meta", "link"],
  FORBID_ATTR: ["action", "formaction", "srcdoc", "ping"],
  ALLOWED_URI_REGEXP: SAFE_URL,
  // A fragment that begins with <style> would otherwise be parsed into <head> and lost.
  FORCE_BODY: true,
};

/** Attributes whose value is a list of ids on the same page. */
const ID_LIST_ATTRIBUTES = new Set(["for", "headers", "list", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "aria-activedescendant"]);

function safeCss(css: string): string {
  // No remote loads (a page must work offline, and a report must not tell anyone it was opened) and no legacy
  // script hooks. Our policy for style text, not a defence: the sanitizer and the CSP are that.
  return css
    .replace(/@import[^;]*;?/gi, "")
    .replace(/expression\s*\(/gi, "x(")
    .replace(/url\(\s*(['"]?)(?!#|data:image\/)[^)]*\)/gi, "none")
    .replace(/behavior\s*:/gi, "x:");
}

function prefixRefs(value: string, prefix: string): string {
  return value.replace(/url\(\s*(['"]?)#/g, (_m, quote: string) => `url(${quote}#${prefix}`);
}

/** Only word characters and dashes reach an id: a prefix is spliced into attribute values after sanitising. */
function checkedPrefix(prefix: string): string {
  if (!/^[\w-]*$/.test(prefix)) throw new Error(`id prefix ${JSON.stringify(prefix)} has characters other than letters, digits, _ and -`);
  return prefix;
}

interface Purifier {
  purify: DOMPurify;
  window: JSDOM["window"];
  /** A form's own properties can be shadowed by its fields' names, as the document's can by ids. */
  form: HTMLFormElement;
}

let purifier: Purifier | undefined;
/** Set around one sanitize() call; the hooks read it (DOMPurify's hooks take no per-call arguments). */
let currentPrefix = "";

/** The purifier is made on first use: jsdom costs 100-300 ms to load, which exports with no HTML never pay. */
function instance(): Purifier {
  if (purifier) return purifier;
  const { JSDOM: Dom } = createRequire(import.meta.url)("jsdom") as typeof import("jsdom");
  const { window } = new Dom("");
  const purify = createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]);
  purify.addHook("uponSanitizeAttribute", (node, data) => {
    const name = data.attrName;
    // <use> may only repeat a shape of the same chart: an outside or data: document could bring its own markup.
    if (node.nodeName.toLowerCase() === "use" && (name === "href" || name === "xlink:href") && !data.attrValue.startsWith("#")) {
      data.keepAttr = false;
      return;
    }
    if (name === "style") data.attrValue = safeCss(data.attrValue);
    if (!currentPrefix) return;
    // A prefixed id can no longer name a document property, so DOMPurify's clobbering check passes it.
    if (name === "id") {
      data.attrValue = currentPrefix + data.attrValue;
    } else if (ID_LIST_ATTRIBUTES.has(name)) {
      data.attrValue = data.attrValue.trim().split(/\s+/).map((id) => currentPrefix + id).join(" ");
    } else if ((name === "href" || name === "xlink:href") && data.attrValue.startsWith("#")) {
      data.attrValue = `#${currentPrefix}${data.attrValue.slice(1)}`;
    } else if (data.attrValue.includes("url(")) {
      data.attrValue = prefixRefs(data.attrValue, currentPrefix);
    }
  });
  purify.addHook("afterSanitizeElements", (node) => {
    if (node.nodeName.toLowerCase() !== "style" || !node.textContent) return;
    const css = safeCss(node.textContent);
    node.textContent = currentPrefix ? prefixRefs(css, currentPrefix) : css;
  });
  // Set once: given per call, DOMPurify would rebuild its allowlists on every sanitize().
  purify.setConfig(POLICY);
  purifier = { purify, window, form: window.document.createElement("form") };
  return purifier;
}

function purify(input: string, prefix: string): string {
  const { purify } = instance();
  currentPrefix = prefix;
  try {
    return purify.sanitize(input);
  } finally {
    currentPrefix = "";
  }
}

/** Sanitises an HTML, SVG or MathML fragment for inlining into a page: markup the policy allows, text escaped. */
export function sanitizeHtml(input: string, options: SanitizeOptions = {}): string {
  return purify(input, checkedPrefix(options.idPrefix ?? ""));
}

/**
 * Whether an id would name a property of `document` or of a form, so that a script reading `document.images`
 * would find an element instead (DOM clobbering; DOMPurify drops such ids unless they are prefixed).
 */
export function clobbers(id: string): boolean {
  const { window, form } = instance();
  return id in window.document || id in form;
}

/** The same chart is often shown twice (live display, then as the cell's result): sanitise it once. */
const svgCache = new Map<string, string>();
/** Stands in for the prefix in cached charts; the parser turns any NUL of the input into U+FFFD, so it is ours. */
const PREFIX_MARK = "\u0000id\u0000";

/** An SVG document made safe to inline: sanitised, ids prefixed, no XML prolog. */
export function sanitizeSvg(svg: string, idPrefix: string): string {
  let clean = svgCache.get(svg);
  if (clean === undefined) {
    clean = purify(svg.replaceAll("\u0000", ""), PREFIX_MARK).trim();
    if (svgCache.size > 500) svgCache.clear();
    svgCache.set(svg, clean);
  }
  return clean.replaceAll(PREFIX_MARK, checkedPrefix(idPrefix));
}

const fileCache = new Map<string, string>();

/** An SVG file to write beside a Markdown export: sanitised like an inlined chart, serialised as XML. */
export function sanitizeSvgFile(svg: string): string {
  let clean = fileCache.get(svg);
  if (clean !== undefined) return clean;
  const { window } = instance();
  // Sanitised as it would be inlined, then parsed once more to be written as XML (a file is read by an XML parser).
  const template = window.document.createElement("template");
  template.innerHTML = purify(svg.replaceAll("\u0000", ""), "");
  const root = [...template.content.children].find((child) => child.localName === "svg");
  clean = root ? new window.XMLSerializer().serializeToString(root) + "\n" : `<svg xmlns="http://www.w3.org/2000/svg"/>\n`;
  if (fileCache.size > 500) fileCache.clear();
  fileCache.set(svg, clean);
  return clean;
}
