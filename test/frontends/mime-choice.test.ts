// Every rich output the kernel and runtime send (timelines live and final, progress bars, display helpers and
// handles), taken from a real kernel, put through each front end's own choice of MIME type (mime-choice.ts):
// a chart is a picture everywhere, a progress bar is HTML, text reaches the console, and no extra type (a JSON
// tree in JupyterLab, a vendor type in VS Code) can ever again take a picture's place unnoticed.
import { beforeAll, describe, expect, it } from "vitest";
import { kernelPerFile } from "../support/kernel.ts";
import type { Message } from "../../kernel/wire/message.ts";
import { choices, classicNotebookChoice, jupyterLabChoice, nbconvertChoice, vscodeChoice, type Bundle } from "./mime-choice.ts";

const kernel = kernelPerFile();

const dataOf = (message: Message) => message.content.data as Bundle;
const metadataOf = (message: Message) => (message.content.metadata ?? {}) as Record<string, Record<string, unknown>>;

/** What every front end shows for a chart's bundle. */
function expectPictureEverywhere(bundle: Bundle, what: string) {
  expect(choices(bundle), what).toEqual({
    "JupyterLab, untrusted (saved notebook opened fresh)": "image/png",
    "JupyterLab, trusted (just run)": "image/svg+xml",
    "classic Notebook, untrusted": "image/svg+xml",
    "classic Notebook, trusted": "image/svg+xml",
    "nbconvert HTML": "image/svg+xml",
    "VS Code": "image/png",
    "jupyter console": "text/plain",
  });
}

describe("each front end's MIME choice on real kernel outputs", () => {
  let liveFrames: Message[];
  let shownAgain: Bundle;
  let progressFrames: Message[];

  beforeAll(async () => {
    const recorded = await kernel.execute(
      [
        `import { timeline, createTask, sleep, progress } from "looplab";`,
        `const tl = await timeline(() => Promise.all([1, 2].map((i) => createTask(() => sleep(400 * i), { name: \`job \${i}\` }))), { title: "mime choice" });`,
      ].join("\n"),
    );
    expect(recorded.error).toBeUndefined();
    liveFrames = recorded.displays;
    // `tl` on its own in a later cell: the Timeline's own bundle as execute_result.
    const again = await kernel.execute("tl");
    shownAgain = again.result!;
    const bar = await kernel.execute(`await progress([1, 2, 3].map((n) => () => sleep(n * 60, n)), { label: "pages" });`);
    progressFrames = bar.displays;
  }, 60_000);

  it("a timeline's final frame and its later result are pictures in every front end, and text in the console", () => {
    const final = liveFrames.at(-1)!;
    expect(final.header.msg_type).toBe("update_display_data");
    expectPictureEverywhere(dataOf(final), "final frame");
    expectPictureEverywhere(shownAgain, "`tl` in a later cell");
    // Only the types some front end uses: nothing that could outrank the picture somewhere.
    expect(Object.keys(dataOf(final)).sort()).toEqual(["image/png", "image/svg+xml", "text/plain"]);
    // The PNG is drawn at 2x and declared at the SVG's size, so it lays out exactly like the SVG.
    const size = metadataOf(final)["image/png"];
    const svgWidth = Number(/<svg[^>]* width="(\d+)"/.exec(String(dataOf(final)["image/svg+xml"]))![1]);
    const png = Buffer.from(String(dataOf(final)["image/png"]), "base64");
    expect(size?.width).toBe(svgWidth);
    expect(png.readUInt32BE(16)).toBe(2 * svgWidth);
    expect(png.readUInt32BE(20)).toBe(2 * Number(size?.height));
  });

  it("a timeline's live frames are SVG (live outputs are trusted in JupyterLab) and carry no PNG", () => {
    const frames = liveFrames.slice(0, -1);
    expect(frames.length).toBeGreaterThanOrEqual(2);
    for (const frame of frames) {
      const bundle = dataOf(frame);
      expect(bundle["image/png"]).toBeUndefined();
      expect(jupyterLabChoice(bundle, true)).toBe("image/svg+xml");
      expect(classicNotebookChoice(bundle, true)).toBe("image/svg+xml");
      expect(vscodeChoice(bundle)).toBe("image/svg+xml");
    }
  });

  it("a progress bar is HTML everywhere a notebook is read (JupyterLab sanitizes it, and keeps its inline styles), text in the console", () => {
    expect(progressFrames.length).toBeGreaterThanOrEqual(2);
    for (const frame of progressFrames) {
      const bundle = dataOf(frame);
      const picked = new Set(Object.entries(choices(bundle)).filter(([name]) => name !== "jupyter console").map(([, mime]) => mime));
      expect([...picked]).toEqual(["text/html"]);
      expect(choices(bundle)["jupyter console"]).toBe("text/plain");
      expect(String(bundle["text/plain"])).toMatch(/^pages {2}[█░]+ {2}\d\/3/);
    }
  });

  it("display helpers and handles get the type they ask for in every front end", async () => {
    const run = await kernel.execute(
      [
        `const h = display.html("<b>bold</b>");`,
        `h.update({ [Symbol.for("Jupyter.display")]: () => ({ "text/html": "<i>updated</i>", "text/plain": "updated" }) });`,
        `display.markdown("*md*");`,
        `display.svg("<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>");`,
        `display.png(new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]));`,
        `display.json({ a: 1 });`,
      ].join("\n"),
    );
    expect(run.error).toBeUndefined();
    const [html, updated, markdown, svg, png, json] = run.displays.map(dataOf);
    for (const bundle of [html!, updated!]) expect(new Set(Object.values(choices(bundle)))).toEqual(new Set(["text/html", "text/plain"]));
    expect(jupyterLabChoice(markdown!, false)).toBe("text/markdown");
    expect(nbconvertChoice(markdown!)).toBe("text/markdown");
    // A bare SVG from display.svg has no PNG beside it: JupyterLab cannot show it untrusted (the user's choice).
    expect(jupyterLabChoice(svg!, false)).toBe("text/plain");
    expect(jupyterLabChoice(svg!, true)).toBe("image/svg+xml");
    expect(Object.values(choices(png!)).filter((mime) => mime !== "text/plain")).toEqual(Array(6).fill("image/png"));
    // display.json asks for a JSON tree, and JupyterLab and VS Code draw one.
    expect(jupyterLabChoice(json!, false)).toBe("application/json");
    expect(vscodeChoice(json!)).toBe("application/json");
  });

  it("the choice rules themselves: one vendor type or JSON beside a chart would hide it in VS Code or JupyterLab", () => {
    const chart = { "text/plain": "chart", "image/svg+xml": "<svg/>", "image/png": "iVBOR" };
    expectPictureEverywhere(chart, "chart");
    expect(vscodeChoice({ ...chart, "application/vnd.looplab.timeline+json": {} })).toBe("application/vnd.looplab.timeline+json");
    expect(jupyterLabChoice({ ...chart, "application/json": {} }, false)).toBe("application/json");
    expect(jupyterLabChoice({ ...chart, "text/html": "<svg/>" }, true)).toBe("text/html");
    expect(classicNotebookChoice({ ...chart, "text/html": "x" }, true)).toBe("text/html");
  });
});
