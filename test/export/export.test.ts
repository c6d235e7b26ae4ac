// `looplab export`: the course site, editions, tags, every output type, Markdown and hand-out notebooks.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportCourse } from "../../kernel/course/export/command.ts";
import { schemaErrors, schemaMissing } from "./schema.ts";
import { exportCli } from "./export-cli.ts";
import { markdown, notebook, PNG, writeCourse } from "./fixture.ts";

let dir: string;
let notebooks: string;
const read = (...parts: string[]) => readFileSync(join(dir, ...parts), "utf8");

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "looplab-export-"));
  notebooks = writeCourse(dir);
  exportCourse({ inputs: [notebooks], out: join(dir, "site"), format: "html", edition: "both" });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the command the way the CLI does and returns its exit code and what it printed. */
const cli = (...argv: string[]) => exportCli(argv);

describe("html site with both editions", () => {
  it("writes a landing page and a complete site per edition", () => {
    const files = ["01-why-async.html", "01-why-async.ipynb", "02-tasks.html", "02-tasks.ipynb", "03-queues.html", "03-queues.ipynb", "index.html", "search-index.js", "search.js"];
    for (const edition of ["student", "instructor"]) expect(readdirSync(join(dir, "site", edition)).sort()).toEqual(files);
    const landing = read("site", "index.html");
    expect(landing).toContain('href="student/index.html"');
    expect(landing).toContain('href="instructor/index.html"');
    expect(landing).toContain("<h1>Async TypeScript</h1>");
    expect(landing).toContain("Concurrency you can see.");
  });

  it("lists one card per lesson in file order, titled by its first heading with its first paragraph", () => {
    const index = read("site", "student", "index.html");
    const titles = [...index.matchAll(/<span class="card-title">([^<]*)<\/span>/g)].map((m) => m[1]);
    expect(titles).toEqual(["Why async?", "Tasks and gather", "Queues"]);
    expect(index).toContain("Three downloads, one after another and then all at once.");
    // The heading of lesson 3 follows an intro paragraph: the summary is the paragraph after the heading.
    expect(index).toContain("Producers and consumers share a queue.");
  });

  it("makes pages self-contained: inline CSS, only the search scripts beside them, no network references", () => {
    for (const page of ["index.html", "01-why-async.html", "02-tasks.html"]) {
      const text = read("site", "instructor", page);
      expect(text).toContain("<style>");
      // Script only from files beside the page, never inline (the CSP forbids inline script).
      expect([...text.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0])).toEqual(['<script src="search-index.js" defer>', '<script src="search.js" defer>']);
      expect(text).not.toMatch(/<script[^>]*>[^<]/i);
      expect(text).not.toMatch(/<link\b/i);
      expect(text).not.toMatch(/(src|href)="(https?:)?\/\//i);
      expect(text).toContain("(prefers-color-scheme: dark)");
      expect(text).toContain("@media print");
    }
  });

  it("links lessons with previous and next", () => {
    const first = read("site", "student", "01-why-async.html");
    const second = read("site", "student", "02-tasks.html");
    const last = read("site", "student", "03-queues.html");
    expect(first).not.toContain('rel="prev"');
    expect(first).toMatch(/rel="next" href="02-tasks.html"/);
    expect(second).toMatch(/rel="prev" href="01-why-async.html"/);
    expect(second).toMatch(/rel="next" href="03-queues.html"/);
    expect(last).not.toContain('rel="next"');
    // The instructor's pages link their student twins; the student folder links nothing outside itself.
    expect(read("site", "instructor", "02-tasks.html")).toContain('href="../student/02-tasks.html"');
    for (const page of readdirSync(join(dir, "site", "student"))) expect(read("site", "student", page), page).not.toMatch(/\.\.\//);
  });
});

describe("outputs", () => {
  it("inlines SVG displays, sanitised, with ids made unique", () => {
    const page = read("site", "instructor", "01-why-async.html");
    const svg = /<div class="out-svg">([\s\S]*?)<\/svg>/.exec(page)?.[1] ?? "";
    expect(svg).toContain("<svg");
    expect(svg).toContain("download-2");
    expect(svg).not.toMatch(/<script|onclick|javascript:|<\?xml/i);
    const id = /<linearGradient id="([^"]+)"/.exec(svg)?.[1];
    expect(id).toMatch(/^c.+-bar$/);
    expect(svg).toContain(`fill="url(#${id})"`);
    // Displayed live and returned as the cell's value: drawn once.
    expect(page.match(/<div class="out-svg">/g)).toHaveLength(1);
    expect(page).not.toContain("Out[4]");
  });

  it("merges stream chunks and styles stderr apart from stdout", () => {
    const page = read("site", "instructor", "01-why-async.html");
    expect(page).toContain('<pre class="out-stream out-stdout">starting\ndone\n</pre>');
    expect(page).toContain('<pre class="out-stream out-stderr">careful\n</pre>');
  });

  it("labels execute results with Out[n]", () => {
    expect(read("site", "instructor", "01-why-async.html")).toMatch(/Out\[5\]<\/span><pre class="out-text">2<\/pre>/);
  });

  it("turns ANSI tracebacks into coloured HTML", () => {
    const page = read("site", "instructor", "01-why-async.html");
    const error = /<pre class="out-error"[^>]*>([\s\S]*?)<\/pre>/.exec(page)?.[1] ?? "";
    expect(error).toContain('<span class="ansi-red-fg">Error</span>: boom');
    expect(error).toContain('<span class="ansi-green-fg">Cell In[6], line 1</span>');
    expect(error).not.toContain("\u001b");
  });

  it("renders HTML, Markdown, JSON, PNG and JPEG displays", () => {
    const page = read("site", "instructor", "02-tasks.html");
    expect(page).toMatch(/<div class="out-html"><em>rich<\/em> <img src="data:image\/png;base64,[^"]+">/);
    expect(page).not.toContain("onerror");
    expect(page).toContain("<strong>markdown output</strong>");
    const json = /<pre class="out-json"><code class="hljs language-json">([\s\S]*?)<\/code>/.exec(page)?.[1] ?? "";
    expect(json.replace(/<[^>]+>/g, "")).toBe('{\n  &quot;answer&quot;: 42,\n  &quot;list&quot;: [\n    1,\n    2\n  ]\n}');
    expect(json).toContain('<span class="hljs-attr">&quot;answer&quot;</span>');
    expect(page).toMatch(/<img src="data:image\/png;base64,iVBOR[^"]*" width="24" height="24" alt="a red dot">/);
    expect(page).toContain('src="data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ=="');
  });

  it("renders markdown with GFM tables, lesson links and safe raw HTML", () => {
    const page = read("site", "instructor", "01-why-async.html");
    expect(page).toMatch(/<table>\s*<thead>\s*<tr>\s*<th>task<\/th>/);
    expect(page).toContain('<a href="02-tasks.html">the next lesson</a>');
    expect(page).toContain("<b>bold html</b>");
    expect(page).not.toContain("alert(");
    expect(page).toContain('<h1 id="why-async">Why async?</h1>');
  });

  it("lists every lesson in the sidebar, and the current lesson's sections under it", () => {
    const page = read("site", "instructor", "01-why-async.html");
    const sidebar = /<aside class="sidebar"[\s\S]*?<\/aside>/.exec(page)?.[0] ?? "";
    expect([...sidebar.matchAll(/<a href="(\d[^"]+)"/g)].map((m) => m[1])).toEqual(["01-why-async.html", "02-tasks.html", "03-queues.html"]);
    expect(sidebar).toContain('<a href="01-why-async.html" aria-current="page">');
    const sections = /<ol class="sidebar-sections">[\s\S]*?<\/ol>/.exec(sidebar)?.[0] ?? "";
    expect([...sections.matchAll(/href="#([^"]+)">([^<]+)</g)].map((m) => [m[1], m[2]])).toEqual([
      ["one-after-another", "One after another"],
      ["all-at-once", "All at once"],
    ]);
    expect(page).toContain('<h2 id="one-after-another">One after another</h2>');
  });

  it("inlines pasted attachments and local images, so pages need no files beside them", () => {
    const page = read("site", "student", "03-queues.html");
    expect(page).toContain(`<img src="data:image/png;base64,${PNG}" alt="dot"`);
    expect(page).toMatch(/<img src="data:image\/svg\+xml;base64,[^"]+" alt="diagram"/);
  });

  it("highlights TypeScript", () => {
    expect(read("site", "instructor", "01-why-async.html")).toContain('<span class="hljs-keyword">const</span> started');
  });
});

