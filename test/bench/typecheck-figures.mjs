// The type checker's price, over the real protocol (kernel.bench.mjs prints it; `node test/bench/typecheck-figures.mjs`
// alone too): a trivial cell's round trip with the checker running beside it and with type checking off, the
// time from a 20-line cell's reply to its diagnostics (warm) and for the first cell (cold), the checker's
// memory, and the kernel's after the checker stopped for quiet.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { KernelClient } from "../../kernel/dist/client.js";
import { childrenOf, cmdline, descendants, rssMb } from "../support/processes.mjs";

const ROUND_TRIPS = 400;
const WARM_CHECKS = 15;
// The checker's quiet period here: 5 s, unless LOOPLAB_BENCH_CHECKER_IDLE=default, which keeps the kernel's own
// (10 minutes: `node test/bench/typecheck-figures.mjs` with it takes ~11 minutes, so npm run bench does not).
const REAL_IDLE = process.env.LOOPLAB_BENCH_CHECKER_IDLE === "default";
const IDLE_S = REAL_IDLE ? 600 : 5;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

function checkerPid(kernelPid) {
  return childrenOf(kernelPid).find((pid) => cmdline(pid).includes("checker.worker.js"));
}

/** A 20-line typed cell with one type error on its last line; `i` keeps every cell's names its own. */
export function twentyLines(i) {
  return [
    `interface Order${i} { id: number; item: string; qty: number; price: number }`,
    `const orders${i}: Order${i}[] = [`,
    `  { id: 1, item: "book", qty: 2, price: 12.5 },`,
    `  { id: 2, item: "pen", qty: 10, price: 1.2 },`,
    `  { id: 3, item: "lamp", qty: 1, price: 30 },`,
    `];`,
    `function total${i}(list: Order${i}[]): number {`,
    `  let sum = 0;`,
    `  for (const order of list) sum += order.qty * order.price;`,
    `  return sum;`,
    `}`,
    `async function load${i}(id: number): Promise<Order${i} | undefined> {`,
    `  await new Promise((resolve) => setTimeout(resolve, 0));`,
    `  return orders${i}.find((order) => order.id === id);`,
    `}`,
    `const byItem${i} = new Map(orders${i}.map((order) => [order.item, order]));`,
    `const names${i} = [...byItem${i}.keys()].join(", ");`,
    `const first${i} = await load${i}(1);`,
    `console.log(names${i}, total${i}(orders${i}), first${i}?.item);`,
    `const wrong${i}: string = total${i}(orders${i});`,
  ].join("\n");
}

