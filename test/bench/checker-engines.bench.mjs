// The job the type checker does, on both engines the issue names, in one run: TypeScript 7's native checker
// (tsgo through typescript@7's API, what the kernel uses) and TypeScript 5.9's JavaScript language service.
// The same cell modules (a looplab import, then 20-line typed cells), the same options: time to the first
// cell's diagnostics from a cold start, per-cell diagnostics once warm, and the memory each ends with.
import { fork } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { childrenOf, rssMb } from "../support/processes.mjs";
import { twentyLines } from "./typecheck-figures.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
const CELLS = 16;

const cells = [`import { sleep, gather } from "looplab";\nawait gather(sleep(1), sleep(2));`, ...Array.from({ length: CELLS }, (_, i) => twentyLines(i))].map((source) => `${source}\n;export {};`);

const treeRss = (pid) => [pid, ...childrenOf(pid)].reduce((sum, each) => sum + rssMb(each), 0);

/** Runs in a child: one engine over the cells, reporting times per cell. */
async function engine(kind) {
  const dir = join(root, "test/bench");
  const options = { strict: true, noEmit: true, skipLibCheck: true, allowImportingTsExtensions: true, types: ["node"], typeRoots: [join(root, "node_modules/@types")], paths: { looplab: [join(root, "runtime/index.ts")] } };
  const names = cells.map((_, i) => `${dir}/__bench_cell_${i}.ts`);
  const times = [];
  const started = performance.now();
  if (kind === "js") {
    const { default: ts } = await import("typescript");
    const files = new Map();
    const settings = { ...options, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, moduleDetection: ts.ModuleDetectionKind.Force, lib: ["lib.esnext.d.ts"] };
    const host = {
      getCompilationSettings: () => settings,
      getScriptFileNames: () => [...files.keys()],
      getScriptVersion: () => "1",
      getScriptSnapshot: (f) => (files.has(f) ? ts.ScriptSnapshot.fromString(files.get(f)) : ts.sys.fileExists(f) ? ts.ScriptSnapshot.fromString(ts.sys.readFile(f)) : undefined),
      getCurrentDirectory: () => dir,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (f) => files.has(f) || ts.sys.fileExists(f),
      readFile: (f) => files.get(f) ?? ts.sys.readFile(f),
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
    };
    const service = ts.createLanguageService(host, ts.createDocumentRegistry());
    for (let i = 0; i < cells.length; i++) {
      const t = performance.now();
      files.set(names[i], cells[i]);
      service.getSyntacticDiagnostics(names[i]);
      service.getSemanticDiagnostics(names[i]);
      times.push(performance.now() - (i === 0 ? started : t));
    }
  } else {
    const { API } = await import("typescript7/unstable/sync");
    const files = new Map();
    const config = `${dir}/__bench_tsconfig.json`;
    const text = () => JSON.stringify({ compilerOptions: { ...options, target: "es2022", module: "esnext", moduleResolution: "bundler", moduleDetection: "force", lib: ["esnext"] }, files: [...files.keys()] });
    const api = new API({ cwd: dir, fs: { readFile: (f) => (f === config ? text() : files.get(f)), fileExists: (f) => (f === config || files.has(f) ? true : undefined) } });
    let snapshot;
    for (let i = 0; i < cells.length; i++) {
      const t = performance.now();
      files.set(names[i], cells[i]);
      snapshot = i === 0 ? api.updateSnapshot({ openProjects: [config] }) : api.updateSnapshot({ fileChanges: { created: [names[i]], changed: [config] } });
      const program = (snapshot.getProject(config) ?? snapshot.getProjects()[0]).program;
      program.getSyntacticDiagnostics(names[i]);
      program.getSemanticDiagnostics(names[i]);
      times.push(performance.now() - (i === 0 ? started : t));
    }
  }
  return times;
}

if (process.argv[2] === "--engine") {
  const times = await engine(process.argv[3]);
  process.send({ times });
  await new Promise((resolve) => process.on("message", resolve));
  process.exit(0);
}

async function measure(kind) {
  const started = performance.now();
  const child = fork(fileURLToPath(import.meta.url), ["--engine", kind], { cwd: root });
  const { times } = await new Promise((resolve) => child.once("message", resolve));
  const rss = treeRss(child.pid);
  child.send("done");
  await new Promise((resolve) => child.once("exit", resolve));
  const warm = times.slice(2).sort((a, b) => a - b);
  return { kind, process: performance.now() - started, first: times[0], warmP50: warm[Math.floor(warm.length / 2)], warmMax: warm.at(-1), rss };
}

const rows = [];
for (const round of [1, 2]) for (const kind of round === 1 ? ["native", "js"] : ["js", "native"]) rows.push(await measure(kind));
const f = (n, d = 0) => n.toFixed(d);
console.log("## Type checker engines, the same cell modules\n");
console.log(`A looplab import cell, then ${CELLS} 20-line typed cells, each a module; every row a fresh process (two rounds, alternating order).\n`);
console.log("| engine | first cell's diagnostics (load + check) | warm cell p50 / max | RSS at the end (process + tsgo) |");
console.log("|---|---:|---:|---:|");
const label = { native: "TypeScript 7.0 native (tsgo via typescript@7's API)", js: "TypeScript 5.9 JavaScript language service" };
for (const r of rows) console.log(`| ${label[r.kind]} | ${f(r.first)} ms | ${f(r.warmP50, 1)} / ${f(r.warmMax, 1)} ms | ${f(r.rss, 1)} MB |`);

// The kernel's own checker process (kernel/dist/checker.worker.js) at notebook scale: a fresh checker given a
// long notebook at once (what it gets when it comes back after a quiet spell), then one cell checked against it.
async function atScale(cellCount) {
  const child = fork(join(root, "kernel/dist/checker.worker.js"), [root], { cwd: join(root, "test/bench"), serialization: "advanced" });
  let seq = 0;
  const pending = new Map();
  child.on("message", (m) => pending.get(m.seq)?.(m));
  const ask = (request) => new Promise((resolve) => pending.set((request.seq = ++seq), resolve) && child.send(request));
  let id = 0;
  const probe = async () => {
    const t = performance.now();
    const answer = await ask({ kind: "check", cell: { id: ++id, source: `const probe${id}: string = f0(1);` } });
    return { ms: performance.now() - t, found: answer.diagnostics.length };
  };
  const cells = Array.from({ length: cellCount }, (_, n) => ({ id: ++id, source: `const v${n} = { a: ${n}, label: "x${n}" };\nfunction f${n}(x: number): number { return x + v${n}.a; }` }));
  const started = performance.now();
  child.send({ kind: "add", cells });
  const first = await probe();
  const replayAndFirst = performance.now() - started;
  const again = await probe();
  const rss = treeRss(child.pid);
  child.disconnect();
  await new Promise((resolve) => child.once("exit", resolve));
  return { cellCount, replayAndFirst, again: again.ms, found: first.found + again.found, rss };
}

console.log("\n## The kernel's checker at notebook scale\n");
console.log("| earlier cells | replay + first check | next check | RSS (process + tsgo) |");
console.log("|---:|---:|---:|---:|");
for (const count of [10, 300, 1000]) {
  const r = await atScale(count);
  console.log(`| ${r.cellCount} | ${f(r.replayAndFirst)} ms | ${f(r.again, 1)} ms | ${f(r.rss, 1)} MB |${r.found === 2 ? "" : " (diagnostics missing!)"}`);
}
