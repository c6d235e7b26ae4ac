// console.log(tl) in a plain Node script prints the text Gantt chart, not the Timeline object's fields.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const bundle = new URL("../../runtime/dist/index.js", import.meta.url).href;
const script = `
import { createTask, sleep, timeline } from ${JSON.stringify(bundle)};
const tl = await timeline(async () => {
  await Promise.all([createTask(() => sleep(50), { name: "fetch a" }), createTask(() => sleep(100), { name: "fetch b" })]);
}, { title: "two fetches" });
console.log(tl);
`;

describe("a Timeline in plain Node", () => {
  it("prints as an ASCII Gantt chart with console.log", () => {
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 30_000 });
    expect(run.status, run.stderr).toBe(0);
    const out = run.stdout;
    expect(out).not.toMatch(/Timeline \{|spans:|wallMs/);
    expect(out).toMatch(/^two fetches: 3 tasks, wall \d+ ms, peak 2 active at once\n/);
    const lines = out.split("\n");
    const bar = (name: string) => /=+/.exec(lines.find((l) => l.includes(name)) ?? "")?.[0].length ?? 0;
    // fetch b sleeps twice as long as fetch a: its bar is about twice as long.
    expect(bar("fetch a")).toBeGreaterThan(10);
    expect(bar("fetch b") / bar("fetch a")).toBeGreaterThan(1.6);
    // Two at once while both sleep, then one: the count drops from 2 to 1 at fetch a's end.
    expect(lines.find((l) => l.startsWith("active tasks"))).toMatch(/^active tasks +[12]*21[12]*$/);
    expect(out).toMatch(/\n +0 +20 ms/);
    expect(out).toContain("= sleeping");
    expect(out).toMatch(/^[\x20-\x7e\n]*$/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });
});
