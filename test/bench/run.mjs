// `npm run bench`: runs every test/bench/*.bench.mjs in its own process, one after another, and prints their tables;
// the runtime and kernel benches run again on each other installed Node (test/node-versions), and their figures
// are printed side by side per version. `npm run bench -- NAME...` runs the files whose names contain NAME.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sideBySide } from "./side-by-side.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.mjs"))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
/** The benches whose figures depend on the Node version (runtime semantics, kernel floors). */
const PER_VERSION = ["runtime-core", "runtime-sync", "semaphore-tinybench", "kernel"];
const others = [22, 24, 26]
  .map((line) => join(here, `../node-versions/node_modules/node${line}/bin/node`))
  .filter((path) => existsSync(path) && path !== process.execPath);

console.log(`# LoopLab benchmarks\n\nNode ${process.version}, ${process.platform}/${process.arch}, measured ${new Date().toISOString()}\n`);
let failed = 0;
/** Runs one bench file on one Node; returns its stdout (printed as it comes when `show`). */
function runBench(node, file, show, { ipykernel = true } = {}) {
  const started = performance.now();
  const env = { ...process.env, LOOPLAB_BENCH: "1" };
  // ipykernel's figures do not depend on our Node: measured once, with the machine's Node.
  if (!ipykernel) env.LOOPLAB_BENCH_IPYKERNEL = "0";
  const result = spawnSync(node, ["--expose-gc", join(here, file)], { stdio: ["ignore", show ? "inherit" : "pipe", "inherit"], env, encoding: "utf8", maxBuffer: 64 << 20 });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    failed += 1;
    console.log(`\n${file} on ${node} failed (exit ${result.status ?? result.signal}) after ${seconds} s\n`);
    return undefined;
  }
  if (show) console.log(`\n(${file}: ${seconds} s)\n`);
  return result.stdout;
}

const perVersion = [];
for (const file of files) {
  const again = others.length > 0 && PER_VERSION.some((name) => file.includes(name));
  if (!again) {
    runBench(process.execPath, file, true);
    continue;
  }
  // The machine's Node prints as usual; every version (this one included, same process order) is also captured.
  const outputs = [];
  const mine = spawnSync(process.execPath, ["--version"], { encoding: "utf8" }).stdout.trim();
  const own = runBench(process.execPath, file, false);
  if (own !== undefined) {
    process.stdout.write(own);
    outputs.push({ version: mine, text: own });
  }
  for (const node of others) {
    const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
    console.log(`\n(${file}: measuring again on Node ${version})`);
    const text = runBench(node, file, false, { ipykernel: false });
    if (text !== undefined) outputs.push({ version, text });
  }
  perVersion.push({ file, outputs });
}

for (const { file, outputs } of perVersion) {
  console.log(`\n## ${file} on each Node version, side by side (same machine, same run)\n`);
  console.log(sideBySide(outputs));
}
process.exitCode = failed > 0 ? 1 : 0;
