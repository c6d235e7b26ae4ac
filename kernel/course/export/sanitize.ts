// Makes HTML and SVG from notebooks safe to inline in a page: no scripts, no event handlers, no javascript: URLs.
// A course page is opened from disk by students; output produced by arbitrary cells must not run code there.

/** Elements dropped together with everything inside them. */
const DROP_WITH_CONTENT = new Set(["script", "iframe", "object", "embed", "frame", "frameset", "applet", "noscript", "template", "noembed"]);
/** Elements dropped while their content stays (as text or children). */
const DROP_TAG = new Set(["base", "meta", "link", "html", "head", "body", "form", "title"]);
/** Attributes that hold URLs and therefore need a scheme check. */
const URL_ATTRIBUTES = new Set(["href", "src", "xlink:href", "action", "formaction", "poster", "background", "srcset", "data"]);

const TAG = /<(\/?)([a-zA-Z][\w:.-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/y;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const COMMENT = /<!--[\s\S]*?(?:-->|$)/y;
const DECLARATION = /<[!?][^>]*>?/y;

export interface SanitizeOptions {
  /** Prefix for every id (and `#id` reference), so several inlined SVGs on one page never share ids. */
  idPrefix?: string;
}

/** Decodes character references well enough to see through `&#106;avascript:` tricks. */
function decodeEntities(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16) % 0x110000))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Number(dec) % 0x110000))
    .replace(/&colon;/gi, ":")
    .replace(/&tab;|&newline;/gi, "")
    .replace(/&amp;/gi, "&");
}

function hasScriptScheme(value: string): boolean {
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:").
  const compact = decodeEntities(value).replace(/[\u0000-\u0020\u007f-\u009f]/g, "").toLowerCase();
  return /(?:javascript|vbscript|livescript):/.test(compact) || compact.includes("expression(");
}

function safeUrl(name: string, value: string): boolean {
  const compact = decodeEntities(value).replace(/[\u0000-\u0020\u007f-\u009f]/g, "").toLowerCase();
  if (compact.startsWith("data:")) {
    // Images are inert inside <img>/<image>; any other data URL (text/html, ...) could be navigated to.
    return (name === "src" || name === "href" || name === "xlink:href") && /^data:image\/(png|jpe?g|gif|webp|svg\+xml)[;,]/.test(compact);
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(compact);
  return !scheme || ["http", "https", "mailto"].includes(scheme[1]);
}

function safeCss(css: string): string {
  // No remote loads (the page must work offline) and no legacy script hooks.
  return css
    .replace(/@import[^;]*;?/gi, "")
    .replace(/expression\s*\(/gi, "x(")
    .replace(/url\(\s*(['"]?)(?!#|data:image\/)[^)]*\)/gi, "none")
    .replace(/behavior\s*:/gi, "x:");
}

function prefixRefs(value: string, prefix: string): string {
  return value.replace(/url\(\s*(['"]?)#/g, (_m, quote: string) => `url(${quote}#${prefix}`);
}

function cleanAttributes(source: string, options: SanitizeOptions): string {
  let out = "";
  for (const match of source.matchAll(ATTRIBUTE)) {
    const name = match[1];
    const lower = name.toLowerCase();
    let value = match[2] ?? match[3] ?? match[4];
    if (lower.startsWith("on") || lower === "formaction" || lower === "srcdoc") continue;
    if (value !== undefined) {
      // A value without ":", "&" or "(" cannot name a scheme or call anything: most SVG attributes (x, y,
      // width, fill="#abc") take this fast path, which keeps big timelines cheap to sanitise.
      const plain = !/[:&(]/.test(value);
      if (!plain && hasScriptScheme(value)) continue;
      if (URL_ATTRIBUTES.has(lower) && !safeUrl(lower, value)) continue;
      if (lower === "style") value = safeCss(plain ? value : decodeEntities(value));
      if (options.idPrefix) {
        if (lower === "id") value = options.idPrefix + value;
        else if ((lower === "href" || lower === "xlink:href") && value.startsWith("#")) value = "#" + options.idPrefix + value.slice(1);
        else if (!plain) value = prefixRefs(value, options.idPrefix);
      }
      out += ` ${name}="${value.replace(/"/g, "&quot;")}"`;
    } else {
      out += ` ${name}`;
    }
  }
  return out;
}

/** Sanitises an HTML or SVG fragment; text is kept, unknown `<` are escaped, dangerous parts removed. */
export function sanitizeHtml(input: string, options: SanitizeOptions = {}): string {
  let out = "";
  let i = 0;
  let text = 0; // start of pending plain text
  while (i < input.length) {
    const lt = input.indexOf("<", i);
    if (lt < 0) break;
    out += input.slice(text, lt);
    COMMENT.lastIndex = lt;
    TAG.lastIndex = lt;
    DECLARATION.lastIndex = lt;
    const comment = COMMENT.exec(input);
    if (comment) {
      i = text = lt + comment[0].length; // comments are dropped: IE conditional comments could hide markup
      continue;
    }
    const tag = TAG.exec(input);
    if (tag) {
      const [whole, closing, rawName, attributes, selfClosing] = tag;
      const name = rawName.toLowerCase();
      i = text = lt + whole.length;
      if (DROP_WITH_CONTENT.has(name)) {
        if (!closing && !selfClosing) {
          const end = new RegExp(`</${name}\\s*>`, "ig");
          end.lastIndex = i;
          const found = end.exec(input);
          i = text = found ? found.index + found[0].length : input.length;
        }
        continue;
      }
      if (DROP_TAG.has(name)) continue;
      if (name === "style") {
        if (!closing && !selfClosing) {
          // Style text runs to </style>; copy it through the CSS filter rather than the tag scanner.
          const end = input.toLowerCase().indexOf("</style", i);
          const css = input.slice(i, end < 0 ? input.length : end);
          out += `<style>${safeCss(css)}</style>`;
          const close = end < 0 ? input.length : input.indexOf(">", end) + 1 || input.length;
          i = text = close;
        }
        continue;
      }
      out += closing ? `</${rawName}>` : `<${rawName}${cleanAttributes(attributes, options)}${selfClosing ? " /" : ""}>`;
      continue;
    }
    const declaration = DECLARATION.exec(input);
    if (declaration) {
      // <?xml ...?> and <!DOCTYPE ...> mean nothing inside a page; CDATA sections are kept as text.
      const cdata = /^<!\[CDATA\[([\s\S]*?)\]\]>/.exec(input.slice(lt));
      if (cdata) {
        out += cdata[1].replace(/&/g, "&amp;").replace(/</g, "&lt;");
        i = text = lt + cdata[0].length;
      } else {
        i = text = lt + declaration[0].length;
      }
      continue;
    }
    out += "&lt;";
    i = text = lt + 1;
  }
  return out + input.slice(text);
}

/** The same chart is often shown twice (live display, then as the cell's result): sanitise it once. */
const svgCache = new Map<string, string>();
const PREFIX_MARK = "\u0000id\u0000";

/** An SVG document made safe to inline: sanitised, ids prefixed, no XML prolog. */
export function sanitizeSvg(svg: string, idPrefix: string): string {
  let clean = svgCache.get(svg);
  if (clean === undefined) {
    // Sanitised once with a marker where the prefix goes; the marker cannot survive from the input
    // because NUL characters are not allowed in attribute values we emit.
    clean = sanitizeHtml(svg.replaceAll("\u0000", ""), { idPrefix: PREFIX_MARK }).trim();
    if (svgCache.size > 500) svgCache.clear();
    svgCache.set(svg, clean);
  }
  return clean.replaceAll(PREFIX_MARK, idPrefix);
}
