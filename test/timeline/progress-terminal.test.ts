// progress() in a plain Node script: a bar redrawn in place on a terminal's stderr, one final line otherwise.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const bundle = new URL("../../runtime/dist/index.js", import.meta.url).href;
const script = `
import { progress, sleep } from ${JSON.stringify(bundle)};
const results = await progress([1, 2, 3, 4].map((i) => () => sleep(120 * i, i)), { label: "jobs" });
console.log("results " + JSON.stringify(results));
`;
// util-linux's script(1) gives the child a pseudo-terminal, so its stderr is a TTY as in a user's shell.
const SCRIPT = "/usr/bin/script";
const haveScript = existsSync(SCRIPT);
if (!haveScript) console.log(`skipping the terminal progress test: ${SCRIPT} (util-linux) is not installed`);

describe("progress in plain Node", () => {
  it.runIf(haveScript)("redraws one line in place on a terminal and ends at n/n with a newline", () => {
    const file = join(mkdtempSync(join(tmpdir(), "looplab-progress-")), "bar.mjs");
    writeFileSync(file, script);
    const run = spawnSync(SCRIPT, ["-qec", `'${process.execPath}' '${file}'`, "/dev/null"], { encoding: "utf8", timeout: 30_000 });
    expect(run.status, run.stderr).toBe(0);
    const frames = run.stdout.split("\r\x1b[2K").slice(1);
    // Several redraws of the same line, counting up, then the final frame and the script's own output.
    expect(frames.length).toBeGreaterThanOrEqual(3);
    expect(frames[0]).toMatch(/^jobs .* 0\/4 /);
    expect(frames.at(-1)).toMatch(/^jobs .* 4\/4 +100% .*\r?\n/); // a terminal turns \n into \r\n
    expect(run.stdout).toMatch(/results \[1,2,3,4\]/);
  });

  it("writes just the final line when stderr is not a terminal", () => {
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 30_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toContain("\r");
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^jobs .* 4\/4 +100% /);
    expect(run.stdout.trim()).toBe("results [1,2,3,4]");
  });
});
