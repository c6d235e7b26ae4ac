// `looplab export --format pdf`: each lesson and the whole course printed by Chromium with the print stylesheet.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import type { Course } from "./course-model.ts";
import type { Edition } from "./edition.ts";
import { renderLessonPage } from "./page.ts";
import { renderCourseBook } from "./print-book.ts";
import { courseForEdition } from "./site.ts";

/** Where Debian, Ubuntu and Google put the browser; LOOPLAB_CHROMIUM names any other. */
const CHROMIUM_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome-stable", "/usr/bin/google-chrome"];

/** No browser to print with: the export says so and writes nothing, rather than half a course. */
export class PdfUnavailable extends Error {}

/** The Chromium to print with, or a PdfUnavailable saying where it looked and how to get one. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.LOOPLAB_CHROMIUM;
  if (given) {
    if (existsSync(given)) return given;
    throw new PdfUnavailable(`no PDF written: LOOPLAB_CHROMIUM is ${given}, which does not exist`);
  }
  const found = CHROMIUM_PATHS.find((path) => existsSync(path));
  if (found) return found;
  throw new PdfUnavailable(
    `no PDF written: PDFs are printed by Chromium, which was not found (looked for ${CHROMIUM_PATHS.join(", ")}). ` +
      "Install it (Debian: apt-get install chromium) or set LOOPLAB_CHROMIUM to its path; --format html writes the same pages to print from a browser.",
  );
}

// A4 with room for the page numbers; printBackground keeps code cells' and charts' fills.
const PAPER = { format: "A4", printBackground: true, margin: { top: "16mm", bottom: "18mm", left: "15mm", right: "15mm" } } as const;
const FOOTER = `<div style="width:100%;padding:0 15mm;font:8px sans-serif;color:#666;display:flex;justify-content:space-between"><span class="title"></span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`;

async function printPage(browser: Browser, html: string, file: string, scratch: string): Promise<void> {
  // From a file, like the site: relative links and file:// images behave as they do when the site is opened.
  const source = join(scratch, "page.html");
  writeFileSync(source, html);
  const page = await browser.newPage();
  try {
    await page.goto(pathToFileURL(source).href, { waitUntil: "load" });
    await page.pdf({ ...PAPER, path: file, displayHeaderFooter: true, headerTemplate: "<span></span>", footerTemplate: FOOTER });
  } finally {
    await page.close();
  }
}

/**
 * Writes `<lesson>.pdf` per lesson and `course.pdf` (title page, then every lesson from a new page) for each
 * edition: into `out`, or `out/student` and `out/instructor` for both. Returns the files written.
 */
export async function writePdfs(course: Course, out: string, editions: readonly Edition[], chromiumPath = findChromium()): Promise<string[]> {
  // Loaded only here: html, md and ipynb exports never pay for the browser driver.
  const { chromium } = await import("playwright-core");
  const scratch = mkdtempSync(join(tmpdir(), "looplab-pdf-"));
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const written: string[] = [];
  try {
    for (const edition of editions) {
      const dir = editions.length > 1 ? join(out, edition) : out;
      mkdirSync(dir, { recursive: true });
      const view = courseForEdition(course, edition);
      for (const [index, lesson] of view.lessons.entries()) {
        const file = join(dir, `${lesson.name}.pdf`);
        await printPage(browser, renderLessonPage(view, index, edition, { home: "index.html" }), file, scratch);
        written.push(file);
      }
      const book = join(dir, "course.pdf");
      await printPage(browser, renderCourseBook(view, edition), book, scratch);
      written.push(book);
    }
  } finally {
    await browser.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  return written;
}
