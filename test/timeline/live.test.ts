// Live display: through the runtime's side of the kernel contract (a publisher on
// globalThis[Symbol.for("looplab.display")]), timelines and progress bars show at once and redraw in place.
import { afterEach, describe, expect, it } from "vitest";
import { sleep } from "../../runtime/clock.ts";
import type { Drawable, MimeBundle } from "../../runtime/display.ts";
import { progress } from "../../runtime/progress.ts";
import { createTask } from "../../runtime/task.ts";
import { timeline } from "../../runtime/timeline/timeline.ts";
import { parseXml } from "./xml.ts";

interface Shown {
  kind: "display" | "update";
  id: string | undefined;
  bundle: MimeBundle;
  metadata: Readonly<Record<string, unknown>>;
  at: number;
}

/** A drawn bundle's data and metadata, whichever form the runtime gave it in. */
function split(drawn: Drawable): { bundle: MimeBundle; metadata: Readonly<Record<string, unknown>> } {
  return "data" in drawn && typeof drawn.data === "object" ? { bundle: drawn.data as MimeBundle, metadata: drawn.metadata as Record<string, unknown> } : { bundle: drawn as MimeBundle, metadata: {} };
}

const KEY = Symbol.for("looplab.display");
function installPublisher(): Shown[] {
  const shown: Shown[] = [];
  (globalThis as Record<symbol, unknown>)[KEY] = {
    display: (drawn: Drawable, options?: { displayId?: string }) => shown.push({ kind: "display", id: options?.displayId, ...split(drawn), at: performance.now() }),
    update: (id: string, drawn: Drawable) => shown.push({ kind: "update", id, ...split(drawn), at: performance.now() }),
  };
  return shown;
}
afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[KEY];
});

describe("live timeline", () => {
  it("displays when recording starts, redraws in place at most 10 times a second, ends exact", async () => {
    const shown = installPublisher();
    const started = performance.now();
    const tl = await timeline(
      async () => {
        expect(shown).toHaveLength(1);
        await Promise.all([1, 2].map((i) => createTask(() => sleep(1000), { name: `worker ${i}` })));
      },
      { title: "live" },
    );
    const elapsed = performance.now() - started;
    const [first, ...updates] = shown;
    expect(first!.kind).toBe("display");
    expect(first!.id).toMatch(/\S/);
    expect(updates.every((u) => u.kind === "update" && u.id === first!.id)).toBe(true);
    expect(updates.length).toBeGreaterThanOrEqual(3);
    // At most 10 a second, plus the final exact one.
    expect(updates.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2);
    for (const u of shown) parseXml(u.bundle["image/svg+xml"] as string);
    // Frames while running say so; the last is the finished chart, identical to the Timeline's own.
    expect(String(first!.bundle["text/plain"])).toContain("recording");
    // Live frames are SVG and text only: the PNG (tens of ms to draw) is drawn once, for the final frame.
    expect(updates.slice(0, -1).every((u) => u.bundle["image/png"] === undefined)).toBe(true);
    expect(first!.bundle["image/png"]).toBeUndefined();
    const final = shown[shown.length - 1]!;
    const last = final.bundle;
    const own = split((tl as unknown as Record<symbol, () => Drawable>)[Symbol.for("Jupyter.display")]!());
    expect(last["text/plain"]).toBe(own.bundle["text/plain"]);
    // Byte for byte, so an exporter can drop a result that repeats the live display.
    expect(last["image/svg+xml"]).toBe(own.bundle["image/svg+xml"]);
    expect(last["image/png"]).toBe(own.bundle["image/png"]);
    expect(final.metadata).toEqual(own.metadata);
    expect(Buffer.from(String(last["image/png"]), "base64").subarray(1, 4).toString()).toBe("PNG");
    // The spans stay out of the bundle (JupyterLab would show them as a JSON tree); toJSON has them.
    expect(last["application/json"]).toBeUndefined();
    expect(tl.toJSON().spans).toHaveLength(3);
    expect(tl.displayId).toBe(first!.id);
    expect((tl as unknown as Record<symbol, unknown>)[Symbol.for("looplab.displayId")]).toBe(first!.id);
  });

  it("draws the final chart even when fn fails, then rejects", async () => {
    const shown = installPublisher();
    await expect(
      timeline(async () => {
        await sleep(5);
        throw new Error("nope");
      }),
    ).rejects.toThrow("nope");
    const last = shown[shown.length - 1]!;
    expect(String(last.bundle["text/plain"])).not.toContain("recording");
    expect(String(last.bundle["text/plain"])).toContain("x error");
  });

  it("draws the final PNG off the event loop: other timers keep firing meanwhile, and the chart still ends exact", async () => {
    const shown = installPublisher();
    let counting = false;
    let ticks = 0;
    const timer = setInterval(() => {
      if (counting) ticks++;
    }, 1);
    try {
      const tl = await timeline(
        async () => {
          await Promise.all([1, 2, 3, 4, 5, 6].map((i) => createTask(() => sleep(20 * i), { name: `lane ${i}` })));
          // From the end of fn's body to timeline()'s result: only the final drawing happens in between.
          counting = true;
        },
        { title: "off the loop" },
      );
      counting = false;
      expect(ticks, "timer callbacks that ran while the PNG was drawn").toBeGreaterThan(0);
      const last = shown.at(-1)!;
      expect(last.bundle["image/png"]).toBeTruthy();
      expect(last.bundle["image/png"]).toBe(split(tl.bundle()).bundle["image/png"]);
    } finally {
      clearInterval(timer);
    }
  });

  it("shows nothing live and has no display id without a publisher, or with live: false", async () => {
    expect((await timeline(() => sleep(5))).displayId).toBeUndefined();
    const shown = installPublisher();
    const tl = await timeline(() => sleep(5), { live: false });
    expect(shown).toEqual([]);
    expect(tl.displayId).toBeUndefined();
  });
});

describe("progress", () => {
  it("returns results in item order whatever the finishing order", async () => {
    const results = await progress([() => sleep(30, "a"), sleep(10, "b"), Promise.resolve("c"), createTask(() => sleep(20, "d"))], { label: "mixed" });
    expect(results).toEqual(["a", "b", "c", "d"]);
  });

  it("shows a bar in place with count, rate and elapsed, ending at n/n", async () => {
    const shown = installPublisher();
    await progress(
      Array.from({ length: 8 }, (_, i) => () => sleep(20 * (i + 1), i)),
      { label: "downloads" },
    );
    expect(shown[0]!.kind).toBe("display");
    expect(shown.slice(1).every((s) => s.kind === "update" && s.id === shown[0]!.id)).toBe(true);
    expect(String(shown[0]!.bundle["text/plain"])).toMatch(/^downloads .* 0\/8 +0%/);
    const last = shown[shown.length - 1]!.bundle;
    expect(String(last["text/plain"])).toMatch(/^downloads .* 8\/8 +100% +[\d.,]+\/s +\d+ ms$/);
    expect(String(last["text/html"])).toContain("width:100.0%");
    expect(String(last["text/html"])).toContain("8/8 · 100%");
  });

  it("rejects with the first failure, like gather, and marks the bar failed", async () => {
    const shown = installPublisher();
    await expect(
      progress([
        () => sleep(5, 1),
        async () => {
          await sleep(10);
          throw new Error("one failed");
        },
      ]),
    ).rejects.toThrow("one failed");
    expect(String(shown[shown.length - 1]!.bundle["text/plain"])).toMatch(/ 2\/2 .* 1 failed$/);
  });
});
