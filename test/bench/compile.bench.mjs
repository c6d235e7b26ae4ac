// Cell compile cost: compileCell per trivial cell (fast path, cached, TypeScript) against bare esbuild and acorn.
import { build } from "esbuild";
import * as esbuild from "esbuild";
import * as acorn from "acorn";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
// Inside the repository so the bundle resolves `esbuild` from node_modules, as the kernel bundle does.
const outfile = join(root, "node_modules/.cache/looplab-bench/compile.mjs");
mkdirSync(dirname(outfile), { recursive: true });
await build({
  entryPoints: [join(root, "kernel/compile/index.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["esbuild"],
  outfile,
  logLevel: "warning",
});
const { compileCell, isComplete } = await import(pathToFileURL(outfile).href);

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** Runs fn(i) `warmup` times unmeasured, then `runs` times measured; returns [p50, p95] in ms. */
async function measure(fn, runs, warmup = 50) {
  for (let i = 0; i < warmup; i++) await fn(runs + i);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn(i);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return [percentile(times, 0.5), percentile(times, 0.95)];
}

/** Like measure, for several functions called in turn each round, so machine load hits them alike. */
async function measureInterleaved(fns, runs, warmup = 50) {
  for (let i = 0; i < warmup; i++) for (const fn of fns) await fn(runs + i);
  const times = fns.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (let f = 0; f < fns.length; f++) {
      const started = performance.now();
      await fns[f](i);
      times[f].push(performance.now() - started);
    }
  }
  return times.map((list) => {
    list.sort((a, b) => a - b);
    return [percentile(list, 0.5), percentile(list, 0.95)];
  });
}

const tsOptions = { loader: "ts", target: "node20", sourcemap: "external", sourcesContent: false, charset: "utf8" };
const acornOptions = { ecmaVersion: "latest", sourceType: "script", allowAwaitOutsideFunction: true, allowImportExportEverywhere: true };
const RUNS = 2000;
const rows = [];
const add = (what, [p50, p95]) => rows.push(`| ${what} | ${p50.toFixed(3)} | ${p95.toFixed(3)} |`);

// Every measured cell has a different source, so the compile cache is not what gets measured (except where said).
add("compileCell `x + 1` (plain JS: acorn fast path)", await measure((i) => compileCell(`x${i} + 1`, { filename: "c" }), RUNS));
add("compileCell `const a = 1; a` (plain JS, declares)", await measure((i) => compileCell(`const a${i} = 1; a${i}`, { filename: "c" }), RUNS));
add("compileCell same cell again (cache hit)", await measure(() => compileCell("x + 1", { filename: "c" }), RUNS));
const [typed, bareAsync, bareSync] = await measureInterleaved(
  [
    (i) => compileCell(`const a${i}: number = 1`, { filename: "c" }),
    (i) => esbuild.transform(`const a${i}: number = 1`, tsOptions),
    (i) => esbuild.transformSync(`const a${i}: number = 1`, tsOptions),
  ],
  RUNS / 4,
);
add("compileCell `const a: number = 1` (TypeScript: esbuild async)", typed);
add("baseline: bare esbuild `transform` (async), same cell", bareAsync);
add("baseline: bare esbuild `transformSync`, same cell", bareSync);
add("baseline: bare acorn parse `x + 1`", await measure((i) => acorn.parse(`x${i} + 1`, acornOptions), RUNS));
add("isComplete `for (const x of xs) {` (acorn)", await measure((i) => isComplete(`for (const x${i} of xs) {`), RUNS));

console.log("## Cell compile (kernel/compile)\n");
console.log("| what (per cell) | p50 ms | p95 ms |");
console.log("|---|---:|---:|");
for (const row of rows) console.log(row);
await esbuild.stop();
