// The course site as a teacher publishes it: the student folder holds no solution anywhere, every page offers
// its notebook and the course's launch link, and the search index finds what the pages say.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import MiniSearch from "minisearch";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { exportCourse, main } from "../../kernel/course/export/command.ts";
import { htmlText } from "../../kernel/course/export/search-index.ts";
import { QUERY_OPTIONS, SEARCH_OPTIONS, type SearchDoc } from "../../kernel/course/export/search-options.ts";
import { readNotebook } from "../../kernel/course/notebook/read.ts";
import { hasTag } from "../../kernel/course/notebook/types.ts";
import { hasRegions } from "../../kernel/course/export/regions.ts";
import { repoRoot } from "../support/kernel.ts";
import { writeCourse } from "./fixture.ts";
import { schemaErrors, schemaMissing } from "./schema.ts";

const lessonsDir = join(repoRoot, "notebooks");
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "looplab-site-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a reader (or a crawler) can get out of a file: page text without markup, notebook sources, script strings. */
function readable(file: string): string {
  const text = readFileSync(file, "utf8");
  if (file.endsWith(".html")) return htmlText(text.replace(/<\/?(?:span|a|em|strong|code)\b[^>]*>/g, ""));
  if (file.endsWith(".ipynb")) {
    const notebook = JSON.parse(text) as { cells: Array<{ source: string | string[]; outputs?: unknown[] }> };
    return notebook.cells.map((cell) => [cell.source, JSON.stringify(cell.outputs ?? [])].flat().join("")).join("\n");
  }
  // A script: its string literals decoded (the index is JSON inside a JS string).
  const index = /^window\.looplabSearchIndex = (".*");$/m.exec(text)?.[1];
  return index ? JSON.parse(index) : text;
}

/** Whitespace differs between a cell, its highlighted HTML and an index: compare without any. */
const squash = (text: string) => text.replace(/\s+/g, "");

/**
 * The solution code of a lesson: cells tagged `solution` without regions, hidden tests, and the lines between
 * BEGIN/END SOLUTION markers,
 * one line each, leaving out short lines and lines that also appear outside the solutions (`}` or an import).
 */
function solutionLines(paths: string[]): string[] {
  const inside: string[] = [];
  const outside = new Set<string>();
  for (const path of paths) {
    for (const cell of readNotebook(path).cells) {
      const lines = cell.source.split("\n");
      // A solution cell with regions hands out its starter code; one without, and hidden tests, hand out nothing.
      const wholeCell = (hasTag(cell, "solution") && !hasRegions(cell.source)) || hasTag(cell, "hidden-tests");
      let inRegion = false;
      for (const line of lines) {
        if (/BEGIN SOLUTION/.test(line)) inRegion = true;
        else if (/END SOLUTION/.test(line)) inRegion = false;
        else if (wholeCell || inRegion) inside.push(squash(line));
        else outside.add(squash(line));
      }
    }
  }
  return [...new Set(inside)].filter((line) => line.length >= 16 && ![...outside].some((other) => other.includes(line)));
}

describe("the student edition of the project's lessons", () => {
  let student: string;
  let instructor: string;
  let lines: string[];
  beforeAll(() => {
    student = join(dir, "published");
    instructor = join(dir, "teacher");
    exportCourse({ inputs: [lessonsDir], out: student, format: "html", edition: "student" });
    exportCourse({ inputs: [lessonsDir], out: instructor, format: "html", edition: "instructor" });
    const paths = readdirSync(lessonsDir).filter((name) => name.endsWith(".ipynb")).map((name) => join(lessonsDir, name));
    lines = solutionLines(paths);
  });

  it("has no line of solution code in any file of the folder: pages, notebooks, search index", () => {
    expect(lines.length).toBeGreaterThan(20);
    const files = readdirSync(student);
    expect(files.some((f) => f.endsWith(".ipynb")) && files.includes("search-index.js")).toBe(true);
    for (const file of files) {
      const text = squash(readable(join(student, file)));
      const leaked = lines.filter((line) => text.includes(line));
      expect(leaked, `${file} shows solution code`).toEqual([]);
    }
  });

  it("while the instructor folder, read the same way, shows every one of those lines", () => {
    // The check above can fail: the same reading of the instructor's files finds the solutions.
    const all = readdirSync(instructor).map((file) => squash(readable(join(instructor, file)))).join("\n");
    expect(lines.filter((line) => !all.includes(line))).toEqual([]);
  });

  it("links no solution: no instructor page, no landing page, no 'with solutions'", () => {
    for (const file of readdirSync(student).filter((f) => f.endsWith(".html"))) {
      const page = readFileSync(join(student, file), "utf8").replace(/<style>[\s\S]*?<\/style>/, "");
      expect(page, file).not.toMatch(/instructor\/|\.\.\/|with solutions|badge-solution/i);
    }
  });
});

