// Grading speed: `looplab grade` over the ten lessons' student and instructor editions, beside `looplab run` of
// the same instructor notebooks (the same kernel executing the same cells, without hidden tests or reports).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const cli = join(root, "kernel/bin/looplab.js");
if (!existsSync(join(root, "kernel/dist/cli.js"))) throw new Error("run `npm run build` first");
const work = mkdtempSync(join(tmpdir(), "looplab-grade-bench-"));
const SCALE = "2";
const JOBS = "2";

function timed(args) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`looplab ${args[0]} failed:\n${result.stdout}${result.stderr}`);
  return performance.now() - started;
}

try {
  timed(["export", join(root, "notebooks"), "--out", join(work, "editions"), "--format", "ipynb", "--edition", "both"]);
  const instructor = join(work, "editions", "instructor");
  const lessons = readdirSync(instructor).filter((n) => n.endsWith(".ipynb"));
  const rows = [
    ["baseline: `looplab run` of the instructor editions", timed(["run", ...lessons.map((n) => join(instructor, n)), "--time-scale", SCALE, "--jobs", JOBS])],
    ["`looplab grade` of the instructor editions (full marks)", timed(["grade", instructor, "--source", join(root, "notebooks"), "--out", join(work, "g1"), "--time-scale", SCALE, "--jobs", JOBS])],
    ["`looplab grade` of the student editions (zeros)", timed(["grade", join(work, "editions", "student"), "--source", join(root, "notebooks"), "--out", join(work, "g2"), "--time-scale", SCALE, "--jobs", JOBS])],
  ];
  console.log(`## Grading (${lessons.length} lessons, time scale ${SCALE}, ${JOBS} at a time, one run each)\n`);
  console.log(`Load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores while measuring.\n`);
  console.log("| what | wall | per notebook | vs. baseline |");
  console.log("|---|---:|---:|---:|");
  const base = rows[0][1];
  for (const [what, ms] of rows) console.log(`| ${what} | ${(ms / 1000).toFixed(1)} s | ${(ms / lessons.length / 1000).toFixed(1)} s | ${(ms / base).toFixed(2)}x |`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