describe("tags and editions", () => {
  it("honours remove-cell, remove-input, remove-output", () => {
    const page = read("site", "instructor", "02-tasks.html");
    expect(page).not.toContain("setup only");
    expect(page).toContain("removed-input-output");
    expect(page).not.toContain("removedInputMarker");
    expect(page).toContain("removed output marker");
    expect(page).not.toContain("removed-output-text");
  });

  it("collapses hide-input and hide-output into details", () => {
    const page = read("site", "instructor", "02-tasks.html");
    expect(page).toMatch(/<details class="toggle"><summary>Show code<\/summary><div class="cell-input">[\s\S]*?hiddenInput[\s\S]*?<\/details><div class="cell-outputs">[\s\S]*?hidden-input-result/);
    expect(page).toMatch(/<details class="toggle"><summary>Show output<\/summary><div class="cell-outputs"><pre class="out-stream out-stdout">hidden-output-text/);
  });

  it("keeps solutions for instructors and leaves empty exercises for students", () => {
    const instructor = read("site", "instructor", "02-tasks.html");
    const student = read("site", "student", "02-tasks.html");
    expect(instructor).toContain("solutionMarker");
    expect(instructor).toContain("solution-output-text");
    expect(instructor).toContain("badge-solution");
    expect(student).not.toContain("solutionMarker");
    expect(student).not.toContain("solution-output-text");
    expect(student).toMatch(/<section class="cell code-cell exercise"[\s\S]*?Your solution here/);
    // Everything else is the same in both editions.
    expect(student).toContain("hidden-output-text");
  });

  it("writes one edition straight into --out", async () => {
    const out = join(dir, "student-only");
    const { code, stdout } = await cli(notebooks, "--out", out, "--edition", "student");
    expect(code).toBe(0);
    expect(stdout).toMatch(/exported 3 lessons \(html, student\)/);
    expect(readdirSync(out).sort()).toEqual(["01-why-async.html", "01-why-async.ipynb", "02-tasks.html", "02-tasks.ipynb", "03-queues.html", "03-queues.ipynb", "index.html", "search-index.js", "search.js"]);
    expect(readFileSync(join(out, "index.html"), "utf8")).not.toContain("../instructor");
  });
});

