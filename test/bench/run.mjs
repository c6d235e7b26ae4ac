// `npm run bench`: runs every test/bench/*.bench.mjs in its own process, one after another, and prints their tables.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.mjs"))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

console.log(`# LoopLab benchmarks\n\nNode ${process.version}, ${process.platform}/${process.arch}, measured ${new Date().toISOString()}\n`);
let failed = 0;
for (const file of files) {
  const started = performance.now();
  const result = spawnSync(process.execPath, ["--expose-gc", join(here, file)], { stdio: "inherit", env: { ...process.env, LOOPLAB_BENCH: "1" } });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    failed += 1;
    console.log(`\n${file} failed (exit ${result.status ?? result.signal}) after ${seconds} s\n`);
  } else {
    console.log(`\n(${file}: ${seconds} s)\n`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
