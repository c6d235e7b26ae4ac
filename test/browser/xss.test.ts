// Hostile notebooks exported and opened in Debian's Chromium: no page we write runs any of their code. The sanitizer
// is proven alone (the CSP switched off by the browser) and the CSP alone (unsanitized vectors in our page shell).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import MarkdownIt from "markdown-it";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportCourse } from "../../kernel/course/export/command.ts";
import { CONTENT_SECURITY_POLICY } from "../../kernel/course/export/csp.ts";
import { document } from "../../kernel/course/export/layout.ts";
import { renderOutputs } from "../../kernel/course/export/output-html.ts";
import { sanitizeHtml } from "../../kernel/course/export/sanitize.ts";
import { parseNotebook } from "../../kernel/course/notebook/read.ts";
import type { CodeCell, Output } from "../../kernel/course/notebook/types.ts";
import { code, display, error, markdown, notebook, PNG, result, stream } from "../export/fixture.ts";
import { ANSI_VECTORS, HOSTILE_ATTACHMENT_NAMES, HTML_VECTORS, MARKDOWN_VECTORS, SVG_ATTACHMENT, SVG_VECTORS } from "../export/xss-vectors.ts";
import { launchChromium } from "../support/browser.ts";
import { requireOrSkip, run } from "../support/jupyter.ts";
import { launcher } from "../support/kernel.ts";

const ready = requireOrSkip("chromium");

/** Every way a payload can announce itself: alert and friends, in the page and in any frame. */
const RECORDER = `(() => {
  const ran = (what) => { try { (top.__ran ??= []).push(what + " in " + location.href.slice(0, 80)); } catch { (window.__ran ??= []).push(what); } };
  for (const name of ["alert", "confirm", "prompt", "print"]) window[name] = (...args) => ran(name + "(" + args.join(",") + ")");
  window.__violations = [];
  document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective));
})()`;

/** The vectors in every output type, as saved in a notebook (text in line lists). */
function hostileOutputs(): unknown[] {
  const outputs = [
    ...HTML_VECTORS.map((v) => display({ "text/html": v, "text/plain": "html" })),
    ...SVG_VECTORS.map((v) => display({ "image/svg+xml": v, "text/plain": "svg" })),
    ...MARKDOWN_VECTORS.map((v) => display({ "text/markdown": v, "text/plain": "markdown" })),
    ...HTML_VECTORS.slice(0, 20).map((v, i) => result(i + 1, { "text/html": v, "text/plain": "result" })),
    stream("stdout", HTML_VECTORS.join("\n")),
    stream("stderr", ANSI_VECTORS.join("\n")),
    error("Error", ANSI_VECTORS[0], [...ANSI_VECTORS]),
    error("Error", "<img src=x onerror=alert(1)>", ["\u001b[0;31m<script>alert(1)</script>\u001b[0m", "<img src=x onerror=alert(1)>"]),
    display({ "image/png": `${PNG}" onerror="alert(1)` }),
    display({ "image/png": PNG, "text/plain": `"><img src=x onerror=alert(1)>` }, { "image/png": { width: '1" onerror="alert(1)' } }),
  ];
  return outputs;
}

/** The outputs as the notebook reader gives them to a report. */
function readOutputs(): Output[] {
  const nb = parseNotebook(JSON.stringify(notebook([code("x", hostileOutputs() as never, [], 1)])));
  return (nb.cells[0] as CodeCell).outputs;
}

/** A course whose every part is hostile: title, lesson file name, markdown, attachments, raw cells and outputs. */
function writeHostileCourse(dir: string): string {
  const folder = join(dir, "hostile");
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "course.json"), JSON.stringify({ title: "<img src=x onerror=alert(1)> Course", description: "<script>alert(1)</script>" }));
  const attachments = Object.fromEntries([
    ...HOSTILE_ATTACHMENT_NAMES.map((name) => [name, { "image/png": PNG }]),
    ["evil.svg", { "image/svg+xml": SVG_ATTACHMENT }],
  ]);
  const lessons = {
    "01-outputs.ipynb": notebook([
      // The lesson's own Markdown is harmless, so the Markdown export of its outputs can be judged alone below.
      markdown("# Outputs\n\nEvery output here is hostile."),
      code("hostile()", hostileOutputs() as never, [], 1),
      code("solution()", [display({ "text/html": HTML_VECTORS.join("\n") })], ["solution"], 2),
    ]),
    "02-markdown.ipynb": notebook([
      markdown("# Markdown\n\n" + HTML_VECTORS.join("\n\n")),
      ...MARKDOWN_VECTORS.map((v) => markdown(v)),
      markdown(["Attachments:", ...Object.keys(attachments).map((name) => `![pasted](attachment:${encodeURI(name)})`)].join("\n\n"), [], { attachments }),
      { cell_type: "raw", id: "raw-1", metadata: { format: "text/html" }, source: HTML_VECTORS.join("\n") },
      { cell_type: "raw", id: "raw-2", metadata: { format: "text/markdown" }, source: MARKDOWN_VECTORS.join("\n\n") },
    ]),
    // The file name becomes the lesson's page name, title fallback and links.
    [`03-x"><svg onload=alert(1)>.ipynb`]: notebook([code("1", [display({ "text/html": "<b>fine</b>" })], [], 1)]),
  };
  for (const [name, nb] of Object.entries(lessons)) writeFileSync(join(folder, name), JSON.stringify(nb));
  return folder;
}

