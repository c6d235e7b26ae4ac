// The classic Jupyter Notebook (Debian's jupyter-notebook 6) in headless Chromium: a person opens a lesson,
// restarts the kernel and runs everything, looks at the timeline, types TypeScript and stops runaway cells
// with the toolbar's interrupt button. Screenshots land in test/artifacts/frontends/ for a person to look at.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { existsSync } from "node:fs";
import { cp, mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { launchChromium } from "../support/browser.ts";
import { helpLinks } from "../../kernel/info.ts";
import { installedKernel, repoRoot, requireOrSkip, type JupyterHome } from "../support/jupyter.ts";
import { startNotebookServer, type NotebookServer } from "./notebook-server.ts";
import { demoNotebook, lessonFiles, lessonsDir, readNotebook, writeNotebook } from "./notebooks.ts";

const artifacts = join(repoRoot, "test/artifacts/frontends");
const RUN_ALL_TIMEOUT = 150_000;

/** The lesson to open: the first that draws a timeline; the generated notebook until lessons exist. */
function pickNotebook(): string {
  const withTimeline = lessonFiles().find((name) =>
    readNotebook(join(lessonsDir, name)).cells.some((cell) => cell.cell_type === "code" && /\btimeline\b/.test(cell.source)),
  );
  return withTimeline ?? "demo.ipynb";
}

/** What the notebook shows for one code cell. */
interface CellView {
  prompt: string;
  tags: string[];
  errors: string[];
}

async function codeCells(page: Page): Promise<CellView[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll("#notebook-container > .cell.code_cell")).map((cell) => {
      // Tags live in the cell's metadata, which the page keeps on the cell object.
      const model = (window as any).Jupyter.notebook.get_cells().find((c: { element: unknown[] }) => c.element[0] === cell);
      return {
        prompt: (cell.querySelector(".input_prompt")?.textContent ?? "").replace(/\s+/g, " ").trim(),
        tags: (model?.metadata?.tags as string[] | undefined) ?? [],
        errors: Array.from(cell.querySelectorAll(".output_error")).map((e) => (e.textContent ?? "").slice(0, 300)),
      };
    }),
  );
}

/**
 * Waits until Run All has settled: no cell is queued or running ("In [*]:") and the kernel is idle. Run All
 * marks every cell "*" at once, so this cannot pass between two cells; cells aborted after an error are left
 * without a count, which the test then reports instead of waiting for a timeout.
 */
async function waitRunAllSettled(page: Page, timeout: number) {
  await page.waitForFunction(
    () => {
      const prompts = Array.from(document.querySelectorAll("#notebook-container > .cell.code_cell .input_prompt"));
      const idle = document.querySelector("#kernel_indicator_icon")?.classList.contains("kernel_idle_icon");
      const texts = prompts.map((p) => p.textContent ?? "");
      return idle && texts.some((t) => /In\s*\[\d+\]/.test(t)) && !texts.some((t) => t.includes("*"));
    },
    null,
    { timeout, polling: 250 },
  );
}

/** Waits until one cell shows its execution count and the kernel is idle again. */
async function waitCellFinished(page: Page, cell: Locator, timeout: number) {
  const prompt = cell.locator(".input_prompt");
  await expect.poll(async () => (await prompt.textContent()) ?? "", { timeout, interval: 200 }).toMatch(/In\s*\[\d+\]/);
  await page.waitForSelector("#kernel_indicator_icon.kernel_idle_icon", { timeout });
}

/** A picture of the whole notebook: it scrolls inside #site, so the window grows to its height for the shot. */
async function screenshotNotebook(page: Page, name: string) {
  const viewport = page.viewportSize()!;
  const height = await page.evaluate(() => document.querySelector("#notebook")?.scrollHeight ?? 0);
  await page.setViewportSize({ width: viewport.width, height: Math.min(Math.max(height + 160, viewport.height), 12_000) });
  try {
    await page.screenshot({ path: join(artifacts, name) });
  } finally {
    await page.setViewportSize(viewport);
  }
}

