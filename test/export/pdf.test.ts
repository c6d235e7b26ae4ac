// `looplab export --format pdf`: lessons printed by Debian's Chromium, read back with poppler (pdfinfo, pdftotext,
// pdftoppm) as a person would look at them; pages land in test/artifacts/pdf/ to be looked at.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportCli } from "./export-cli.ts";
import { repoRoot, requireOrSkip } from "../support/jupyter.ts";

const lessons = ["03-tasks-and-gather.ipynb", "09-blocking-code-and-threads.ipynb"].map((name) => join(repoRoot, "notebooks", name));
const artifacts = join(repoRoot, "test/artifacts/pdf");

const cli = exportCli;

const pages = (pdf: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [pdf], { encoding: "utf8" }))?.[1]);
const pageText = (pdf: string, page: number) => execFileSync("pdftotext", ["-f", String(page), "-l", String(page), "-layout", pdf, "-"], { encoding: "utf8" });

/** Share of a PPM image's pixels that are strongly coloured: a chart's bars, not black text on white. */
function colouredShare(ppm: Buffer): number {
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 32).toString("latin1"));
  const [width, height] = [Number(header![1]), Number(header![2])];
  const pixels = ppm.subarray(header![0].length);
  let coloured = 0;
  for (let i = 0; i + 2 < pixels.length; i += 3) {
    const [r, g, b] = [pixels[i], pixels[i + 1], pixels[i + 2]];
    if (Math.max(r, g, b) - Math.min(r, g, b) > 80) coloured++;
  }
  return coloured / (width * height);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "looplab-pdf-test-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("without Chromium", () => {
  it("writes nothing and says how to get it, exit code 1", async () => {
    const out = join(dir, "none");
    const result = await cli([...lessons, "--out", out, "--format", "pdf"], { LOOPLAB_CHROMIUM: "/nonexistent/chromium" });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("looplab export: no PDF written: LOOPLAB_CHROMIUM is /nonexistent/chromium, which does not exist\n");
    expect(existsSync(out)).toBe(false);
  });
});

const ready = requireOrSkip("chromium", "pdftoppm");
describe.skipIf(!ready)("with Chromium", () => {
  let out: string;
  beforeAll(async () => {
    out = join(dir, "pdf");
    const result = await cli([...lessons, "--out", out, "--format", "pdf", "--edition", "both"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  }, 120_000);

  it("prints every lesson and the whole course for each edition", () => {
    for (const edition of ["student", "instructor"]) {
      expect(readdirSync(join(out, edition)).sort()).toEqual(["03-tasks-and-gather.pdf", "09-blocking-code-and-threads.pdf", "course.pdf"]);
    }
  });

  it("has as many pages as the lessons print on, and the course is a title page plus each lesson from a new sheet", () => {
    const dirOf = join(out, "instructor");
    const lessonPages = ["03-tasks-and-gather.pdf", "09-blocking-code-and-threads.pdf"].map((name) => pages(join(dirOf, name)));
    for (const count of lessonPages) expect(count).toBeGreaterThan(3);
    expect(pages(join(dirOf, "course.pdf"))).toBe(1 + lessonPages[0] + lessonPages[1]);
    // Every page renders: pdftoppm writes one image per page of the lesson.
    mkdirSync(artifacts, { recursive: true });
    execFileSync("pdftoppm", ["-r", "40", "-png", join(dirOf, "03-tasks-and-gather.pdf"), join(artifacts, "lesson-03")]);
    expect(readdirSync(artifacts).filter((name) => name.startsWith("lesson-03-") && name.endsWith(".png"))).toHaveLength(lessonPages[0]);
    expect(pageText(join(dirOf, "03-tasks-and-gather.pdf"), 1)).toContain("Lesson 3 · Tasks and gather");
  });

  it("prints the charts: a page with a timeline's labels is drawn in its colours", () => {
    const pdf = join(out, "instructor", "03-tasks-and-gather.pdf");
    const chartPage = Array.from({ length: pages(pdf) }, (_, i) => i + 1).find((page) => pageText(pdf, page).includes("active tasks"));
    expect(chartPage).toBeDefined();
    execFileSync("pdftoppm", ["-r", "40", "-f", String(chartPage), "-l", String(chartPage), "-singlefile", pdf, join(dir, "chart")]);
    // Text and code alone colour well under 1% of a page (measured: 0.2%); a timeline's bars several times that.
    expect(colouredShare(readFileSync(join(dir, "chart.ppm")))).toBeGreaterThan(0.01);
  });

  it("leaves the site's chrome off paper: no sidebar, search box or pager text", () => {
    const text = execFileSync("pdftotext", [join(out, "student", "09-blocking-code-and-threads.pdf"), "-"], { encoding: "utf8" });
    expect(text).not.toMatch(/Course contents|Search the course|Download this notebook|Next →/);
    expect(text).toContain("toThread");
  });
});
