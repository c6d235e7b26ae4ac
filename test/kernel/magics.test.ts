// Magics and live timelines over the real protocol: %%time, %time, %timeit, %%timeline, %lsmagic, errors.
import { describe, expect, it } from "vitest";
import { stripAnsi as plain } from "../../kernel/course/notebook/ansi.ts";
import { kernelPerFile } from "../support/kernel.ts";

const kernel = kernelPerFile({ env: { LOOPLAB_TIME_SCALE: "1" } });

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

/** The traceback as text, and the `Cell In[n], line L` it names last (the innermost frame). */
function place(run: { error?: { traceback: string[] } }): { text: string; label: string | undefined; arrow: string | undefined } {
  const text = plain(run.error?.traceback.join("\n") ?? "");
  const labels = [...text.matchAll(/Cell In\[\d+\], line \d+/g)].map((m) => m[0]);
  // Runtime frames mark the failing line with `---->`; syntax errors print it under the label, caret below.
  const arrow = /-+> \d+ (.*)/.exec(text)?.[1] ?? /Cell In\[\d+\], line \d+\n {4}(.*)\n/.exec(text)?.[1];
  return { text, label: labels.at(-1), arrow };
}

describe("errors inside line magics point at the cell's own line", () => {
  it("%time on line 3: a runtime error names line 3 and shows its text", async () => {
    const run = await kernel.execute("%time\n\n%time (() => { throw new Error('x'); })()");
    const { label, arrow } = place(run);
    expect(run.error?.evalue).toBe("x");
    expect(label).toBe(`Cell In[${run.content.execution_count}], line 3`);
    expect(arrow).toBe("%time (() => { throw new Error('x'); })()");
  });

  it("%time on line 2: a syntax error names line 2 and puts the caret under the arguments", async () => {
    const run = await kernel.execute("\n%time foo(");
    const { text, label, arrow } = place(run);
    expect(run.error?.ename).toBe("SyntaxError");
    expect(label).toBe(`Cell In[${run.content.execution_count}], line 2`);
    expect(arrow).toBe("%time foo(");
    // The caret sits after `foo(`, in the cell's columns, not the argument text's.
    expect(text).toMatch(/\n {4}%time foo\(\n {4} {10}\^/);
  });

  it("%timeit after its options: a runtime error names the cell's line", async () => {
    const run = await kernel.execute("%lsmagic\n%timeit -n 1 -r 1 JSON.parse('{')");
    const { label, arrow } = place(run);
    expect(run.error?.ename).toBe("SyntaxError"); // JSON.parse's, thrown at run time: a stack, not a position
    expect(label).toBe(`Cell In[${run.content.execution_count}], line 2`);
    expect(arrow).toBe("%timeit -n 1 -r 1 JSON.parse('{')");
  });

  it("%timeit: a syntax error in the statement names the cell's line and column", async () => {
    const run = await kernel.execute("\n\n%timeit -r 1 1 +");
    const { text, label } = place(run);
    expect(run.error?.ename).toBe("SyntaxError");
    expect(label).toBe(`Cell In[${run.content.execution_count}], line 3`);
    expect(text).toMatch(/\n {4}%timeit -r 1 1 \+\n {4} {16}\^/); // at the end of the text, after `+`
  });

  it("%%timeline: an error on line 3 of the cell names line 3", async () => {
    const run = await kernel.execute("%%timeline\nconst tlOk = 1;\nthrow new Error('in the timeline');");
    const { label, arrow } = place(run);
    expect(run.error?.evalue).toBe("in the timeline");
    expect(label).toBe(`Cell In[${run.content.execution_count}], line 3`);
    expect(arrow).toBe("throw new Error('in the timeline');");
  });
});

describe("line magics as IPython has them", () => {
  it("rejects an unknown line magic, naming it and the known ones", async () => {
    const run = await kernel.execute("%bogus 1 + 1");
    expect(run.error?.ename).toBe("UsageError");
    expect(run.error?.evalue).toContain("%bogus");
    for (const name of ["%time", "%timeit", "%lsmagic", "%%time", "%%timeline"]) expect(run.error?.evalue).toContain(name);
  });

  it("%time prints a CPU times line and a Wall time line", async () => {
    const run = await kernel.execute("%time 6 * 7");
    expect(run.stdout).toMatch(/^CPU times: user [\d.]+ (s|ms|µs|ns), sys: [\d.]+ (s|ms|µs|ns), total: [\d.]+ (s|ms|µs|ns)\nWall time: [\d.]+ (s|ms|µs|ns)\n$/);
    expect(run.result?.["text/plain"]).toBe("42");
  });

  // kernel/exec/magics.ts grows N through 1, 2, 5, 10, 20, 50, … and takes the first whose N loops last >= 0.2 s.
  const series = (n: number) => /^[125]0*$/.test(String(n));
  const timeitLoops = async (perLoopMs: number) => {
    const run = await kernel.execute(`%timeit -r 1 { const t0 = performance.now(); while (performance.now() - t0 < ${perLoopMs}); }`);
    const match = /^([\d.]+) (s|ms|µs) ± .+ of 1 run, ([\d,]+) loops? each\)/.exec(run.stdout);
    expect(match, run.stdout).not.toBeNull();
    const mean = Number(match![1]) * { s: 1000, ms: 1, µs: 1e-3 }[match![2] as "s" | "ms" | "µs"];
    return { loops: Number(match![3].replace(/,/g, "")), mean };
  };

  it("%timeit without -n takes the first N of 1, 2, 5, 10, … whose loops last at least 0.2 s", async () => {
    const quick = await timeitLoops(30); // 5 loops: 150 ms, too short; 10 loops: 300 ms
    expect(series(quick.loops)).toBe(true);
    expect(quick.loops).toBe(10);
    expect(quick.loops * quick.mean).toBeGreaterThanOrEqual(200);
    const slow = await timeitLoops(250); // one loop is already long enough
    expect(slow.loops).toBe(1);
    expect(slow.mean).toBeGreaterThanOrEqual(200);
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
    // Shown after the cell, not live: so it is the final chart, with the PNG a saved notebook needs in JupyterLab.
    expect(Buffer.from(String((chart!.content.data as Record<string, unknown>)["image/png"]), "base64").subarray(1, 4).toString()).toBe("PNG");
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
