// Magics and live timelines over the real protocol: %%time, %time, %timeit, %%timeline, %lsmagic, errors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKernel, type TestKernel } from "../support/kernel.ts";

let kernel: TestKernel;
beforeAll(async () => {
  kernel = await startKernel({ env: { LOOPLAB_TIME_SCALE: "1" } });
});
afterAll(async () => {
  await kernel?.close();
});

const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

describe("timing magics", () => {
  it("%%time prints CPU and wall time after the cell's own output", async () => {
    const run = await kernel.execute("%%time\nconsole.log('work');\nawait new Promise((r) => setTimeout(r, 60));\n'done'");
    expect(run.stdout).toMatch(/^work\nCPU times: user .+, sys: .+, total: .+\nWall time: \d+(\.\d+)? ms\n$/);
    expect(run.result?.["text/plain"]).toBe("'done'");
  });

  it("%time times one expression and shows its value", async () => {
    const run = await kernel.execute("%time await new Promise((r) => setTimeout(() => r(7), 20))");
    expect(run.stdout).toMatch(/Wall time:/);
    expect(run.result?.["text/plain"]).toBe("7");
  });

  it("%timeit reports mean ± std. dev. with the given runs and loops", async () => {
    const run = await kernel.execute("%timeit -n 50 -r 3 [1, 2, 3].map((x) => x * 2)");
    expect(run.stdout).toMatch(/ ± .+ per loop \(mean ± std\. dev\. of 3 runs, 50 loops each\)/);
  });

  it("%timeit chooses the loop count itself and allows await", async () => {
    const run = await kernel.execute("%timeit -r 2 await Promise.resolve(1)");
    const loops = Number(/of 2 runs, ([\d,]+) loops each/.exec(run.stdout)?.[1].replace(/,/g, ""));
    expect(loops).toBeGreaterThan(1);
  });

  it("%lsmagic lists the magics", async () => {
    const run = await kernel.execute("%lsmagic");
    for (const name of ["%time", "%timeit", "%lsmagic", "%%time", "%%timeline"]) expect(run.stdout).toContain(name);
  });

  it("rejects an unknown magic with the list of known ones", async () => {
    const run = await kernel.execute("%%nonsense\n1");
    expect(run.error?.ename).toBe("UsageError");
    expect(run.error?.evalue).toMatch(/%%nonsense/);
    expect(run.error?.evalue).toMatch(/%%timeline/);
  });

  it("keeps error line numbers under a cell magic", async () => {
    const run = await kernel.execute("%%time\nconst ok = 1;\nthrow new Error('third line');");
    expect(plain(run.error!.traceback.join("\n"))).toMatch(/line 3/);
  });
});

describe("timelines in the kernel", () => {
  it("%%timeline draws the cell's tasks after its output", async () => {
    const run = await kernel.execute(`%%timeline Two downloads
import { createTask, gather, sleep } from "looplab";
console.log("starting");
await gather(createTask(() => sleep(100), { name: "download-a" }), createTask(() => sleep(100), { name: "download-b" }));`);
    expect(run.error).toBeUndefined();
    const chart = run.iopub.find((m) => m.header.msg_type === "display_data");
    const svg = String((chart!.content.data as Record<string, unknown>)["image/svg+xml"]);
    expect(svg).toContain("download-a");
    expect(svg).toContain("download-b");
    expect(svg).toContain("Two downloads");
    const order = run.iopub.map((m) => m.header.msg_type);
    expect(order.indexOf("stream")).toBeLessThan(order.indexOf("display_data"));
  });

  it("redraws a live timeline in place several times and shows it once", async () => {
    const run = await kernel.execute(`import { timeline, sleep, createTask, gather } from "looplab";
await timeline(async () => {
  await gather(...[1, 2, 3].map((i) => createTask(() => sleep(500 * i), { name: "job-" + i })));
}, { title: "live" })`);
    expect(run.error).toBeUndefined();
    const shown = run.iopub.filter((m) => m.header.msg_type === "display_data");
    const updates = run.iopub.filter((m) => m.header.msg_type === "update_display_data");
    expect(shown).toHaveLength(1);
    expect(updates.length).toBeGreaterThanOrEqual(3);
    const id = (shown[0].content.transient as { display_id: string }).display_id;
    for (const u of updates) expect((u.content.transient as { display_id: string }).display_id).toBe(id);
    expect(String((updates.at(-1)!.content.data as Record<string, unknown>)["image/svg+xml"])).toContain("job-3");
    expect(run.result).toBeUndefined();
  });
});
