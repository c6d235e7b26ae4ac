// The type checker's price, over the real protocol (kernel.bench.mjs prints it; `node test/bench/typecheck-figures.mjs`
// alone too): a trivial cell's round trip with the checker running beside it and with type checking off, the
// time from a 20-line cell's reply to its diagnostics (warm) and for the first cell (cold), the checker's
// memory, and the kernel's after the checker stopped for quiet.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { KernelClient } from "../../kernel/dist/client.js";

const ROUND_TRIPS = 400;
const WARM_CHECKS = 15;
const IDLE_S = 5;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;

function checkerPid(kernelPid) {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === kernelPid && readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("checker.worker.js")) return Number(entry);
    } catch {
      // gone while we looked
    }
  }
  return undefined;
}

/** A 20-line typed cell with one type error on its last line; `i` keeps every cell's names its own. */
function twentyLines(i) {
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

async function roundTrips(client, code) {
  const times = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const t0 = performance.now();
    await client.execute(code);
    times.push(performance.now() - t0);
  }
  return percentile(times.sort((a, b) => a - b), 50);
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

export async function typecheckFigures(spec, connection) {
  const on = await startKernel(spec, connection, { LOOPLAB_TYPECHECK_IDLE_S: String(IDLE_S) });
  for (let i = 0; i < 20; i++) await on.client.execute("1 + 1");
  const first = await diagnosticsAfterReply(on.client, twentyLines(0));
  const warm = [];
  for (let i = 1; i <= WARM_CHECKS; i++) warm.push((await diagnosticsAfterReply(on.client, twentyLines(i))).afterReply);
  warm.sort((a, b) => a - b);
  const pid = checkerPid(on.child.pid);
  const checkerRss = pid ? rssMb(pid) : NaN;
  const kernelRssBusy = rssMb(on.child.pid);
  await on.client.execute("const n = 1");
  const trivialOn = await roundTrips(on.client, "1 + 1");
  const nameOn = await roundTrips(on.client, "n");
  // Quiet: the checker stops IDLE_S after its last answer (the kernel's default is 10 minutes; the 400 checks
  // of `n` above queue up in it first), then 12 s for V8's memory reducer.
  for (let waited = 0; waited < 120 && checkerPid(on.child.pid) !== undefined; waited++) await new Promise((r) => setTimeout(r, 1000));
  const checkerGone = checkerPid(on.child.pid) === undefined;
  await new Promise((r) => setTimeout(r, 12_000));
  const kernelRssIdle = rssMb(on.child.pid);
  await on.stop();

  const off = await startKernel(spec, connection, { LOOPLAB_TYPECHECK: "off" });
  for (let i = 0; i < 20; i++) await off.client.execute("1 + 1");
  await off.client.execute("const n = 1");
  const trivialOff = await roundTrips(off.client, "1 + 1");
  const nameOff = await roundTrips(off.client, "n");
  await off.stop();
  return { first, warmP50: percentile(warm, 50), warmMax: warm.at(-1), checkerRss, kernelRssBusy, kernelRssIdle, checkerGone, trivialOn, trivialOff, nameOn, nameOff };
}

export function printTypecheck(r) {
  const f = (n, d = 1) => n.toFixed(d);
  console.log("\n## Type checking beside the cells\n");
  console.log("Targets: trivial cell p50 unchanged (within 0.1 ms of type checking off), diagnostics within 300 ms of a 20-line cell's reply after warm-up, idle kernel under 60 MB.\n");
  console.log("| what | type checking on | baseline, same run |");
  console.log("|---|---:|---:|");
  console.log(`| trivial cell \`1 + 1\` round trip p50 (checker running) | ${f(r.trivialOn, 2)} ms | off: ${f(r.trivialOff, 2)} ms |`);
  console.log(`| one-name cell \`n\` round trip p50 (checked beside it) | ${f(r.nameOn, 2)} ms | off: ${f(r.nameOff, 2)} ms |`);
  console.log(`| 20-line cell: reply to diagnostics, p50 / max of ${WARM_CHECKS} (warm) | ${f(r.warmP50, 0)} / ${f(r.warmMax, 0)} ms | |`);
  console.log(`| first typed cell: request to diagnostics (checker starts) | ${f(r.first.fromSend, 0)} ms | |`);
  console.log(`| checker process RSS after ${WARM_CHECKS + 1} checks | ${f(r.checkerRss)} MB | |`);
  console.log(`| kernel RSS with the checker up / after it stopped and ${12} s quiet | ${f(r.kernelRssBusy)} / ${f(r.kernelRssIdle)} MB${r.checkerGone ? "" : " (checker still running!)"} | |`);
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
  printTypecheck(await typecheckFigures({ argv: [process.execPath, "--max-semi-space-size=1", join(root, "kernel/bin/looplab.js"), "kernel"], env: { UV_THREADPOOL_SIZE: "6" } }, connection));
}