/** Runs a menu command the way a person does: open the menu, click the item, confirm the dialog if one comes. */
async function menu(page: Page, menuId: string, itemId: string, confirm?: string) {
  await page.click(`#${menuId}`);
  await page.click(`#${itemId} > a`);
  if (confirm) await page.click(`.modal-footer button:has-text("${confirm}")`);
}

/** Adds a code cell under the last one from the keyboard (command mode `b`, Enter) and types source into it. */
async function appendCell(page: Page, source: string): Promise<Locator> {
  const cells = page.locator("#notebook-container > .cell");
  const count = await cells.count();
  await cells.nth(count - 1).locator(".input_prompt, .prompt").first().click();
  await page.keyboard.press("Escape");
  await page.keyboard.press("b");
  await page.keyboard.press("Enter");
  // insertText goes in like a paste: CodeMirror's bracket auto-closing does not double what we type.
  await page.keyboard.insertText(source);
  return cells.nth(count);
}

describe("Jupyter Notebook 6 UI in headless Chromium (Debian's jupyter-notebook + chromium)", () => {
  if (!requireOrSkip("notebook", "chromium")) return;

  let home: JupyterHome;
  let server: NotebookServer;
  let browser: Browser;
  let page: Page;
  let notebookDir: string;
  const notebook = pickNotebook();

  beforeAll(async () => {
    home = await installedKernel();
    notebookDir = join(home.dir, "notebooks");
    // A copy, so the UI's autosave never rewrites the lessons in the repository.
    await cp(lessonsDir, notebookDir, { recursive: true });
    writeNotebook(join(notebookDir, "demo.ipynb"), demoNotebook());
    await mkdir(artifacts, { recursive: true });
    [server, browser] = await Promise.all([
      startNotebookServer(home, notebookDir),
      launchChromium(),
    ]);
    // A new context is a fresh profile: no cookies, storage or cache from any earlier run.
    page = await (await browser.newContext({ viewport: { width: 1280, height: 960 } })).newPage();
    page.on("pageerror", (error) => console.warn(`page error: ${error.message}`));
  }, 90_000);

  afterEach((context) => {
    // The server's log holds the kernel's own stderr too: the first place to look when the UI misbehaves.
    if (context.task.result?.state === "fail") console.error(`jupyter notebook log (last 6000 chars):\n${server?.log().slice(-6000)}`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await home?.remove();
  });

  test(`opens ${notebook} with the LoopLab kernel: its name, its logo and its help links`, async () => {
    await page.goto(server.urlOf(notebook));
    await page.waitForSelector("#kernel_indicator_icon.kernel_idle_icon", { timeout: 60_000 });
    await expect.poll(() => page.textContent(".kernel_indicator_name")).toBe("TypeScript (LoopLab)");
    const logo = page.locator("img.current_kernel_logo");
    await logo.waitFor({ state: "visible" });
    expect(await logo.getAttribute("src")).toContain("/kernelspecs/looplab/logo-64x64.png");
    expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(64);
    // The Help menu lists the kernel's help_links (from kernel_info_reply) after its "kernel-help-links" divider.
    const shownLinks = await page.evaluate(() => {
      const links: { text: string; url: string }[] = [];
      for (let li = document.querySelector("#kernel-help-links")?.nextElementSibling; li && !li.classList.contains("divider"); li = li.nextElementSibling) {
        links.push({ text: li.textContent?.trim() ?? "", url: li.querySelector("a")?.getAttribute("href") ?? "" });
      }
      return links;
    });
    // Notebook 6 appends its cache-busting ?v=<timestamp> to every href; the link is the kernel's without it.
    const withoutCacheBuster = (href: string) => {
      const url = new URL(href);
      url.searchParams.delete("v");
      return url.href;
    };
    expect(shownLinks.map((link) => ({ ...link, url: withoutCacheBuster(link.url) })), "kernel_info help_links appear in the Help menu").toEqual(helpLinks);
    await page.screenshot({ path: join(artifacts, "notebook-opened.png") });
  }, 90_000);

  test("the server offers the kernelspec's three logos (launcher 32 px, toolbar 64 px, SVG)", async () => {
    const response = await fetch(`${server.origin}/api/kernelspecs?token=${server.token}`);
    const specs = (await response.json()) as { kernelspecs: Record<string, { spec: { display_name: string; language: string }; resources: Record<string, string> }> };
    const looplab = specs.kernelspecs.looplab;
    expect(looplab.spec).toMatchObject({ display_name: "TypeScript (LoopLab)", language: "typescript" });
    expect(Object.keys(looplab.resources).sort()).toEqual(["logo-32x32", "logo-64x64", "logo-svg"]);
    const fetchLogo = async (name: string) => {
      const logo = await fetch(`${server.origin}${looplab.resources[name]}?token=${server.token}`);
      expect(logo.status, name).toBe(200);
      return { type: logo.headers.get("content-type") ?? "", bytes: Buffer.from(await logo.arrayBuffer()) };
    };
    for (const [name, size] of [["logo-32x32", 32], ["logo-64x64", 64]] as const) {
      const { type, bytes } = await fetchLogo(name);
      expect(type, name).toBe("image/png");
      // A PNG's IHDR chunk holds width and height right after the signature and the chunk header.
      expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)], name).toEqual([size, size]);
    }
    const svg = await fetchLogo("logo-svg");
    expect(svg.type).toContain("image/svg+xml");
    expect(svg.bytes.toString("utf8")).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });

  test("Kernel > Restart & Clear Output, Cell > Run All: every cell finishes, errors only where tagged", async () => {
    await page.evaluate(() => {
      const w = window as any;
      w.__looplabReady = false;
      w.Jupyter.notebook.events.one("kernel_ready.Kernel", () => (w.__looplabReady = true));
    });
    await menu(page, "kernellink", "restart_clear_output", "Restart and Clear All Outputs");
    await page.waitForFunction(() => (window as any).__looplabReady === true, null, { timeout: 60_000 });
    expect((await codeCells(page)).every((cell) => !/\d/.test(cell.prompt)), "outputs and counts were cleared").toBe(true);

    await menu(page, "celllink", "run_all_cells");
    try {
      await waitRunAllSettled(page, RUN_ALL_TIMEOUT);
    } finally {
      await screenshotNotebook(page, "notebook-run-all.png");
    }
    const cells = await codeCells(page);
    expect(cells.length).toBeGreaterThan(0);
    // After a restart every cell ran once, in order: 1, 2, 3, ... A cell aborted after an error must not
    // borrow a count (the notebook shows a reply's execution_count as the cell's prompt).
    expect(cells.map((cell) => cell.prompt)).toEqual(cells.map((_, index) => `In [${index + 1}]:`));
    for (const [index, cell] of cells.entries()) {
      expect(cell.prompt, `code cell ${index + 1}`).toMatch(/^In \[\d+\]:$/);
      if (cell.tags.includes("raises-exception")) expect(cell.errors.length, `code cell ${index + 1} is tagged raises-exception`).toBe(1);
      else expect(cell.errors, `code cell ${index + 1}`).toEqual([]);
    }
  }, RUN_ALL_TIMEOUT + 90_000);

  test("the timeline chart is visible in an output", async () => {
    // The chart states its wall time (issue 5); other SVGs (icons, formulas) do not.
    const svg = page.locator(".output_area svg", { hasText: /wall/i }).first();
    await svg.scrollIntoViewIfNeeded();
    await expect.poll(() => svg.isVisible()).toBe(true);
    const box = await svg.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(300);
    expect(box?.height ?? 0).toBeGreaterThan(50);
    await svg.screenshot({ path: join(artifacts, "notebook-timeline.png") });
  });

  test("TypeScript is syntax-highlighted in the editor (the kernel's codemirror_mode)", async () => {
    const cell = await appendCell(page, 'interface Job {\n  name: string;\n}\nconst first: Job = { name: "fetch" };');
    await page.keyboard.press("Escape");
    const token = (text: string) => cell.locator(".CodeMirror-code span", { hasText: new RegExp(`^${text}$`) }).first();
    // "interface" and "string" are only keywords and types in CodeMirror's TypeScript flavour of its JS mode.
    expect(await token("interface").getAttribute("class")).toContain("cm-keyword");
    expect(await token("const").getAttribute("class")).toContain("cm-keyword");
    expect(await token("string").getAttribute("class")).toMatch(/cm-(type|variable-3)/);
    expect(await token('"fetch"').getAttribute("class")).toContain("cm-string");
    const colour = (locator: Locator) => locator.evaluate((el) => getComputedStyle(el).color);
    expect(await colour(token("interface")), "keywords are drawn in a colour of their own").not.toBe(await colour(token('"fetch"')));
    await cell.screenshot({ path: join(artifacts, "notebook-highlighting.png") });
  });

  /** Runs source in a new cell, waits until it is running, presses the toolbar's interrupt, and waits for the end. */
  async function interrupted(source: string, running: (cell: Locator) => Promise<void>, screenshot: string) {
    const cell = await appendCell(page, source);
    await page.keyboard.press("Shift+Enter");
    await page.waitForSelector("#kernel_indicator_icon.kernel_busy_icon");
    await running(cell);
    await page.click('#maintoolbar-container button[data-jupyter-action="jupyter-notebook:interrupt-kernel"]');
    try {
      await waitCellFinished(page, cell, 20_000);
    } finally {
      await cell.screenshot({ path: join(artifacts, screenshot) });
    }
    return cell;
  }

  async function runCell(source: string): Promise<string> {
    const cell = await appendCell(page, source);
    await page.keyboard.press("Shift+Enter");
    await waitCellFinished(page, cell, 20_000);
    return (await cell.locator(".output_area").allTextContents()).join("\n");
  }

  test("a type error appears under its cell after the cell ran (run and warn: it comes after the reply)", async () => {
    const cell = await appendCell(page, 'const label: string = 42;\nconsole.log("ran with", label);');
    await page.keyboard.press("Shift+Enter");
    await waitCellFinished(page, cell, 20_000);
    const warning = cell.locator(".output_stderr", { hasText: "TS2322" });
    await warning.waitFor({ timeout: 20_000 });
    const text = (await warning.textContent()) ?? "";
    expect(text).toContain("TypeScript: 1 type error in this cell (the cell ran anyway");
    expect(text).toMatch(/Cell In\[\d+\], line 1, col 7: Type 'number' is not assignable to type 'string'\. \(TS2322\)/);
    expect(text).toContain("const label: string = 42;\n          ^");
    // The cell's own output is there too, above the warning.
    expect((await cell.locator(".output_area").allTextContents()).join("\n")).toContain("ran with 42");
    await cell.screenshot({ path: join(artifacts, "notebook-type-error.png") });
  }, 60_000);

  test("the toolbar's interrupt button stops a synchronous busy loop, and the kernel lives on", async () => {
    const cell = await interrupted(
      // Output cannot leave a blocked event loop, so the cell says "I am in the loop" through a file (the
      // kernel's working directory is the notebook's).
      'import { writeFileSync } from "node:fs";\nlet spins = 0;\nwriteFileSync("spinning.flag", "");\nwhile (true) spins++;',
      () => expect.poll(() => existsSync(join(notebookDir, "spinning.flag")), { timeout: 20_000 }).toBe(true),
      "notebook-interrupt-loop.png",
    );
    expect(await cell.locator(".output_error").count(), "the interrupted cell ends with an error output").toBe(1);
    expect(await runCell("spins > 0")).toContain("true");
  }, 60_000);

  test("the toolbar's interrupt button stops a long await, and the kernel lives on", async () => {
    const cell = await interrupted(
      'import { sleep } from "looplab";\nconsole.log("sleeping");\nawait sleep(3_600_000);\nconsole.log("woke up");',
      (cell) => cell.locator(".output_area", { hasText: "sleeping" }).waitFor({ timeout: 20_000 }),
      "notebook-interrupt-await.png",
    );
    const text = (await cell.locator(".output_area").allTextContents()).join("\n");
    expect(text).not.toContain("woke up");
    expect(await cell.locator(".output_error").count(), "the interrupted cell ends with an error output").toBe(1);
    expect(await runCell("1 + 1")).toContain("2");
    await screenshotNotebook(page, "notebook-after-interrupts.png");
  }, 60_000);
});
