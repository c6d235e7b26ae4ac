// A real JupyterLab 4.6 in headless Chromium (test/jupyterlab, on Debian's jupyter_server + jupyterlab_server):
// a teacher's day. The launcher card, a new notebook on the LoopLab kernel, every lesson opened fresh (saved,
// untrusted outputs) and after Run All, a live chart, light and dark themes, interrupt, restart, Tab
// completion, the Shift+Tab tooltip, input(), and a console free of errors the kernel caused. Assertions read
// JupyterLab's own DOM: which renderer it chose for each output (data-mime-type). Screenshots go to
// test/artifacts/jupyterlab/ for a person to look at.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { cp, mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { launchChromium } from "../support/browser.ts";
import { installedKernel, repoRoot, requireOrSkip, type JupyterHome } from "../support/jupyter.ts";
import { labBuiltOrSkip, startLabServer, type LabServer } from "./jupyterlab-server.ts";
import { JUPYTERLAB_RENDERERS, jupyterLabChoice } from "./mime-choice.ts";
import { lessonFiles, lessonsDir, readNotebook, tagsOf } from "./notebooks.ts";

const artifacts = join(repoRoot, "test/artifacts/jupyterlab");
const RUN_ALL_TIMEOUT = 150_000;
/** Renderers that draw a picture: JupyterLab's image renderer (PNG) and its SVG renderer (an <img> too). */
const PICTURE = '.jp-OutputArea-output[data-mime-type="image/png"], .jp-OutputArea-output[data-mime-type="image/svg+xml"]';

/** Browser console noise of this server, not of the kernel: jupyter_server 1.x lacks /api/me and /api/events. */
const SERVER_NOISE = [/\/api\/events\/subscribe/, /\/api\/me\b/];

interface CellModel {
  type: string;
  tags: string[];
  outputs: { output_type: string; data?: Record<string, unknown> }[];
}

/** The notebook's cells as JupyterLab's model holds them (tags and output types are not in the DOM). */
function cellModels(page: Page): Promise<CellModel[]> {
  return page.evaluate(() => {
    const panel = (window as any).jupyterapp.shell.currentWidget;
    const cells = panel.content.model.cells;
    const out: CellModel[] = [];
    for (let i = 0; i < cells.length; i++) {
      const json = cells.get(i).toJSON();
      out.push({ type: json.cell_type, tags: json.metadata?.tags ?? [], outputs: json.outputs ?? [] });
    }
    return out;
  });
}

/** What JupyterLab drew for each code cell: the renderer of every output, and the pictures' sizes. */
function renderedOutputs(page: Page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-CodeCell")).map((cell) => ({
      mimes: Array.from(cell.querySelectorAll(".jp-OutputArea-output")).map((o) => o.getAttribute("data-mime-type") ?? (o.classList.contains("jp-RenderedJSON") ? "application/json" : "?")),
      text: (cell.querySelector(".jp-OutputArea")?.textContent ?? "").slice(0, 2000),
      // Widths of the coloured parts of HTML outputs (a progress bar's track and fill) after the sanitizer.
      htmlBars: Array.from(cell.querySelectorAll('.jp-OutputArea-output[data-mime-type="text/html"] span[style*="background"]')).map((bar) => bar.getBoundingClientRect().width),
      pictures: Array.from(cell.querySelectorAll(".jp-OutputArea-output img")).map((img) => {
        const image = img as HTMLImageElement;
        return { complete: image.complete, naturalWidth: image.naturalWidth, width: image.getBoundingClientRect().width, src: image.src.slice(0, 30) };
      }),
    })),
  );
}

/** Opens a notebook in a fresh workspace and waits until JupyterLab drew it and its kernel is idle. */
async function openNotebook(page: Page, server: LabServer, path: string) {
  await page.goto(server.urlOf(path));
  await page.waitForSelector("body[data-looplab-ready]", { state: "attached", timeout: 60_000 });
  await page.waitForSelector(".jp-NotebookPanel .jp-Notebook .jp-Cell", { timeout: 60_000 });
  await waitIdle(page, 60_000);
}

/** Waits until the current notebook's kernel is connected and idle (the toolbar's indicator says idle earlier). */
async function waitIdle(page: Page, timeout: number) {
  await page.waitForFunction(
    () => {
      const kernel = (window as any).jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel;
      return kernel?.connectionStatus === "connected" && kernel?.status === "idle";
    },
    null,
    { timeout, polling: 100 },
  );
}

