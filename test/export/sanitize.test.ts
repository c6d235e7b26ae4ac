// HTML and SVG from cell outputs are inlined into pages students open: nothing in them may run code.
import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { renderOutputs } from "../../kernel/course/export/output-html.ts";
import { sanitizeHtml, sanitizeSvg } from "../../kernel/course/export/sanitize.ts";
import { HTML_VECTORS, SVG_VECTORS } from "./xss-vectors.ts";

describe("sanitizeHtml", () => {
  it.each([
    ['<img src="data:image/png;base64,AAAA" onerror="alert(1)">', '<img src="data:image/png;base64,AAAA">'],
    ["<IMG SRC=x OnLoad=alert(1)>", '<img src="x">'],
    ['<a href="javascript:alert(1)">x</a>', "<a>x</a>"],
    ['<a href="&#106;avascript:alert(1)">x</a>', "<a>x</a>"],
    ['<a href="&#x6A;avascript&colon;alert(1)">x</a>', "<a>x</a>"],
    ['<a href="java\tscript:alert(1)">x</a>', "<a>x</a>"],
    ['<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "<a>x</a>"],
    ['<a href="https://example.org/a?b=1">x</a>', '<a href="https://example.org/a?b=1">x</a>'],
    ["<p>a<script>alert(1)</script>b</p>", "<p>ab</p>"],
    ["<p>a<SCRIPT type=module>alert(1)</SCRIPT >b</p>", "<p>ab</p>"],
    ['<iframe srcdoc="<script>alert(1)</script>"></iframe>ok', "ok"],
    ['<object data="evil.swf"><embed src="evil.swf"></object>ok', "ok"],
    ["<!--[if IE]><script>alert(1)</script><![endif]-->ok", "ok"],
    // Animation elements can set any attribute (href, onload) later: none is allowed.
    ['<svg><animate attributeName="href" to="javascript:alert(1)"/><set attributeName="onload" to="alert(1)"/></svg>', "<svg></svg>"],
    // The two vectors: the parser ends a textarea where Chromium does, and <img> leaves SVG's foreign content.
    ['<textarea><img title="</textarea><img src=x onerror=alert(1)>"></textarea>', '<textarea>&lt;img title="</textarea><img src="x">"&gt;'],
    ["<svg><style><img src=x onerror=alert(1)></style></svg>", '<svg><style></style></svg><img src="x">'],
    ['<svg><use href="data:image/svg+xml,&lt;svg id=x>&lt;/svg>#x"/><use href="#ok"/></svg>', '<svg><use></use><use href="#ok"></use></svg>'],
    ["<style>@import url(http://evil/x.css); .a { color: red }</style>", "<style> .a { color: red }</style>"],
    ['<div style="background: url(http://evil/x.png)">x</div>', '<div style="background: none">x</div>'],
    // A tag the input never closes is no tag to the browser either.
    ["<img src=x onerror=alert(1)//", ""],
    ["1 < 2 and 3 > 2", "1 &lt; 2 and 3 &gt; 2"],
    // "images" would shadow document.images: dropped unless prefixed; names that shadow document methods too.
    ['<h2 id="images">x</h2><img name="getElementById" src="a.png">', '<h2>x</h2><img src="a.png">'],
    ["<base href=http://evil/><p>x</p>", "<p>x</p>"],
  ])("%s", (input, output) => {
    expect(sanitizeHtml(input)).toBe(output);
  });
});

describe("sanitizeSvg", () => {
  const svg = `<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg"><defs><clipPath id="c"><rect width="9" height="9"/></clipPath></defs>
<rect clip-path="url(#c)" onclick="alert(1)"/><use href="#c"/><script>alert(1)</script></svg>`;

  it("drops the prolog, scripts and handlers, and prefixes ids with their references", () => {
    const clean = sanitizeSvg(svg, "p1-");
    expect(clean.startsWith("<svg")).toBe(true);
    expect(clean).not.toMatch(/script|onclick|<\?xml/);
    expect(clean).toContain('<clipPath id="p1-c">');
    expect(clean).toContain('clip-path="url(#p1-c)"');
    expect(clean).toContain('<use href="#p1-c"></use>');
  });

  it("gives the same chart different ids each time it is inlined", () => {
    expect(sanitizeSvg(svg, "a-")).toContain('id="a-c"');
    expect(sanitizeSvg(svg, "b-")).toContain('id="b-c"');
    expect(sanitizeSvg(svg, "b-")).not.toContain("a-c");
  });

  it("keeps a chart's <title> hovers and <style>, its references prefixed", () => {
    const chart = `<svg xmlns="http://www.w3.org/2000/svg"><style>.bar { fill: url(#g) }</style><linearGradient id="g"/><rect class="bar"><title>fetch 1: 0-300 ms</title></rect></svg>`;
    const clean = sanitizeSvg(chart, "q-");
    expect(clean).toContain("<style>.bar { fill: url(#q-g) }</style>");
    expect(clean).toContain('<linearGradient id="q-g">');
    expect(clean).toContain("<title>fetch 1: 0-300 ms</title>");
  });

  it("refuses an id prefix that could leave the attribute", () => {
    expect(() => sanitizeSvg(svg, '"><img src=x onerror=alert(1)>')).toThrow(/id prefix/);
    expect(() => sanitizeHtml("<p id=a></p>", { idPrefix: "a b" })).toThrow(/id prefix/);
  });
});

describe("the corpus of vectors", () => {
  const { window } = new JSDOM("");
  /** Active markup in `html` once parsed where a page puts it (inside a <div>), as a spec-compliant parser sees it. */
  function hazards(html: string): string[] {
    const div = window.document.createElement("div");
    div.innerHTML = html;
    const found: string[] = [];
    for (const el of Array.from(div.querySelectorAll("*"))) {
      if (["script", "iframe", "object", "embed", "base", "meta", "link", "frame", "set", "animate"].includes(el.localName)) found.push(el.localName);
      for (const attr of Array.from(el.attributes)) {
        if (/^on/i.test(attr.name)) found.push(`${el.localName} ${attr.name}`);
        if (/href|src|action|data/i.test(attr.name) && /^\s*(javascript|vbscript|data:(?!image\/))/i.test(attr.value.replace(/[\u0000-\u0020]/g, ""))) found.push(`${el.localName} ${attr.name}`);
      }
    }
    return found;
  }

  // Mutation XSS lives in the difference between a sanitizer's tree and a later parse of its output: parsed
  // again, and sanitized again and parsed, the output must hold nothing active.
  it.each([...HTML_VECTORS, ...SVG_VECTORS].map((v) => [v]))("stays inert when parsed again: %s", (vector) => {
    const once = sanitizeHtml(vector);
    expect(hazards(once)).toEqual([]);
    expect(hazards(sanitizeHtml(once))).toEqual([]);
  });

  it("finds the hazards it looks for (the check can fail)", () => {
    expect(hazards(HTML_VECTORS.slice(0, 20).join(""))).not.toEqual([]);
  });
});

describe("outputs in a page", () => {
  it("keeps a hostile cell key out of the markup (a report may key outputs by a student's name)", () => {
    const html = renderOutputs([{ output_type: "display_data", data: { "image/svg+xml": '<svg><rect id="r"/></svg>' }, metadata: {} }], '"><img src=x onerror=alert(1)>', {});
    expect(html).not.toContain("<img");
    expect(html).toMatch(/id="_+img_src_x_onerror_alert_1__-o0-r"/);
  });
});

describe("image outputs", () => {
  it("leaves out image data that is not base64 instead of writing it into an attribute", () => {
    const html = renderOutputs([{ output_type: "display_data", data: { "image/png": 'AAAA" onerror="alert(1)' }, metadata: {} }], "c1", {});
    expect(html).not.toContain("onerror");
    expect(html).toContain("not valid base64");
  });
});