/**
 * `looplab grade` of a submission whose exercise prints every vector as HTML, SVG and Markdown (by display(), so
 * the outputs are the kernel's own), handed in under a hostile student name: the report and the class index.
 */
async function gradeHostileSubmission(dir: string, out: string): Promise<void> {
  const source = join(dir, "grading-source");
  mkdirSync(source, { recursive: true });
  const exercise = { ...code("// BEGIN SOLUTION\nconst answer = 1;\n// END SOLUTION", [], [], null), id: "ex-1" };
  const tests = { ...code('import { check } from "looplab";\ncheck("hidden", (t) => t.equal(answer, 1, "answer"));', [], ["hidden-tests"], null), id: "test-1" };
  writeFileSync(join(source, "01-hostile.ipynb"), JSON.stringify(notebook([markdown("**Exercise 1: answer.**"), exercise, tests])));
  const vectors = JSON.stringify({ html: HTML_VECTORS, svg: SVG_VECTORS, markdown: MARKDOWN_VECTORS });
  const hostile = `const v = ${vectors};\nfor (const h of v.html) display.html(h);\nfor (const x of v.svg) display.svg(x);\nfor (const m of v.markdown) display.markdown(m);\nconsole.log(v.html.join("\\n"));\nconst answer = 1;`;
  const submission = notebook([markdown("**Exercise 1: answer.**"), { ...code(hostile, [], [], null), id: "ex-1" }]);
  const student = join(dir, "submissions", "<img src=x onerror=alert(1)>");
  mkdirSync(student, { recursive: true });
  writeFileSync(join(student, "01-hostile.ipynb"), JSON.stringify(submission));
  const graded = await run(process.execPath, [launcher, "grade", join(dir, "submissions"), "--source", source, "--out", out], { timeoutMs: 120_000 });
  if (graded.code !== 0) throw new Error(`looplab grade failed (${graded.code}):\n${graded.stdout}\n${graded.stderr}`);
}

function files(dir: string, extension: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((n) => n.endsWith(extension)).map((n) => join(dir, n)).sort();
}

let dir: string;
let browser: Browser;
/** The CSP switched off: only the sanitizer stands between the vectors and the page. */
let noCsp: BrowserContext;
/** As a student opens the page. */
let normal: BrowserContext;
let pages: string[] = [];
let svgFiles: string[] = [];