describe("markdown format", () => {
  it("writes Markdown with outputs and SVGs as files beside it", async () => {
    const out = join(dir, "md");
    expect((await cli(notebooks, "--out", out, "--format", "md")).code).toBe(0);
    const text = readFileSync(join(out, "01-why-async.md"), "utf8");
    expect(text).toContain("# Why async?");
    expect(text).toContain("```typescript\nconsole.log('starting');");
    expect(text).toContain("```text\nstarting\ndone\n```");
    expect(text).not.toContain("\u001b");
    const image = /!\[output\]\((01-why-async_files\/[^)]+\.svg)\)/.exec(text)?.[1];
    expect(image).toBeDefined();
    const svg = readFileSync(join(out, decodeURIComponent(image!)), "utf8");
    expect(svg).toContain("download-3");
    expect(svg).not.toContain("<script");
    expect(readFileSync(join(out, "02-tasks.md"), "utf8")).toContain("<details>\n<summary>Show code</summary>");
    expect(readFileSync(join(out, "index.md"), "utf8")).toContain("1. [Why async?](01-why-async.md)");
  });

  it("copies images the lessons take from their folder into <lesson>_files/ and points the links there", async () => {
    const out = join(dir, "md-images");
    expect((await cli(notebooks, "--out", out, "--format", "md")).code).toBe(0);
    const text = readFileSync(join(out, "03-queues.md"), "utf8");
    expect(text).toContain("from disk: ![diagram](03-queues_files/diagram.svg)");
    // Copied SVG files are sanitised (one opened on its own runs its scripts) but draw the same.
    expect(readFileSync(join(out, "03-queues_files", "diagram.svg"), "utf8")).toBe('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>\n');
    expect(text).toMatch(/Pasted: !\[dot\]\(03-queues_files\/[^)]+-dot\.png\)/);
  });

  it("copies local images in every Markdown link form, keeps other links and code as written", async () => {
    const lessonDir = join(dir, "md-forms");
    mkdirSync(join(lessonDir, "img"), { recursive: true });
    writeFileSync(join(lessonDir, "chart.svg"), "<svg xmlns='http://www.w3.org/2000/svg'><title>top</title></svg>");
    writeFileSync(join(lessonDir, "img", "chart.svg"), "<svg xmlns='http://www.w3.org/2000/svg'><title>nested</title></svg>");
    writeFileSync(join(lessonDir, "my pic.png"), Buffer.from(PNG, "base64"));
    const source = [
      "# Images",
      "",
      "![top](chart.svg) ![again](chart.svg \"same file\") ![nested](img/chart.svg) ![spaces](<my pic.png>)",
      "",
      "![by reference][ref] ![gone](missing.png) ![remote](https://example.com/a.png)",
      "",
      "[ref]: img/chart.svg",
      "",
      "```md",
      "![in code](chart.svg)",
      "```",
    ].join("\n");
    writeFileSync(join(lessonDir, "forms.ipynb"), JSON.stringify(notebook([markdown(source)])));
    const out = join(dir, "md-forms-out");
    expect((await cli(join(lessonDir, "forms.ipynb"), "--out", out, "--format", "md")).code).toBe(0);
    const text = readFileSync(join(out, "forms.md"), "utf8");
    expect(text).toContain("![top](forms_files/chart.svg) ![again](forms_files/chart.svg \"same file\") ![nested](forms_files/chart-2.svg) ![spaces](forms_files/my%20pic.png)");
    expect(text).toContain("[ref]: forms_files/chart-2.svg");
    expect(text).toContain("![gone](missing.png) ![remote](https://example.com/a.png)");
    expect(text).toContain("```md\n![in code](chart.svg)\n```");
    expect(readdirSync(join(out, "forms_files")).sort()).toEqual(["chart-2.svg", "chart.svg", "my pic.png"]);
    expect(readFileSync(join(out, "forms_files", "chart.svg"), "utf8")).toContain("top");
    expect(readFileSync(join(out, "forms_files", "chart-2.svg"), "utf8")).toContain("nested");
    expect(readFileSync(join(out, "forms_files", "my pic.png")).toString("base64")).toBe(PNG);
  });
});