/** Waits until no cell is queued or running ("[*]:") and the kernel is idle. */
async function waitSettled(page: Page, timeout: number) {
  await page.waitForFunction(
    () => {
      const prompts = Array.from(document.querySelectorAll(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt")).map((p) => p.textContent ?? "");
      const kernel = (window as any).jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel;
      return kernel?.status === "idle" && !prompts.some((text) => text.includes("*"));
    },
    null,
    { timeout, polling: 250 },
  );
}

/** The notebook toolbar's button by its item name (interrupt, restart, restart-and-run, save, ...). */
function toolbarButton(page: Page, item: string): Locator {
  return page.locator(`.jp-NotebookPanel:not(.lm-mod-hidden) .jp-NotebookPanel-toolbar [data-jp-item-name="${item}"] button`).first();
}

/** Restarts the kernel and runs every cell, as the toolbar's ⏩ button does (confirming its dialog). */
async function restartAndRunAll(page: Page) {
  // The saved prompts already read [1], [2], ...: "settled" only means "ran" once Run All has queued the cells
  // (every prompt turns [*] at once), which an observer sees however briefly it lasts.
  await page.evaluate(() => {
    const w = window as any;
    w.__looplabQueued = false;
    const notebook = document.querySelector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")!;
    const observer = new MutationObserver(() => {
      if (Array.from(notebook.querySelectorAll(".jp-InputPrompt")).some((p) => (p.textContent ?? "").includes("*"))) {
        w.__looplabQueued = true;
        observer.disconnect();
      }
    });
    observer.observe(notebook, { subtree: true, childList: true, characterData: true });
  });
  await toolbarButton(page, "restart-and-run").click();
  await page.locator(".jp-Dialog .jp-mod-accept").click();
  await page.waitForFunction(() => (window as any).__looplabQueued === true, null, { timeout: 60_000 });
  await waitSettled(page, RUN_ALL_TIMEOUT);
}

/** A picture of the whole notebook: the window grows to the notebook's height for the shot. */
async function screenshotNotebook(page: Page, name: string) {
  const viewport = page.viewportSize()!;
  const height = await page.evaluate(() => document.querySelector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer")?.scrollHeight ?? 0);
  await page.setViewportSize({ width: viewport.width, height: Math.min(Math.max(height + 200, viewport.height), 14_000) });
  try {
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(artifacts, name) });
  } finally {
    await page.setViewportSize(viewport);
  }
}

/**
 * Types source into a new code cell at the end of the notebook and leaves its editor focused. The cell is
 * added by JupyterLab's own command (what `b` in command mode runs), which does not depend on where focus is.
 */
async function appendCell(page: Page, source: string): Promise<Locator> {
  const cells = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell");
  const count = await cells.count();
  await page.evaluate(async () => {
    const app = (window as any).jupyterapp;
    const notebook = app.shell.currentWidget.content;
    notebook.activeCellIndex = notebook.widgets.length - 1;
    await app.commands.execute("notebook:insert-cell-below");
  });
  await expect.poll(() => cells.count()).toBe(count + 1);
  const cell = cells.nth(count);
  await cell.locator(".cm-content").click();
  // insertText goes in like a paste: the editor's bracket closing does not double what we type.
  if (source) await page.keyboard.insertText(source);
  return cell;
}

/** Runs the cell being edited (Shift+Enter... but staying on it: Ctrl+Enter) and waits for its count. */
async function runCell(page: Page, cell: Locator, timeout = 30_000): Promise<string> {
  await page.keyboard.press("Control+Enter");
  await expect.poll(async () => (await cell.locator(".jp-InputPrompt").textContent()) ?? "", { timeout, interval: 150 }).toMatch(/\[\d+\]/);
  await waitIdle(page, timeout);
  return (await cell.locator(".jp-OutputArea").textContent()) ?? "";
}

/** WCAG 2 contrast ratio of two sRGB colours. */
function contrast(a: number[], b: number[]): number {
  const luminance = (rgb: number[]) => {
    const [r, g, bl] = rgb.map((c) => {
      const v = c / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const lessons = lessonFiles();
// Debian's servers and Chromium first, then the front end (built here when no current build is cached).
const ready = requireOrSkip("jupyter-server", "jupyterlab-server", "chromium") && (await labBuiltOrSkip());

describe("JupyterLab 4 in headless Chromium (test/jupyterlab + Debian's jupyter_server + chromium)", () => {
  if (!ready) return;

  let home: JupyterHome;
  let server: LabServer;
  let browser: Browser;
  let page: Page;
  let notebookDir: string;
  /** Console errors and failed requests, each with what caused it. */
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    home = await installedKernel();
    notebookDir = join(home.dir, "notebooks");
    // A copy, so JupyterLab's autosave never rewrites the lessons in the repository.
    await cp(lessonsDir, notebookDir, { recursive: true });
    await mkdir(artifacts, { recursive: true });
    [server, browser] = await Promise.all([
      startLabServer(home, notebookDir),
      launchChromium(),
    ]);
    page = await (await browser.newContext({ viewport: { width: 1280, height: 960 } })).newPage();
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(`${message.text()} (at ${message.location().url})`);
    });
    page.on("pageerror", (error) => consoleErrors.push(`page error: ${error.message}`));
    page.on("response", (response) => {
      if (response.status() >= 400) consoleErrors.push(`HTTP ${response.status()} ${response.url()}`);
    });
  }, 90_000);

  afterEach((context) => {
    if (context.task.result?.state === "fail") console.error(`JupyterLab server log (last 6000 chars):\n${server?.log().slice(-6000)}`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await home?.remove();
  });

  test('the launcher offers "TypeScript (LoopLab)" with its logo, and its card opens a notebook on the LoopLab kernel', async () => {
    await page.goto(server.home());
    await page.waitForSelector("body[data-looplab-ready]", { state: "attached", timeout: 60_000 });
    const card = page.locator('.jp-LauncherCard[data-category="Notebook"][title="TypeScript (LoopLab)"]');
    await card.waitFor({ timeout: 30_000 });
    expect(await card.locator(".jp-LauncherCard-label").textContent()).toBe("TypeScript (LoopLab)");
    const logo = card.locator("img");
    expect(await logo.getAttribute("src")).toMatch(/^\/kernelspecs\/looplab\/logo-/);
    await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await page.locator(".jp-Launcher").screenshot({ path: join(artifacts, "launcher.png") });

    await card.click();
    await page.waitForSelector(".jp-NotebookPanel .jp-Notebook .jp-Cell", { timeout: 60_000 });
    await waitIdle(page, 60_000);
    await expect.poll(() => page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-KernelName").first().textContent()).toBe("TypeScript (LoopLab)");
    const cell = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").first();
    await cell.locator(".cm-content").click();
    await page.keyboard.insertText('const greeting: string = "hello from LoopLab";\ngreeting.length');
    expect(await runCell(page, cell)).toContain("18");
  }, 120_000);

  test("the unit tests' model of JupyterLab's MIME choice (mime-choice.ts) is what its rendermime registry does", async () => {
    const types = JUPYTERLAB_RENDERERS.flatMap((renderer) => renderer.mimeTypes);
    // Every pair of known types, plus the bundles the kernel sends.
    const bundles: Record<string, string>[] = [];
    for (const a of types) for (const b of types) if (a < b) bundles.push({ [a]: "x", [b]: "x" });
    bundles.push({ "text/plain": "x", "image/svg+xml": "x", "image/png": "x" }, { "text/plain": "x", "text/html": "x" }, { "text/plain": "x", "image/svg+xml": "x" });
    const real = (await page.evaluate((all) => {
      const rendermime = (window as any).jupyterapp.shell.currentWidget.content.rendermime;
      return all.map((bundle) => [rendermime.preferredMimeType(bundle, "ensure") ?? null, rendermime.preferredMimeType(bundle, "any") ?? null]);
    }, bundles)) as [string | null, string | null][];
    const modelled = bundles.map((bundle) => [jupyterLabChoice(bundle, false) ?? null, jupyterLabChoice(bundle, true) ?? null]);
    // Equal ranks (stderr and JavaScript at 110) are ordered by registration in JupyterLab; no bundle pairs them.
    expect(modelled).toEqual(real);
  });

  test("Tab completes a notebook variable and Shift+Tab shows the tooltip", async () => {
    await runCell(page, await appendCell(page, "const concurrencyLimit = 4;\nfunction fetchPage(url: string, retries = 3): Promise<string> { return Promise.resolve(url); }"));
    await appendCell(page, "concurrencyLi");
    await page.keyboard.press("Tab");
    // A single match is inserted at once; several show JupyterLab's completer list.
    const cellText = () => page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").last().locator(".cm-content").textContent();
    await expect.poll(async () => ((await cellText()) ?? "").includes("concurrencyLimit") || (await page.locator(".jp-Completer-item").count()) > 0, { timeout: 15_000 }).toBe(true);
    if (!((await cellText()) ?? "").includes("concurrencyLimit")) {
      await expect.poll(() => page.locator('.jp-Completer-item[data-value="concurrencyLimit"]').count()).toBeGreaterThan(0);
      await page.screenshot({ path: join(artifacts, "completion.png") });
      await page.keyboard.press("Enter");
    }
    await expect.poll(cellText).toContain("concurrencyLimit");

    await appendCell(page, "fetchPage(");
    await page.keyboard.press("Shift+Tab");
    const tooltip = page.locator(".jp-Tooltip");
    await tooltip.waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await tooltip.textContent()) ?? "", { timeout: 15_000 }).toMatch(/fetchPage|url/);
    await page.screenshot({ path: join(artifacts, "tooltip.png") });
    await page.keyboard.press("Escape");
  }, 60_000);

  test('await input("name? ") shows JupyterLab\'s input box, and the cell gets the typed answer', async () => {
    const cell = await appendCell(page, 'const answer = await input("name? ");\n`hello, ${answer}`');
    await page.keyboard.press("Control+Enter");
    const box = cell.locator(".jp-Stdin-input");
    await box.waitFor({ timeout: 20_000 });
    expect(await cell.locator(".jp-Stdin-prompt").textContent()).toContain("name?");
    await box.fill("Ada");
    await page.screenshot({ path: join(artifacts, "input.png") });
    await box.press("Enter");
    await expect.poll(async () => (await cell.locator(".jp-OutputArea").textContent()) ?? "", { timeout: 20_000 }).toContain("hello, Ada");
    await waitIdle(page, 20_000);
  }, 60_000);

  test("a live timeline grows in place (update_display_data) and ends as the exact final chart", async () => {
    const cell = await appendCell(
      page,
      'import { timeline, createTask, sleep } from "looplab";\n' +
        'const tl = await timeline(() => Promise.all([1, 2, 3].map((i) => createTask(() => sleep(i * 4_000), { name: `job ${i}` }))), { title: "live in JupyterLab" });',
    );
    // Every picture the output area shows while the cell runs, as JupyterLab swaps them in.
    await page.evaluate(() => {
      const seen: { outputs: number; src: string }[] = [];
      (window as any).__looplabFrames = seen;
      const area = document.querySelector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell:last-child .jp-OutputArea")!;
      new MutationObserver(() => {
        const imgs = area.querySelectorAll(".jp-OutputArea-output img");
        const src = (imgs[imgs.length - 1] as HTMLImageElement | undefined)?.src ?? "";
        if (src && seen.at(-1)?.src !== src) seen.push({ outputs: area.querySelectorAll(".jp-OutputArea-output").length, src });
      }).observe(area, { subtree: true, childList: true, attributes: true });
    });
    await runCell(page, cell, 60_000);
    const frames = (await page.evaluate(() => (window as any).__looplabFrames)) as { outputs: number; src: string }[];
    // Grows in place: several frames, always one output (no chart appended under the last one).
    expect(frames.length, "pictures shown while the cell ran").toBeGreaterThanOrEqual(3);
    expect(frames.every((frame) => frame.outputs === 1)).toBe(true);
    const decode = (src: string) => decodeURIComponent(src.replace(/^data:image\/svg\+xml,/, ""));
    expect(decode(frames[0]!.src)).toContain("recording");
    const last = decode(frames.at(-1)!.src);
    expect(last).not.toContain("recording");
    expect(last).toMatch(/live in JupyterLab: 4 tasks, wall 12\.\d s/);
    // Exact: the final picture is the Timeline's own chart, byte for byte; the cell has a picture and no JSON tree.
    const models = await cellModels(page);
    const outputs = models.at(-1)!.outputs;
    expect(outputs).toHaveLength(1);
    expect(outputs[0]!.data?.["image/png"], "the final frame carries the PNG").toBeTruthy();
    expect(outputs[0]!.data?.["application/json"]).toBeUndefined();
    const view = (await renderedOutputs(page)).at(-1)!;
    expect(view.mimes).toEqual(["image/svg+xml"]);
    expect(await runCell(page, await appendCell(page, "tl.toSVG() === (tl as any).bundle().data['image/svg+xml']"))).toContain("true");
    expect(last).toBe(String(outputs[0]!.data?.["image/svg+xml"]));
    await cell.screenshot({ path: join(artifacts, "live-timeline.png") });
  }, 90_000);

  test("the interrupt button stops `while (true) {}` and a pending await, and the variables stay", async () => {
    await runCell(page, await appendCell(page, "let kept = 42;\nlet spins = 0;"));
    const loop = await appendCell(page, "while (true) { spins++; }");
    await page.keyboard.press("Control+Enter");
    await page.waitForSelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator[data-status="busy"]', { state: "attached" });
    await page.waitForTimeout(500);
    await toolbarButton(page, "interrupt").click();
    await expect.poll(async () => (await loop.locator(".jp-InputPrompt").textContent()) ?? "", { timeout: 20_000 }).toMatch(/\[\d+\]/);
    expect(await loop.locator(".jp-OutputArea").textContent()).toMatch(/interrupt/i);
    await loop.screenshot({ path: join(artifacts, "interrupt-loop.png") });

    const pending = await appendCell(page, 'import { sleep as nap } from "looplab";\nconsole.log("napping");\nawait nap(3_600_000);\nconsole.log("woke up");');
    await page.keyboard.press("Control+Enter");
    await pending.locator(".jp-OutputArea", { hasText: "napping" }).waitFor({ timeout: 20_000 });
    await toolbarButton(page, "interrupt").click();
    await expect.poll(async () => (await pending.locator(".jp-InputPrompt").textContent()) ?? "", { timeout: 20_000 }).toMatch(/\[\d+\]/);
    expect(await pending.locator(".jp-OutputArea").textContent()).not.toContain("woke up");
    await waitIdle(page, 20_000);
    expect(await runCell(page, await appendCell(page, "[kept, spins > 0]"))).toMatch(/\[\s*42,\s*true\s*\]/);
  }, 90_000);

  test("restart: the kernel comes back empty and runs cells again", async () => {
    await toolbarButton(page, "restart").click();
    await page.locator(".jp-Dialog .jp-mod-accept").click();
    await page.waitForSelector(".jp-Dialog", { state: "detached" });
    await waitIdle(page, 60_000);
    expect(await runCell(page, await appendCell(page, "typeof kept"))).toContain("undefined");
    await screenshotNotebook(page, "new-notebook.png");
    await server.closeSessions();
  }, 90_000);

  for (const lesson of lessons) {
    test(`${lesson}: opened fresh its timelines are pictures; after Run All too, with no error but where tagged`, async () => {
      const saved = readNotebook(join(lessonsDir, lesson));
      const savedCode = saved.cells.filter((cell) => cell.cell_type === "code");
      const pictures = (outputs: { data?: Record<string, unknown> }[]) => outputs.filter((o) => o.data?.["image/png"] !== undefined || o.data?.["image/svg+xml"] !== undefined).length;

      await openNotebook(page, server, lesson);
      // JupyterLab attaches cells in batches after the notebook opens.
      await expect.poll(async () => (await renderedOutputs(page)).length, { timeout: 30_000 }).toBe(savedCode.length);
      const fresh = await renderedOutputs(page);
      expect(fresh).toHaveLength(savedCode.length);
      for (const [index, cell] of savedCode.entries()) {
        const wanted = pictures(cell.outputs as { data?: Record<string, unknown> }[]);
        const shown = fresh[index]!;
        // Untrusted: JupyterLab may only use safe renderers, so a chart must be its PNG.
        expect(shown.mimes.filter((mime) => mime === "image/png").length, `cell ${index + 1}: saved charts shown as PNG`).toBe(wanted);
        expect(shown.mimes, `cell ${index + 1}: no JSON tree`).not.toContain("application/json");
        expect(shown.text, `cell ${index + 1}`).not.toMatch(/Cannot display an untrusted/);
        // A saved progress bar is sanitized HTML: its inline styles must survive, or only its figures would show.
        if ((cell.outputs as { data?: Record<string, unknown> }[]).some((o) => o.data?.["text/html"] !== undefined)) {
          expect(shown.mimes, `cell ${index + 1}: HTML output`).toContain("text/html");
          expect(shown.htmlBars.filter((width) => width > 0).length, `cell ${index + 1}: the bar is drawn`).toBeGreaterThanOrEqual(2);
        }
        for (const picture of shown.pictures) {
          expect(picture.naturalWidth, `cell ${index + 1}: the picture loaded`).toBeGreaterThan(0);
          // Charts with long lane labels are wider than 800 CSS px: what matters is half the PNG's pixels, not 2x.
          expect(picture.width, `cell ${index + 1}: drawn at its CSS size, not its 2x pixels`).toBeLessThanOrEqual(Math.ceil(picture.naturalWidth / 2) + 1);
        }
      }
      const stem = lesson.replace(/\.ipynb$/, "");
      await screenshotNotebook(page, `${stem}-fresh.png`);

      try {
        await restartAndRunAll(page);
      } finally {
        await screenshotNotebook(page, `${stem}-run-all.png`);
      }
      const models = (await cellModels(page)).filter((cell) => cell.type === "code");
      const ran = await renderedOutputs(page);
      for (const [index, cell] of models.entries()) {
        const errors = cell.outputs.filter((o) => o.output_type === "error").length;
        const tagged = tagsOf(savedCode[index]!).includes("raises-exception");
        expect(errors, `cell ${index + 1}${tagged ? " (tagged raises-exception)" : ""}: ${ran[index]!.text.slice(0, 400)}`).toBe(tagged ? 1 : 0);
        // Trusted now (the kernel just sent them): charts are pictures still, never a tree.
        expect(ran[index]!.mimes.filter((mime) => mime === "image/png" || mime === "image/svg+xml").length, `cell ${index + 1}: charts after Run All`).toBe(pictures(cell.outputs));
        expect(ran[index]!.mimes).not.toContain("application/json");
      }
      expect(models.flatMap((cell) => cell.outputs).some((o) => o.data?.["image/png"] !== undefined) || !saved.cells.some((c) => /\btimeline\b/.test(c.source))).toBe(true);
      await server.closeSessions();
    }, RUN_ALL_TIMEOUT + 120_000);
  }

  test("light and dark themes: the lesson's charts are pictures on JupyterLab's own background in both", async () => {
    const lesson = lessons.find((name) => name.startsWith("03")) ?? lessons[0]!;
    for (const theme of ["JupyterLab Light", "JupyterLab Dark"] as const) {
      await server.setTheme(theme);
      await openNotebook(page, server, lesson);
      await page.waitForSelector(`body[data-jp-theme-name="${theme}"]`, { state: "attached", timeout: 30_000 });
      const chart = page.locator(PICTURE).first();
      await chart.scrollIntoViewIfNeeded();
      // What the transparent chart is drawn on: the first opaque background behind the output.
      const background = await chart.evaluate((el) => {
        for (let node: Element | null = el; node; node = node.parentElement) {
          const colour = getComputedStyle(node).backgroundColor;
          if (!/rgba\(.*, 0\)$|transparent/.test(colour)) return colour;
        }
        return "rgb(255, 255, 255)";
      });
      const light = theme === "JupyterLab Light";
      const [r, g, b] = background.match(/\d+/g)!.map(Number);
      expect(light ? r! + g! + b! > 600 : r! + g! + b! < 150, `${theme} background ${background}`).toBe(true);
      // The chart's text colour (its root fill) against that background: WCAG's 3:1 for its bold labels at least.
      const saved = readNotebook(join(lessonsDir, lesson)).cells.flatMap((cell) => (cell.cell_type === "code" ? cell.outputs : []));
      const svg = String((saved as { data?: Record<string, unknown> }[]).find((o) => o.data?.["image/svg+xml"])!.data!["image/svg+xml"]);
      const textColour = /<svg[^>]* fill="#([0-9a-f]{6})"/i.exec(svg)![1]!;
      const ratio = contrast([0, 2, 4].map((i) => parseInt(textColour.slice(i, i + 2), 16)), [r!, g!, b!]);
      expect(ratio, `chart text #${textColour} on ${background} in ${theme}`).toBeGreaterThanOrEqual(3);
      expect(await chart.locator("img").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
      const slug = light ? "light" : "dark";
      await chart.screenshot({ path: join(artifacts, `chart-${slug}.png`) });
      await page.screenshot({ path: join(artifacts, `lesson-${slug}.png`) });
      await server.closeSessions();
    }
    await server.setTheme("JupyterLab Light");
  }, 120_000);

  test("the browser console shows no error caused by the kernel", () => {
    const ours = consoleErrors.filter((line) => !SERVER_NOISE.some((noise) => noise.test(line)) && !/^Failed to load resource: the server responded with a status of 404/.test(line));
    // A 404 the console reports without its address is listed again by the response handler with it.
    const unexplained404 = consoleErrors.filter((line) => /^HTTP 404/.test(line) && !SERVER_NOISE.some((noise) => noise.test(line)));
    expect(unexplained404).toEqual([]);
    expect(ours).toEqual([]);
  });
});