beforeAll(async () => {
  if (!ready) return;
  dir = mkdtempSync(join(tmpdir(), "looplab-xss-"));
  const course = writeHostileCourse(dir);
  exportCourse({ inputs: [course], out: join(dir, "site"), format: "html", edition: "both" });
  exportCourse({ inputs: [course], out: join(dir, "md"), format: "md", edition: "both" });
  // The page a grading report builds: the shared page shell around the outputs of a submission.
  writeFileSync(join(dir, "site", "report.html"), document({ title: "Report <script>alert(1)</script>", body: renderOutputs(readOutputs(), "report", {}) }));
  // And the real one: a report and the class index written by `looplab grade`.
  await gradeHostileSubmission(dir, join(dir, "site", "grades"));
  pages = files(join(dir, "site"), ".html");
  svgFiles = files(join(dir, "md", "instructor"), ".svg");
  browser = await launchChromium();
  noCsp = await browser.newContext({ bypassCSP: true });
  normal = await browser.newContext();
  for (const context of [noCsp, normal]) await context.addInitScript(RECORDER);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Visit {
  page: Page;
  ran: string[];
  violations: string[];
  url: string;
}

/** Opens a file, lets timers, animations and failed loads fire, then hovers, focuses and clicks what it can. */
async function visit(context: BrowserContext, file: string, poke = true): Promise<Visit> {
  const page = await context.newPage();
  const href = pathToFileURL(file).href;
  await page.goto(href, { waitUntil: "load" });
  await page.waitForTimeout(250);
  if (poke) {
    await page.evaluate(() => {
      for (const el of Array.from(window.document.querySelectorAll("body *"))) {
        for (const type of ["mouseover", "mouseenter", "pointerover", "focus", "animationstart", "toggle"]) el.dispatchEvent(new Event(type, { bubbles: true }));
        // Links are checked by the URL rule below; a click on one would only navigate away.
        if (!el.closest("a, area, button, [href]")) (el as HTMLElement).click?.();
      }
    });
    await page.waitForTimeout(50);
  }
  const ran = await page.evaluate(() => ((window as unknown as { __ran?: string[] }).__ran ?? []).slice());
  const violations = await page.evaluate(() => ((window as unknown as { __violations?: string[] }).__violations ?? []).slice());
  return { page, ran, violations, url: page.url() };
}

/** Markup that could run code later (a click, a hover): handlers, script-ish elements, script URLs. Read from the live DOM. */
async function liveHazards(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const urlAttributes = ["href", "xlink:href", "src", "action", "formaction", "data", "poster", "background", "srcset", "ping", "codebase", "cite"];
    for (const el of Array.from(window.document.querySelectorAll("*"))) {
      const tag = el.localName;
      if (["script", "iframe", "frame", "object", "embed", "base", "applet", "set", "animate", "handler", "link"].includes(tag) && el.closest("body")) found.push(`<${tag}>`);
      if (tag === "meta" && el.closest("body")) found.push(`<meta ${el.getAttribute("http-equiv") ?? ""}>`);
      for (const attr of Array.from(el.attributes)) {
        if (attr.name.toLowerCase().startsWith("on")) found.push(`${tag} ${attr.name}`);
        if (!urlAttributes.includes(attr.name.toLowerCase())) continue;
        for (const part of attr.name === "srcset" ? attr.value.split(",").map((s) => s.trim().split(/\s+/)[0]) : [attr.value]) {
          let protocol: string;
          try {
            protocol = new URL(part, window.document.baseURI).protocol;
          } catch {
            continue; // not a URL the browser would follow
          }
          const dataImage = protocol === "data:" && ["img", "image"].includes(tag) && /^\s*data:image\//i.test(part);
          if (!["http:", "https:", "mailto:", "file:"].includes(protocol) && !dataImage) found.push(`${tag} ${attr.name}=${part.slice(0, 40)}`);
        }
      }
    }
    return found;
  });
}

