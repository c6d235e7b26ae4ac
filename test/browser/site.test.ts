// The exported course in a real browser (Debian's Chromium, headless): no console errors, timelines drawn,
// navigation working, and screenshots in test/artifacts/site/ for a person to look at.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportCourse } from "../../kernel/course/export/command.ts";
import { writeCourse } from "../export/fixture.ts";
import { launchChromiumProfile } from "../support/browser.ts";
import { repoRoot, requireOrSkip } from "../support/jupyter.ts";

const artifacts = join(repoRoot, "test/artifacts/site");
const lessonsDir = join(repoRoot, "notebooks");

// Without Chromium the tests are skipped with the reason; under CI=true that is a failure instead.
const ready = requireOrSkip("chromium");

let dir: string;
let browser: BrowserContext;

beforeAll(async () => {
  if (!ready) return;
  dir = mkdtempSync(join(tmpdir(), "looplab-site-"));
  mkdirSync(artifacts, { recursive: true });
  exportCourse({ inputs: [writeCourse(dir)], out: join(dir, "site"), format: "html", edition: "both" });
  browser = await launchChromiumProfile(join(dir, "profile"));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  problems: string[];
}

/** Opens a file page at a width and colour scheme, collecting console errors, page errors and failed loads. */
async function open(file: string, width = 1280, colorScheme: "light" | "dark" = "light"): Promise<Opened> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => problems.push(`failed to load ${request.url()}`));
  await page.setViewportSize({ width, height: 900 });
  await page.emulateMedia({ colorScheme });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  return { page, problems };
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

