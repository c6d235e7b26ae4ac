// Renders real recordings (sequential vs gather, Semaphore(2) waves, a queue pipeline, a blocked loop) to PNG
// in headless Chromium, on a light and a dark page, so a person can look at them in test/artifacts/timelines/.
// Chromium also checks what a browser thinks of the SVG: it must parse as XML and load as an image.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext } from "playwright-core";
import * as runtime from "../../runtime/index.ts";
import { getTimeScale, now, setTimeScale, sleep } from "../../runtime/clock.ts";
import { Queue } from "../../runtime/queue.ts";
import { Semaphore } from "../../runtime/semaphore.ts";
import { createTask } from "../../runtime/task.ts";
import { timeline, type Timeline } from "../../runtime/timeline/timeline.ts";
import { progress } from "../../runtime/progress.ts";
import type { MimeBundle } from "../../runtime/display.ts";
import { renderSvg } from "../../runtime/timeline/svg.ts";
import { manySpans, mixedOutcomes } from "./fixtures.ts";
import { launchChromiumProfile } from "../support/browser.ts";
import { requireOrSkip } from "../support/jupyter.ts";

const OUT = join(import.meta.dirname, "..", "artifacts", "timelines");
// A mild scale: a loaded machine's timer lateness is multiplied by it, and these charts are for people to read.
const SCALE = 4;
const haveChromium = requireOrSkip("chromium");

const blockLoop = (nominal: number): void => runtime.sleepSync(nominal);

const download = (i: number, ms = 1000) => createTask(() => sleep(ms, `page ${i}`), { name: `download ${i}` });

async function recordings(): Promise<Record<string, Timeline>> {
  const sequential = await timeline(
    async () => {
      const pages = [];
      for (const i of [1, 2, 3]) pages.push(await sleep(1000, i));
      return pages;
    },
    { title: "Sequential: three downloads, one after another" },
  );
  const gathered = await timeline(() => Promise.all([1, 2, 3].map((i) => download(i))), { title: "gather: three downloads at once" });
  const sem = new Semaphore(2);
  const waves = await timeline(
    () => Promise.all([1, 2, 3, 4].map((i) => createTask(() => sem.run(() => sleep(1000)), { name: `job ${i}` }))),
    { title: "Semaphore(2): four jobs in two waves" },
  );
  const pipeline = await timeline(
    async () => {
      const q = new Queue<number>(2);
      const producer = createTask(
        async () => {
          for (let i = 0; i < 8; i++) {
            await sleep(150);
            await q.put(i);
          }
          q.shutdown();
        },
        { name: "producer" },
      );
      const consumers = [1, 2].map((c) =>
        createTask(
          async () => {
            for await (const _ of q) await sleep(500);
          },
          { name: `consumer ${c}` },
        ),
      );
      await Promise.all([producer, ...consumers]);
    },
    { title: "Queue(2) pipeline: one producer, two consumers" },
  );
  const blocked = await timeline(
    async () => {
      const ticker = createTask(
        async () => {
          for (let i = 0; i < 12; i++) await sleep(100);
        },
        { name: "ticker" },
      );
      await sleep(300);
      blockLoop(500);
      await ticker;
    },
    { title: "sleepSync(500) freezes the event loop" },
  );
  return { "1-sequential": sequential, "2-gather": gathered, "3-semaphore-waves": waves, "4-queue-pipeline": pipeline, "5-blocked-loop": blocked };
}

describe.skipIf(!haveChromium)("timeline charts in Chromium", () => {
  let context: BrowserContext;
  let profile: string;
  let previousScale = 1;

  beforeAll(async () => {
    previousScale = getTimeScale();
    setTimeScale(SCALE);
    profile = mkdtempSync(join(tmpdir(), "looplab-chromium-"));
    context = await launchChromiumProfile(profile, { viewport: { width: 1720, height: 400 } });
    mkdirSync(OUT, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    setTimeScale(previousScale);
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it("renders real recordings and big fixtures to PNG, each a valid SVG image on light and dark pages", async () => {
    const charts: Record<string, string> = {};
    for (const [name, tl] of Object.entries(await recordings())) charts[name] = tl.toSVG();
    charts["6-outcomes-and-states"] = renderSvg(mixedOutcomes());
    charts["7-ten-thousand-tasks"] = renderSvg(manySpans(10_000));

    const page = await context.newPage();
    for (const [name, svg] of Object.entries(charts)) {
      writeFileSync(join(OUT, `${name}.svg`), svg);
      // The browser's own XML parser: a parsererror element means the SVG is not well-formed.
      const parsed = await page.evaluate((source) => {
        const doc = new DOMParser().parseFromString(source, "image/svg+xml");
        return { error: doc.querySelector("parsererror")?.textContent ?? null, root: doc.documentElement.nodeName, texts: doc.querySelectorAll("text").length };
      }, svg);
      expect(parsed.error, name).toBeNull();
      expect(parsed.root).toBe("svg");
      expect(parsed.texts).toBeGreaterThan(5);

      // As JupyterLab shows image/svg+xml: an <img> with a data URL, on a light and a dark background.
      const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
      await page.setContent(
        `<body style="margin:0;display:flex;align-items:flex-start;width:max-content">` +
          `<div style="background:#ffffff;padding:16px"><img id="light" src="${src}"></div>` +
          `<div style="background:#111111;padding:16px"><img id="dark" src="${src}"></div></body>`,
      );
      const loaded = await page.evaluate(async () => {
        const imgs = Array.from(document.images);
        await Promise.all(imgs.map((img) => img.decode()));
        return imgs.map((img) => img.naturalWidth);
      });
      expect(loaded).toEqual([800, 800]);
      await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
    }
    console.log(`timeline charts written to ${OUT}`);
  }, 120_000);

  it("renders the progress bar's HTML frames (running, done, failed) on light and dark pages", async () => {
    // Capture the frames through the kernel's contract object, as a notebook would receive them.
    const frames: MimeBundle[] = [];
    const key = Symbol.for("looplab.display");
    (globalThis as Record<symbol, unknown>)[key] = { display: (b: MimeBundle) => frames.push(b), update: (_id: string, b: MimeBundle) => frames.push(b) };
    try {
      await progress(Array.from({ length: 10 }, (_, i) => () => sleep(100 * (i + 1), i)), { label: "downloading <pages>" });
      await progress([() => sleep(100), () => sleep(150).then(() => Promise.reject(new Error("404")))], { label: "flaky" }).catch(() => undefined);
    } finally {
      delete (globalThis as Record<symbol, unknown>)[key];
    }
    const picked = [frames[Math.floor(frames.length / 3)]!, ...frames.filter((f) => /10\/10/.test(f["text/plain"])), frames[frames.length - 1]!];
    const rows = picked.map((f) => `<div style="margin:6px 0">${f["text/html"]}</div>`).join("");
    const page = await context.newPage();
    await page.setContent(
      `<body style="margin:0;display:flex;align-items:flex-start;width:max-content">` +
        `<div style="background:#fff;color:#1f2328;padding:16px;width:640px">${rows}</div>` +
        `<div style="background:#111;color:#e6edf3;padding:16px;width:640px">${rows}</div></body>`,
    );
    expect(await page.locator("text=downloading <pages>").count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(OUT, "8-progress.png"), fullPage: true });
  }, 60_000);
});