describe("characters", () => {
  // Shown as emoji by default (Emoji_Presentation, or asked for with VS16): an empty box without an emoji font,
  // as ⏳ was in lessons 5 and 10 on a machine with DejaVu only, and in their PDFs.
  const EMOJI = /[\p{Emoji_Presentation}\u{FE0F}]/u;

  it("no lesson, no page and no script of the site needs an emoji font", () => {
    const site = join(dir, "emoji-site");
    exportCourse({ inputs: [lessonsDir], out: site, format: "html", edition: "both" });
    const files = [
      ...readdirSync(lessonsDir).filter((name) => name.endsWith(".ipynb")).map((name) => join(lessonsDir, name)),
      join(site, "index.html"),
      ...["student", "instructor"].flatMap((edition) => readdirSync(join(site, edition)).map((name) => join(site, edition, name))),
    ];
    for (const file of files) expect(EMOJI.exec(readFileSync(file, "utf8"))?.[0], file).toBeUndefined();
  });
});

describe("lesson pages", () => {
  let site: string;
  beforeAll(() => {
    const notebooks = writeCourse(join(dir, "fixture"));
    const course = JSON.parse(readFileSync(join(notebooks, "course.json"), "utf8")) as Record<string, unknown>;
    course.launch = { label: "Open on the class hub", url: "https://hub.example.edu/hub/user-redirect/lab/tree/async/{edition}/{notebook}?from={lesson}" };
    writeFileSync(join(notebooks, "course.json"), JSON.stringify(course));
    site = join(dir, "fixture-site");
    exportCourse({ inputs: [notebooks], out: site, format: "html", edition: "both" });
  });

  it("offer the edition's notebook beside the page: the student's without solutions or outputs, the teacher's whole", () => {
    const page = readFileSync(join(site, "student", "02-tasks.html"), "utf8");
    expect(page).toContain('<a class="action" href="02-tasks.ipynb" download>Download this notebook (.ipynb)</a>');
    const studentCells = readNotebook(join(site, "student", "02-tasks.ipynb")).cells;
    const teacherCells = readNotebook(join(site, "instructor", "02-tasks.ipynb")).cells;
    expect(studentCells.length).toBe(teacherCells.length);
    expect(studentCells.some((cell) => hasTag(cell, "solution"))).toBe(false);
    expect(studentCells.some((cell) => hasTag(cell, "exercise"))).toBe(true);
    expect(studentCells.every((cell) => cell.cell_type !== "code" || cell.outputs.length === 0)).toBe(true);
    expect(teacherCells.some((cell) => hasTag(cell, "solution"))).toBe(true);
    expect(teacherCells.some((cell) => cell.cell_type === "code" && cell.outputs.length > 0)).toBe(true);
  });

  it("offer notebooks that are valid nbformat 4.5 in both editions", (ctx) => {
    const reason = schemaMissing();
    if (reason) return ctx.skip(reason);
    for (const edition of ["student", "instructor"]) {
      for (const name of readdirSync(join(site, edition)).filter((f) => f.endsWith(".ipynb"))) {
        expect(schemaErrors(readFileSync(join(site, edition, name), "utf8")), `${edition}/${name}`).toEqual([]);
      }
    }
  });

  it("carry course.json's launch link, filled in per lesson and edition", () => {
    expect(readFileSync(join(site, "student", "03-queues.html"), "utf8")).toContain(
      '<a class="action" href="https://hub.example.edu/hub/user-redirect/lab/tree/async/student/03-queues.ipynb?from=03-queues" rel="noopener">Open on the class hub</a>',
    );
    expect(readFileSync(join(site, "instructor", "01-why-async.html"), "utf8")).toContain("/lab/tree/async/instructor/01-why-async.ipynb?from=01-why-async");
  });

  it("never turn a launch template that is not a web link into a link", () => {
    const notebooks = writeCourse(join(dir, "hostile"));
    writeFileSync(join(notebooks, "course.json"), JSON.stringify({ title: "Hostile", launch: { url: "javascript:alert(1)//{notebook}" } }));
    const warn = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      exportCourse({ inputs: [notebooks], out: join(dir, "hostile-site"), format: "html", edition: "student" });
      expect(String(warn.mock.calls[0]?.[0])).toMatch(/ignoring the launch link .*must be an http\(s\) URL/);
    } finally {
      warn.mockRestore();
    }
    expect(readFileSync(join(dir, "hostile-site", "01-why-async.html"), "utf8")).not.toMatch(/javascript:|class="action" href="http/);
  });

  it("in a site with both editions, student/ is exactly what --edition student writes", () => {
    const alone = join(dir, "student-alone");
    exportCourse({ inputs: [join(dir, "fixture", "notebooks")], out: alone, format: "html", edition: "student" });
    const files = readdirSync(alone).sort();
    expect(readdirSync(join(site, "student")).sort()).toEqual(files);
    for (const file of files) expect(readFileSync(join(site, "student", file), "utf8") === readFileSync(join(alone, file), "utf8"), file).toBe(true);
  });

  it("the landing page of both editions says which folder to publish and links no instructor lesson", async () => {
    const landing = readFileSync(join(site, "index.html"), "utf8");
    expect(landing).toMatch(/To publish:.*<code>student\/<\/code> folder/s);
    expect(landing).not.toMatch(/href="instructor\/(?!index\.html)/);
    let stdout = "";
    const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
    try {
      expect(await main([join(dir, "fixture", "notebooks"), "--out", join(dir, "cli-site")])).toBe(0);
    } finally {
      out.mockRestore();
    }
    expect(stdout).toMatch(/publish .*cli-site\/student\/ to learners as it is \(no solutions in it\); .*cli-site\/instructor\/ holds the solutions/);
  });
});

describe("search index", () => {
  let index: MiniSearch<SearchDoc>;
  let site: string;
  beforeAll(() => {
    site = join(dir, "search-site");
    exportCourse({ inputs: [lessonsDir], out: site, format: "html", edition: "student" });
    // Loaded the way the page loads it: the script sets a global, MiniSearch reads it with the shared options.
    const sandbox = { window: {} as { looplabSearchIndex?: string } };
    runInNewContext(readFileSync(join(site, "search-index.js"), "utf8"), sandbox);
    index = MiniSearch.loadJSON(sandbox.window.looplabSearchIndex!, SEARCH_OPTIONS);
  });

  it("finds a lesson's section by a word from its text, with a link to that heading", () => {
    const [hit] = index.search("asCompleted", QUERY_OPTIONS);
    expect(hit.href).toMatch(/^07-timeouts-and-cancellation\.html#/);
    const [page, anchor] = String(hit.href).split("#");
    expect(readFileSync(join(site, page), "utf8")).toContain(`id="${anchor}"`);
    expect(hit.lesson).toBe("Lesson 7: Timeouts and cancellation");
  });

  it("has a document for every section of every lesson, each pointing at a heading that exists", () => {
    expect(index.documentCount).toBeGreaterThan(60);
    const hits = index.search("sleep", QUERY_OPTIONS);
    const lessons = new Set(hits.map((hit) => String(hit.href).slice(0, 2)));
    expect(lessons.size).toBeGreaterThanOrEqual(8);
    for (const hit of hits) {
      const [page, anchor] = String(hit.href).split("#");
      if (anchor) expect(readFileSync(join(site, page), "utf8"), String(hit.href)).toContain(`id="${anchor}"`);
    }
  });
});