describe.skipIf(!ready)("exported course in Chromium", () => {
  it("shows the landing page with both editions and every lesson", async () => {
    const { page, problems } = await open(join(dir, "site", "index.html"));
    expect(await page.locator("h1").textContent()).toBe("Async TypeScript");
    expect(await page.locator(".card-title").allTextContents()).toEqual(["Why async?", "Tasks and gather", "Queues"]);
    await shoot(page, "generated-landing");
    await page.setViewportSize({ width: 390, height: 844 });
    await shoot(page, "generated-landing-phone");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("draws the timeline SVG in a lesson and navigates to the next lesson", async () => {
    const { page, problems } = await open(join(dir, "site", "instructor", "01-why-async.html"));
    const timeline = page.locator(".out-svg svg").first();
    expect(await timeline.count()).toBe(1);
    const box = await timeline.boundingBox();
    expect(box!.width).toBeGreaterThan(200);
    expect(box!.height).toBeGreaterThan(50);
    // The gradient id was prefixed and its reference follows it, so the bars are really filled.
    const fill = await page.locator(".out-svg .timeline-bar").first().evaluate((el) => getComputedStyle(el).fill);
    expect(fill).toMatch(/^url\("?#c.+-bar"?\)$/);
    await shoot(page, "generated-lesson");
    await page.locator('a[rel="next"]').click();
    await page.waitForURL(/02-tasks\.html$/);
    expect(await page.locator("h1").first().textContent()).toBe("Tasks and gather");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows the course sidebar beside a lesson on a wide screen, and one tap away on a phone", async () => {
    const { page, problems } = await open(join(dir, "site", "student", "02-tasks.html"));
    const lessons = page.locator(".sidebar-lessons > li > a");
    expect(await lessons.count()).toBe(3);
    expect(await lessons.nth(2).isVisible()).toBe(true);
    expect(await page.locator('.sidebar a[aria-current="page"]').textContent()).toContain("Tasks and gather");
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await lessons.nth(2).isVisible()).toBe(false);
    await page.locator(".sidebar-contents > summary").click();
    expect(await lessons.nth(2).isVisible()).toBe(true);
    await lessons.nth(2).click();
    await page.waitForURL(/03-queues\.html$/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("reads well on a phone in dark mode: nothing wider than the screen but code", async () => {
    const { page, problems } = await open(join(dir, "site", "student", "02-tasks.html"), 390, "dark");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).not.toBe("rgb(255, 255, 255)");
    expect(await page.locator(".code-cell.exercise").count()).toBe(1);
    await shoot(page, "generated-lesson-phone-dark");
    // A chart is scaled to the phone's width, not cut off or scrolled.
    const lesson = await open(join(dir, "site", "student", "01-why-async.html"), 390);
    const box = (await lesson.page.locator(".out-svg svg").first().boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(await lesson.page.locator(".out-svg").first().evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
    await lesson.page.close();
    expect(problems).toEqual([]);
    await page.close();
  });

  it("prints the lesson without the site's chrome, with its timeline and the cells hidden on screen", async () => {
    const { page, problems } = await open(join(dir, "site", "instructor", "01-why-async.html"));
    expect(await page.locator(".topbar").isVisible()).toBe(true);
    await page.emulateMedia({ media: "print" });
    for (const chrome of [".topbar", ".pager", ".edition-switch", ".sidebar", ".lesson-actions"]) expect(await page.locator(chrome).first().isVisible(), chrome).toBe(false);
    expect(await page.locator("h1").first().isVisible()).toBe(true);
    expect(await page.getByText("Three downloads, one after another").isVisible()).toBe(true);
    const timeline = page.locator(".out-svg svg").first();
    expect(await timeline.isVisible()).toBe(true);
    expect((await timeline.boundingBox())!.height).toBeGreaterThan(50);
    await page.pdf({ path: join(artifacts, "generated-lesson-print.pdf") });
    await page.close();

    // hide-input and hide-output cells are one click away on screen; paper shows them open, without the toggle.
    const tasks = await open(join(dir, "site", "instructor", "02-tasks.html"));
    const hiddenInput = tasks.page.getByText("const hiddenInput = 'x'");
    const hiddenOutput = tasks.page.getByText("hidden-output-text");
    expect(await hiddenInput.isVisible()).toBe(false);
    expect(await hiddenOutput.isVisible()).toBe(false);
    await tasks.page.emulateMedia({ media: "print" });
    expect(await hiddenInput.isVisible()).toBe(true);
    expect(await hiddenOutput.isVisible()).toBe(true);
    expect(await tasks.page.getByText("'hidden-input-result'").isVisible()).toBe(true);
    expect(await tasks.page.locator("details.toggle > summary").first().isVisible()).toBe(false);
    expect(await tasks.page.locator(".topbar").isVisible()).toBe(false);
    expect([...problems, ...tasks.problems]).toEqual([]);
    await tasks.page.close();
  });

  const lessons = existsSync(lessonsDir) ? readdirSync(lessonsDir).filter((n) => n.endsWith(".ipynb")).sort() : [];
  describe.skipIf(lessons.length === 0)("the project's lessons (notebooks/)", () => {
    let site: string;
    beforeAll(() => {
      site = join(dir, "lessons-site");
      exportCourse({ inputs: [lessonsDir], out: site, format: "html", edition: "both" });
    });

    it("finds a word from lesson 7 with the search box and opens that section", async () => {
      const { page, problems } = await open(join(site, "student", "02-coroutines-and-the-event-loop.html"));
      const box = page.locator("#site-search");
      expect(await box.isVisible()).toBe(true);
      await box.fill("ascomple");
      const first = page.locator("#search-results a.search-hit").first();
      await first.waitFor();
      expect(await first.locator(".search-hit-lesson").textContent()).toBe("Lesson 7: Timeouts and cancellation");
      expect(await first.locator(".search-hit-title").textContent()).toMatch(/asCompleted/);
      await shoot(page, "lessons-search");
      await box.press("Enter");
      await page.waitForURL(/07-timeouts-and-cancellation\.html#/);
      const anchor = decodeURIComponent(new URL(page.url()).hash.slice(1));
      expect(await page.locator(`[id="${anchor}"]`).textContent()).toMatch(/asCompleted/);
      // The arrows pick another result for Enter.
      await page.goBack();
      await page.locator("#site-search").fill("toThread");
      await page.locator("#search-results a.search-hit").nth(1).waitFor();
      await page.locator("#site-search").press("ArrowDown");
      const second = await page.locator("#search-results a.search-hit").nth(1).getAttribute("href");
      expect(await page.locator("#search-results a.search-hit.active").getAttribute("href")).toBe(second);
      await page.locator("#site-search").press("Enter");
      await page.waitForURL((url) => url.href.endsWith(second!));
      // A word no lesson has says so instead of showing an empty box.
      await page.locator("#site-search").fill("xylophone");
      expect(await page.locator("#search-results .search-none").textContent()).toContain("xylophone");
      expect(problems).toEqual([]);
      await page.close();
    });

    it("opens the course index and every lesson without errors; lessons with timelines show them", async () => {
      const index = await open(join(site, "index.html"));
      expect(await index.page.locator(".card").count()).toBe(lessons.length);
      await shoot(index.page, "lessons-landing");
      expect(index.problems).toEqual([]);
      await index.page.close();
      for (const [i, name] of lessons.entries()) {
        const stem = name.replace(/\.ipynb$/, "");
        const { page, problems } = await open(join(site, "instructor", `${stem}.html`));
        expect(problems, stem).toEqual([]);
        const saved = readFileSync(join(lessonsDir, name), "utf8");
        if (saved.includes('"image/svg+xml"')) expect(await page.locator(".out-svg svg").count(), `${stem} timelines`).toBeGreaterThan(0);
        // The sanitizer keeps a chart's hover titles, and every page runs under the CSP.
        const title = /<title>([^<]*)<\/title>/.exec(saved)?.[1];
        if (title) expect(await page.locator(".out-svg svg title").allTextContents(), `${stem} hover titles`).toContain(JSON.parse(`"${title}"`).replace(/&amp;/g, "&"));
        expect(await page.locator('head > meta[http-equiv="Content-Security-Policy"]').count(), `${stem} CSP`).toBe(1);
        if (i === 0) {
          await shoot(page, `lessons-${stem}`);
          await page.setViewportSize({ width: 390, height: 844 });
          await shoot(page, `lessons-${stem}-phone`);
        }
        await page.close();
      }
    }, 120_000);
  });
});