describe("ipynb format", () => {
  it("writes student notebooks: solutions removed, outputs cleared, kernelspec kept, valid nbformat 4.5", async (ctx) => {
    const out = join(dir, "handout");
    expect((await cli(notebooks, "--out", out, "--format", "ipynb")).code).toBe(0);
    const text = readFileSync(join(out, "02-tasks.ipynb"), "utf8");
    const nb = JSON.parse(text);
    expect(nb.nbformat).toBe(4);
    expect(nb.nbformat_minor).toBe(5);
    expect(nb.metadata.kernelspec.name).toBe("looplab");
    expect(nb.metadata.language_info.name).toBe("typescript");
    const codeCells = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "code");
    expect(codeCells.every((c: { outputs: unknown[]; execution_count: unknown }) => c.outputs.length === 0 && c.execution_count === null)).toBe(true);
    expect(text).not.toContain("solutionMarker");
    expect(text).toContain("// Your solution here");
    const reason = schemaMissing();
    if (reason) return ctx.skip(reason);
    for (const name of readdirSync(out)) expect(schemaErrors(readFileSync(join(out, name), "utf8")), name).toEqual([]);
  });
});

describe("errors", () => {
  it("reports a corrupt notebook in one line naming the file, exit code 1", async () => {
    const bad = join(dir, "bad");
    writeCourse(bad);
    writeFileSync(join(bad, "notebooks", "02-tasks.ipynb"), '{"cells": [');
    const { code, stderr } = await cli(join(bad, "notebooks"), "--out", join(bad, "site"));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^looplab export: .*02-tasks\.ipynb is not valid JSON/);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(join(bad, "site", "index.html"))).toBe(false);
  });

  it("rejects bad usage with exit code 2", async () => {
    expect((await cli(notebooks)).code).toBe(2);
    expect((await cli(notebooks, "--out", join(dir, "x"), "--format", "docx")).stderr).toContain("--format must be one of html, md, ipynb, pdf");
    expect((await cli(join(dir, "missing"), "--out", join(dir, "x"))).code).toBe(1);
  });
});