async function startKernel(spec, connection, extraEnv) {
  const info = await connection();
  const dir = mkdtempSync(join(tmpdir(), "looplab-bench-tc-"));
  const file = join(dir, "connection.json");
  writeFileSync(file, JSON.stringify(info));
  const env = { ...process.env, ...spec.env, ...extraEnv, JUPYTER_DATA_DIR: join(dir, "jupyter-data") };
  const child = spawn(spec.argv[0], [...spec.argv.slice(1), file], { cwd: dir, stdio: "ignore", detached: true, env });
  const client = KernelClient.open(info);
  await client.replyTo("shell", "kernel_info_request", {});
  await client.ready();
  const stop = async () => {
    await client.request("control", "shutdown_request", { restart: false }).catch(() => undefined);
    await client.close();
    await new Promise((r) => setTimeout(r, 200));
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { client, child, stop };
}

/** ms from the execute_reply to the stream that carries the cell's diagnostics. */
async function diagnosticsAfterReply(client, code) {
  let replied;
  let sentAt;
  const arrived = new Promise((resolve) => {
    const stop = client.onIopub((m) => {
      if (m.header.msg_type === "stream" && m.content.name === "stderr" && String(m.content.text).includes("(TS")) {
        stop();
        resolve(performance.now());
      }
    });
  });
  sentAt = performance.now();
  await client.execute(code);
  replied = performance.now();
  const at = await arrived;
  return { afterReply: Math.max(0, at - replied), fromSend: at - sentAt };
}

/** A kernel through the setup cells with type checking on or off; `on` also times the diagnostics. */
async function prepare(spec, connection, on) {
  const kernel = await startKernel(spec, connection, on ? (REAL_IDLE ? {} : { LOOPLAB_TYPECHECK_IDLE_S: String(IDLE_S) }) : { LOOPLAB_TYPECHECK: "off" });
  const { client, child } = kernel;
  for (let i = 0; i < 20; i++) await client.execute("1 + 1");
  const figures = { trivial: [], name: [] };
  if (on) {
    figures.first = (await diagnosticsAfterReply(client, twentyLines(0))).fromSend;
    const warm = [];
    for (let i = 1; i <= WARM_CHECKS; i++) warm.push(await diagnosticsAfterReply(client, twentyLines(i)));
    const afterReply = warm.map((w) => w.afterReply).sort((a, b) => a - b);
    const fromSend = warm.map((w) => w.fromSend).sort((a, b) => a - b);
    Object.assign(figures, { warmP50: percentile(afterReply, 50), warmMax: afterReply.at(-1), sendP50: percentile(fromSend, 50) });
    // The checker and the tsgo process under it.
    const checker = checkerPid(child.pid);
    figures.checkerRss = checker ? rssMb(checker) + childrenOf(checker).reduce((sum, pid) => sum + rssMb(pid), 0) : NaN;
  } else {
    for (let i = 0; i <= WARM_CHECKS; i++) await client.execute(twentyLines(i));
  }
  figures.kernelRssBusy = rssMb(child.pid);
  await client.execute("const n = 1");
  return { kernel, figures };
}

/** Then quiet: the checker stops IDLE_S after its last answer (the kernel's default is 10 minutes), then 12 s for V8. */
async function idle({ kernel, figures }) {
  const pid = kernel.child.pid;
  const quietSince = performance.now();
  for (let waited = 0; waited < IDLE_S + 120 && checkerPid(pid) !== undefined; waited++) await new Promise((r) => setTimeout(r, 1000));
  figures.checkerGone = checkerPid(pid) === undefined;
  figures.stoppedAfterS = (performance.now() - quietSince) / 1000;
  await new Promise((r) => setTimeout(r, 12_000));
  figures.kernelRssIdle = rssMb(pid);
  // The whole tree: what the machine gets back is the checker and tsgo both gone.
  const below = descendants(pid);
  figures.descendantsIdle = below.length;
  figures.treeRssIdle = figures.kernelRssIdle + below.reduce((sum, child) => sum + rssMb(child), 0);
  await kernel.stop();
  figures.trivial = percentile(figures.trivial.sort((a, b) => a - b), 50);
  figures.name = percentile(figures.name.sort((a, b) => a - b), 50);
  return figures;
}

export async function typecheckFigures(spec, connection) {
  const on = await prepare(spec, connection, true);
  const off = await prepare(spec, connection, false);
  // Round trips in alternating blocks, so a busy machine weighs on both kernels alike.
  for (let block = 0; block < 8; block++) {
    for (const side of [on, off]) {
      for (const [key, code] of [["trivial", "1 + 1"], ["name", "n"]]) {
        for (let i = 0; i < ROUND_TRIPS / 8; i++) {
          const t0 = performance.now();
          await side.kernel.client.execute(code);
          side.figures[key].push(performance.now() - t0);
        }
      }
    }
  }
  const [onFigures, offFigures] = await Promise.all([idle(on), idle(off)]);
  return { on: onFigures, off: offFigures };
}

export function printTypecheck({ on, off }) {
  const f = (n, d = 1) => n.toFixed(d);
  console.log("\n## Type checking beside the cells (TypeScript 7's native checker)\n");
  console.log("Targets: trivial cell p50 unchanged (within 0.1 ms of type checking off), diagnostics within 300 ms of a 20-line cell's reply after warm-up, idle kernel under 60 MB.\n");
  console.log("| what | type checking on | type checking off, same run |");
  console.log("|---|---:|---:|");
  console.log(`| trivial cell \`1 + 1\` round trip p50 | ${f(on.trivial, 2)} ms | ${f(off.trivial, 2)} ms |`);
  console.log(`| one-name cell \`n\` round trip p50 (checked beside it) | ${f(on.name, 2)} ms | ${f(off.name, 2)} ms |`);
  console.log(`| 20-line cell, warm: request to diagnostics p50; reply to diagnostics p50 / max of ${WARM_CHECKS} (0: before the reply) | ${f(on.sendP50, 0)} ms; ${f(on.warmP50, 0)} / ${f(on.warmMax, 0)} ms | |`);
  console.log(`| first typed cell: request to diagnostics (checker starts) | ${f(on.first, 0)} ms | |`);
  console.log(`| checker memory (its process + tsgo) after ${WARM_CHECKS + 1} checks | ${f(on.checkerRss)} MB | |`);
  console.log(`| kernel RSS after those cells / idle, checker stopped${on.checkerGone ? "" : " (NOT stopped)"} after ${f(on.stoppedAfterS, 0)} s quiet (${REAL_IDLE ? "the kernel's default" : `LOOPLAB_TYPECHECK_IDLE_S=${IDLE_S}`}), then 12 s | ${f(on.kernelRssBusy)} / ${f(on.kernelRssIdle)} MB | ${f(off.kernelRssBusy)} / ${f(off.kernelRssIdle)} MB |`);
  console.log(`| then the kernel with every process below it (${on.descendantsIdle} left under it) | ${f(on.treeRssIdle)} MB | ${f(off.treeRssIdle)} MB (${off.descendantsIdle} under it) |`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { createServer } = await import("node:net");
  const { randomBytes } = await import("node:crypto");
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const freePort = () => new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
  const connection = async () => {
    const ports = new Set();
    while (ports.size < 5) ports.add(await freePort());
    const [shell_port, iopub_port, stdin_port, control_port, hb_port] = [...ports];
    return { transport: "tcp", ip: "127.0.0.1", key: randomBytes(16).toString("hex"), signature_scheme: "hmac-sha256", shell_port, iopub_port, stdin_port, control_port, hb_port };
  };
  printTypecheck(await typecheckFigures({ argv: [process.execPath, "--max-semi-space-size=1", join(root, "kernel/dist/start.js")], env: { UV_THREADPOOL_SIZE: "6" } }, connection));
}