describe.skipIf(!ready)("hostile notebooks exported and opened in Chromium", () => {
  it("exports every part of the hostile course: lesson pages of both editions, indexes, landing, a report", () => {
    const names = pages.map((p) => relative(join(dir, "site"), p));
    expect(names).toEqual(expect.arrayContaining(["index.html", "report.html", "student/index.html", "instructor/index.html", "instructor/01-outputs.html", "student/02-markdown.html"]));
    expect(names.some((n) => n.includes("svg onload"))).toBe(true);
    expect(names).toEqual(expect.arrayContaining(["grades/index.html", "grades/_img_src_x_onerror_alert_1_/01-hostile.html"]));
    expect(pages.length).toBe(12);
    expect(svgFiles.length).toBeGreaterThan(SVG_VECTORS.length);
  });

  it("runs no script on any page with the CSP switched off: the sanitizer alone stops every vector", async () => {
    for (const file of pages) {
      const { page, ran, url } = await visit(noCsp, file);
      const name = relative(dir, file);
      expect(ran, name).toEqual([]);
      expect(await liveHazards(page), name).toEqual([]);
      expect(url, `${name} navigated`).toBe(pathToFileURL(file).href);
      await page.close();
    }
  }, 120_000);

  it("carries the CSP on every page, as the first thing in <head> after the charset, and runs no script under it", async () => {
    for (const file of pages) {
      const { page, ran } = await visit(normal, file, false);
      const name = relative(dir, file);
      expect(ran, name).toEqual([]);
      const head = await page.evaluate(() => Array.from(window.document.head.children).slice(0, 2).map((el) => el.outerHTML));
      expect(head[0], name).toBe('<meta charset="utf-8">');
      expect(await page.locator('head > meta[http-equiv="Content-Security-Policy"]').getAttribute("content"), name).toBe(CONTENT_SECURITY_POLICY);
      expect(head[1], name).toContain("Content-Security-Policy");
      await page.close();
    }
  }, 120_000);

  it("shows the hostile markup as harmless content: text escaped, fine output kept", async () => {
    const { page } = await visit(normal, join(dir, "site", "instructor", "01-outputs.html"), false);
    expect(await page.locator("h1").first().textContent()).toContain("Outputs");
    expect(await page.locator(".out-stream").first().textContent()).toContain("<script>alert(1)</script>");
    expect(await page.locator(".out-svg title", { hasText: "hover stays" }).count()).toBe(1);
    await page.close();
    const landing = await visit(normal, join(dir, "site", "index.html"), false);
    expect(await landing.page.locator("h1").textContent()).toBe("<img src=x onerror=alert(1)> Course");
    await landing.page.close();
  });

  it("runs no script in any SVG file the Markdown export writes, opened on its own", async () => {
    for (const file of svgFiles) {
      const { page, ran } = await visit(noCsp, file);
      expect(ran, relative(dir, file)).toEqual([]);
      expect(await liveHazards(page), relative(dir, file)).toEqual([]);
      await page.close();
    }
  }, 120_000);

  it("writes Markdown of hostile outputs that runs no script even in a viewer that does not sanitize", async () => {
    const folder = join(dir, "md", "instructor");
    const text = readFileSync(join(folder, "01-outputs.md"), "utf8");
    // A viewer that renders raw HTML as it is (markdown-it with html on, no sanitizer, no CSP).
    const file = join(folder, "01-outputs.viewer.html");
    writeFileSync(file, `<!doctype html><html><head><meta charset="utf-8"></head><body>${new MarkdownIt({ html: true }).render(text)}</body></html>`);
    const { page, ran } = await visit(noCsp, file);
    expect(ran).toEqual([]);
    expect(await liveHazards(page)).toEqual([]);
    expect(await page.locator("img[src$='.svg']").count()).toBeGreaterThan(SVG_VECTORS.length / 2);
    await page.close();
  });

  it("stops the raw vectors by the CSP alone (nothing sanitized), while our own script file still runs", async () => {
    const shell = join(dir, "csp-only");
    mkdirSync(shell, { recursive: true });
    writeFileSync(join(shell, "own.js"), "window.ownScriptRan = true;\n");
    const body = [...HTML_VECTORS, ...SVG_VECTORS].map((v, i) => `<div id="v${i}">${v}</div>`).join("\n");
    writeFileSync(join(shell, "page.html"), document({ title: "unsanitized", body, scripts: ["own.js"] }));
    const { page, ran, violations, url } = await visit(normal, join(shell, "page.html"));
    expect(ran).toEqual([]);
    expect(url).toBe(pathToFileURL(join(shell, "page.html")).href);
    expect(await page.evaluate(() => (window as unknown as { ownScriptRan?: boolean }).ownScriptRan)).toBe(true);
    // It was the policy that stopped them: the browser reports blocked inline scripts and handlers.
    expect(violations).toContain("script-src-elem");
    expect(violations).toContain("script-src-attr");
    await page.close();
  }, 60_000);

  it("runs no script for generated markup that mixes the parser's hard cases (property-based, one page per 300 samples)", async () => {
    const tag = fc.constantFrom("svg", "math", "style", "textarea", "noscript", "title", "template", "select", "table", "mglyph", "mtext", "foreignObject", "xmp", "iframe", "noembed", "a", "img", "p", "form", "desc", "annotation-xml", "option");
    const piece = fc.oneof(
      tag.map((t) => `<${t}>`),
      tag.map((t) => `</${t}>`),
      fc.constantFrom(`<img src=x onerror=alert(1)>`, `<!--`, `-->`, `<![CDATA[`, `]]>`, `"`, `'`, `<a title="`, `">`, `<svg onload=alert(1)>`, `<style>`, `</style>`, `<a href="javascript:alert(1)">`, `<math><mi>`, `&lt;img src=x onerror=alert(1)&gt;`),
      fc.string({ maxLength: 4 }),
    );
    const sample = fc.array(piece, { minLength: 1, maxLength: 14 }).map((parts) => parts.join(""));
    const samples = fc.sample(sample, { numRuns: 600, seed: 15 });
    for (let start = 0; start < samples.length; start += 300) {
      const body = samples.slice(start, start + 300).map((s, i) => `<div class="out-html" id="s${start + i}">${sanitizeHtml(s)}</div>`).join("\n");
      const file = join(dir, `generated-${start}.html`);
      writeFileSync(file, `<!doctype html><html><head><meta charset="utf-8"></head><body>${body}</body></html>`);
      const { page, ran } = await visit(noCsp, file);
      expect(ran).toEqual([]);
      expect(await liveHazards(page)).toEqual([]);
      await page.close();
    }
  }, 120_000);
});
