// The kernel keeps the user's work: interrupts, late output, unawaited errors, floods, hostile input, stdin.
import { randomBytes } from "node:crypto";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { delay, kernelPerFile, resultText as text, summarize } from "../support/kernel.ts";
import { stripAnsi } from "../../kernel/course/notebook/ansi.ts";
import { endpoint } from "../../kernel/wire/connection.ts";
import { MAX_FRAME_BYTES } from "../../kernel/wire/frame.ts";
import type { Message } from "../../kernel/wire/message.ts";
import { Dealer, Request } from "../../kernel/wire/zmq.ts";

const kernel = kernelPerFile();

describe("interrupts", () => {
  it("stops a synchronous infinite loop and keeps every variable", async () => {
    await kernel.execute("const before = 'kept'; let counter = 0;");
    const { run, took } = await kernel.interruptAfter("while (true) { counter++; }");
    expect(run.content.status).toBe("error");
    expect(run.error?.ename).toBe("InterruptError");
    expect(took).toBeLessThan(1000);
    expect(text(await kernel.execute("before"))).toBe("'kept'");
    expect(Number(text(await kernel.execute("counter")))).toBeGreaterThan(0);
  });

  it("stops a synchronous loop that runs after an await", async () => {
    const { run, took } = await kernel.interruptAfter("await new Promise((r) => setTimeout(r, 50));\nwhile (true) {}", { after: 400 });
    expect(run.error?.ename).toBe("InterruptError");
    expect(took).toBeLessThan(1000);
    expect(text(await kernel.execute("'alive'"))).toBe("'alive'");
  });

  it("stops deep recursion, which has no loop, before and after an await", async () => {
    await kernel.execute("function fib(n: number): number { return n < 2 ? n : fib(n - 1) + fib(n - 2); }");
    for (const call of ["fib(60)", "await null;\nfib(60)"]) {
      const { run, took } = await kernel.interruptAfter(call, { after: 300 });
      expect(run.error?.ename, call).toBe("InterruptError");
      expect(took, call).toBeLessThan(1000);
    }
    expect(text(await kernel.execute("fib(10)"))).toBe("55");
  });

  it("does not let an interrupt spill into the next cell, run right after", async () => {
    // SIGINT reaches the kernel two ways (its signal handler, and a byte the relay shell writes a few ms later):
    // whichever comes second must not stop the next cell's loop.
    for (const loop of ["while (true) {}", "await null;\nwhile (true) {}"]) {
      for (let round = 0; round < 3; round++) {
        const { run } = await kernel.interruptAfter(loop, { after: 200 });
        expect(run.error?.ename).toBe("InterruptError");
        const next = await kernel.execute("let laps = 0; const until = Date.now() + 80; while (Date.now() < until) laps++; laps > 0");
        expect(next.content.status, `${loop}, round ${round}: ${next.error?.ename}`).toBe("ok");
      }
    }
  });

  it("ends a pending await on a promise that never settles", async () => {
    const { run, took } = await kernel.interruptAfter("await new Promise(() => {})");
    expect(run.error?.ename).toBe("InterruptError");
    expect(took).toBeLessThan(1000);
  });

  it("cancels a whole gather tree and runs its finally blocks", async () => {
    const { run, took } = await kernel.interruptAfter(`
import { createTask, gather, sleep } from "looplab";
globalThis.cleaned = [];
const worker = (id: number) => createTask(async () => {
  try { await sleep(60_000); } finally { cleaned.push(id); }
}, { name: "worker-" + id });
await gather(worker(1), worker(2), worker(3));`);
    expect(run.error?.ename).toBe("InterruptError");
    expect(took).toBeLessThan(1000);
    await delay(50);
    const cleaned = await kernel.execute("[...cleaned].sort()");
    expect(text(cleaned)).toBe("[ 1, 2, 3 ]");
    const idle = await kernel.client.request("shell", "kernel_info_request", {});
    expect(idle.iopub.at(-1)?.content.execution_state).toBe("idle");
  });

  it("stops a loop that catches every error its body throws", async () => {
    await kernel.execute("function step(): void {}");
    const { run, took } = await kernel.interruptAfter("await null;\nwhile (true) { try { step(); } catch {} }");
    expect(run.error?.ename).toBe("InterruptError");
    expect(took).toBeLessThan(1000);
  });

  it("runs cleanup functions the cell's tasks call from their finally blocks", async () => {
    // The checks at the top of the user's functions must not fire in cleanup that an interrupt itself set off.
    const { run } = await kernel.interruptAfter(`
import { createTask, gather, sleep } from "looplab";
globalThis.tidied = [];
function tidy(id: number) { for (let i = 0; i < 3; i++) tidied.push(id * 10 + i); }
const worker = (id: number) => createTask(async () => {
  try { await sleep(60_000); } finally { tidy(id); }
}, { name: "worker-" + id });
await gather(worker(1), worker(2));`);
    expect(run.error?.ename).toBe("InterruptError");
    await delay(50);
    expect(text(await kernel.execute("[...tidied].sort((a, b) => a - b)"))).toBe("[ 10, 11, 12, 20, 21, 22 ]");
  });

  it("honours interrupt_request on the control channel", async () => {
    const running = kernel.execute("await new Promise(() => {})");
    await delay(200);
    const { reply } = await kernel.client.request("control", "interrupt_request", {});
    expect(reply.content.status).toBe("ok");
    expect((await running).error?.ename).toBe("InterruptError");
  });

  it("answers heartbeats while a cell blocks the event loop", async () => {
    const running = kernel.execute("const t0 = Date.now(); while (Date.now() - t0 < 1200) {}");
    await delay(300);
    const rtt = await kernel.client.heartbeat(800);
    expect(rtt).toBeLessThan(800);
    await running;
  });
});

/** Collects iopub messages by the msg_id of their parent request. */
function recordIopub() {
  const byParent = new Map<string, Message[]>();
  const off = kernel.client.onIopub((m) => {
    const id = (m.parent_header as { msg_id?: string }).msg_id ?? "";
    byParent.set(id, [...(byParent.get(id) ?? []), m]);
  });
  /** The text of one stream (`stdout` or `stderr`) under one request, without colours. */
  const stream = (id: string, name: "stdout" | "stderr") =>
    stripAnsi(
      (byParent.get(id) ?? [])
        .filter((m) => m.header.msg_type === "stream" && m.content.name === name)
        .map((m) => String(m.content.text))
        .join(""),
    );
  return { off, stdout: (id: string) => stream(id, "stdout"), stderr: (id: string) => stream(id, "stderr") };
}

const idOf = (run: { reply: Message }) => (run.reply.parent_header as { msg_id: string }).msg_id;

describe("output that outlives its cell", () => {
  it("routes a background task's output to the cell that started it, even while another cell runs", async () => {
    const recorder = recordIopub();
    const a = await kernel.execute(`import { createTask, sleep } from "looplab";
createTask(async () => { await sleep(300); console.log("late from A"); }, { name: "late-printer" });`);
    expect(a.stdout).toMatch(/1 task is still running in the background: late-printer/);
    const b = await kernel.execute("await new Promise((r) => setTimeout(r, 600)); console.log('from B')");
    await delay(50);
    recorder.off();
    expect(recorder.stdout(idOf(a))).toContain("late from A");
    expect(b.stdout).toBe("from B\n");
  });

  it("moves output of an earlier run of a cell to its newest run, marked", async () => {
    const recorder = recordIopub();
    const code = `import { createTask, sleep } from "looplab";
const runId = Math.random();
createTask(async () => { await sleep(400); console.log("tick " + runId); });`;
    const first = await kernel.execute(code, { metadata: { cellId: "cell-abc" } });
    const second = await kernel.execute("'rerun'", { metadata: { cellId: "cell-abc" } });
    await delay(600);
    recorder.off();
    expect(recorder.stdout(idOf(first))).not.toContain("tick");
    expect(recorder.stdout(idOf(second))).toMatch(/\[from an earlier run of this cell\] tick/);
  });
});

/** `Cell In[n], line m` for the cell that ran as `run` (execution count from its reply). */
const cellFrame = (run: { content: Record<string, unknown> }, line: number) =>
  new RegExp(`Cell In\\[${run.content.execution_count}\\], line ${line}\\b`);

describe("errors that nobody awaited", () => {
  // The origin words come from kernel/main.ts, which hands them to Kernel.reportBackgroundError.
  it.for([
    {
      what: "an unhandled rejection",
      code: "setTimeout(() => { Promise.reject(new TypeError('nobody awaited me')); }, 100); 'started'",
      heading: /^Unhandled promise rejection:\n/,
      line: 1,
      message: /TypeError: nobody awaited me/,
    },
    {
      what: "an exception thrown in a callback",
      code: "1;\nsetTimeout(function explode() { throw new Error('callback blew up'); }, 50); 1",
      heading: /^Uncaught exception in a callback:\n/,
      line: 2,
      message: /Error: callback blew up/,
    },
  ])("shows $what on stderr under the cell it came from, with the cell frame, and keeps running", async ({ code, heading, line, message }) => {
    const recorder = recordIopub();
    const a = await kernel.execute(code);
    await delay(400);
    recorder.off();
    const errors = recorder.stderr(idOf(a));
    expect(errors).toMatch(heading);
    expect(errors).toMatch(cellFrame(a, line));
    expect(errors).toMatch(message);
    expect(recorder.stdout(idOf(a))).not.toMatch(message);
    expect(text(await kernel.execute("'alive'"))).toBe("'alive'");
  });

  it("shows a failed task that nobody awaited on stderr under the cell that started it, even while another cell runs", async () => {
    const recorder = recordIopub();
    const a = await kernel.execute(`import { createTask, sleep } from "looplab";
createTask(async () => { await sleep(200); throw new RangeError("task blew up"); }, { name: "doomed" });
"started"`);
    expect(text(a)).toBe("'started'");
    const b = await kernel.execute("await new Promise((r) => setTimeout(r, 500)); 'from B'");
    await delay(50);
    recorder.off();
    const errors = recorder.stderr(idOf(a));
    expect(errors).toMatch(/^Unhandled promise rejection:\n/);
    expect(errors).toMatch(cellFrame(a, 2));
    expect(errors).toMatch(/RangeError: task blew up/);
    expect(b.stderr).toBe("");
    expect(b.content.status).toBe("ok");
    expect(text(await kernel.execute("'alive'"))).toBe("'alive'");
  });

  it("turns process.exit() into an error that says how to restart", async () => {
    await kernel.execute("const beforeExit = 1");
    const run = await kernel.execute("process.exit(3)");
    expect(run.error?.ename).toBe("ProcessExitError");
    expect(run.error?.evalue).toMatch(/Restart/);
    expect(text(await kernel.execute("beforeExit"))).toBe("1");
  });
});

describe("floods and size", () => {
  it("delivers 100k console.log lines in order in a handful of messages", async () => {
    const run = await kernel.execute("for (let i = 0; i < 100000; i++) console.log(i);");
    const streams = run.iopub.filter((m) => m.header.msg_type === "stream");
    const lines = run.stdout.split("\n");
    expect(lines.length).toBe(100001);
    expect(lines[0]).toBe("0");
    expect(lines[99999]).toBe("99999");
    expect(lines.slice(0, 100000).every((line, i) => line === String(i))).toBe(true);
    expect(streams.length).toBeLessThanOrEqual(50);
  });

  it("delivers 60k alternating console.log/console.error pairs, every line in its stream's order, in few messages", async () => {
    // One message per switch would be 120k: past the iopub socket's high-water mark, where ZeroMQ drops.
    const run = await kernel.execute("for (let i = 0; i < 60000; i++) { console.log(i); console.error(i); }");
    expect(run.content.status).toBe("ok");
    const expected = Array.from({ length: 60000 }, (_, i) => `${i}\n`).join("");
    expect(run.stdout === expected).toBe(true);
    expect(run.stderr === expected).toBe(true);
    expect(run.iopub.filter((m) => m.header.msg_type === "stream").length).toBeLessThan(2000);
    // Ordinary interleaving right after the flood stays exact.
    const next = await kernel.execute("console.log('a'); console.error('b'); console.log('c'); 42");
    expect(text(next)).toBe("42");
    const streams = next.iopub.filter((m) => m.header.msg_type === "stream").map((m) => [m.content.name, m.content.text]);
    expect(streams).toEqual([
      ["stdout", "a\n"],
      ["stderr", "b\n"],
      ["stdout", "c\n"],
    ]);
  });

  it("cuts a 50 MB string with a note", async () => {
    const run = await kernel.execute("const huge = 'x'.repeat(50 * 1024 * 1024); console.log(huge); huge");
    // The wording of kernel/display/limit.ts's omittedNote.
    const note = /… \[\d+(\.\d+)? MB more not shown\]/;
    expect(run.stdout.length).toBeLessThan(2_000_000);
    // The first 1,000,000 bytes, then the note for the rest: 52,428,801 - 1,000,000 bytes (the "\n" included).
    expect(/^x{1000000}$/.test(run.stdout.slice(0, 1_000_000))).toBe(true);
    expect(run.stdout.slice(1_000_000)).toMatch(/^\n?… \[51\.4 MB more not shown\]\n?$/);
    const result = String(text(run));
    expect(result.length).toBeLessThan(2_000_000);
    expect(result.slice(0, 20)).toBe("'" + "x".repeat(19));
    expect(result.slice(-60)).toMatch(new RegExp(`x'?\\n?${note.source}$`));
    expect(text(await kernel.execute("huge.length"))).toBe(String(50 * 1024 * 1024));
  });
});

describe("hostile or broken input", () => {
  it("never executes a message with a forged signature", async () => {
    const forged = kernel.client.message("execute_request", { code: "globalThis.forged = true", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    const frames = [
      Buffer.from("<IDS|MSG>"),
      Buffer.from("0".repeat(64)),
      Buffer.from(JSON.stringify(forged.header)),
      Buffer.from("{}"),
      Buffer.from("{}"),
      Buffer.from(JSON.stringify(forged.content)),
    ];
    kernel.client.sendFrames("shell", frames);
    await delay(200);
    expect(text(await kernel.execute("globalThis.forged ?? 'not executed'"))).toBe("'not executed'");
    expect(kernel.log()).toMatch(/invalid signature/);
  });

  it("drops a correctly signed message whose content frame is over the size limit, unexecuted, and logs it", async () => {
    const request = kernel.client.message("execute_request", { code: "globalThis.oversized = true", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    // Valid JSON, valid signature, only too big: the size is the one reason to refuse it. 65 MB > 64 MB.
    const padding = "x".repeat(MAX_FRAME_BYTES + 1024 * 1024);
    const parts = [
      Buffer.from(JSON.stringify(request.header)),
      Buffer.from("{}"),
      Buffer.from("{}"),
      Buffer.from(JSON.stringify({ ...request.content, padding })),
    ];
    expect(parts[3].length).toBeGreaterThan(MAX_FRAME_BYTES);
    kernel.client.sendFrames("shell", [Buffer.from("<IDS|MSG>"), Buffer.from(kernel.client.signer.sign(parts)), ...parts]);
    const logged = /dropped a message on shell: a JSON frame exceeds the size limit \(\d+ so far\)/;
    for (let waited = 0; waited < 10_000 && !logged.test(kernel.log()); waited += 50) await delay(50);
    expect(kernel.log()).toMatch(logged);
    // Sent after it on the same socket, so it is handled after it: the big one had its chance and did not run.
    expect(text(await kernel.execute("globalThis.oversized ?? 'not executed'"))).toBe("'not executed'");
    expect(kernel.process.exitCode).toBeNull();
  });

  it("survives 10k random and mutated messages on every socket, heartbeat included, then answers correctly", async () => {
    const good = kernel.client.message("kernel_info_request", {});
    const valid = [
      Buffer.from("<IDS|MSG>"),
      Buffer.from(kernel.client.signer.sign([Buffer.from(JSON.stringify(good.header)), Buffer.from("{}"), Buffer.from("{}"), Buffer.from("{}")])),
      Buffer.from(JSON.stringify(good.header)),
      Buffer.from("{}"),
      Buffer.from("{}"),
      Buffer.from("{}"),
    ];
    const mutate = (frames: Buffer[]): Buffer[] => {
      const copy = frames.map((f) => Buffer.from(f));
      switch (Math.floor(Math.random() * 6)) {
        case 0:
          return [randomBytes(Math.floor(Math.random() * 64))];
        case 1:
          copy.splice(Math.floor(Math.random() * copy.length), 1);
          return copy;
        case 2: {
          const f = copy[Math.floor(Math.random() * copy.length)];
          if (f.length > 0) f[Math.floor(Math.random() * f.length)] ^= 0xff;
          return copy;
        }
        case 3:
          return [Buffer.from("<IDS|MSG>"), Buffer.from(""), Buffer.from("not json"), Buffer.from("{"), Buffer.from("[]"), Buffer.from("null")];
        case 4:
          return Array.from({ length: 1 + Math.floor(Math.random() * 12) }, () => randomBytes(Math.floor(Math.random() * 200)));
        default:
          copy[2] = Buffer.from(JSON.stringify({ msg_id: 7, msg_type: ["x"] }));
          return copy;
      }
    };
    // The heartbeat echoes whatever arrives, so garbage there is about the echo surviving odd frames and peers:
    // a DEALER (any number of frames, empty ones too), a REQ that never reads its answer, and a TCP peer that
    // does not even speak ZMTP.
    const hb = endpoint(kernel.info, "hb");
    const hbDealer = new Dealer({ linger: 0, sendTimeout: 2000, receiveTimeout: 2000 });
    const sentToHb: Buffer[][] = [];
    hbDealer.connect(hb);
    const hbRequest = new Request({ linger: 0 });
    hbRequest.connect(hb);
    await hbRequest.send([randomBytes(100), Buffer.alloc(0), randomBytes(3)]);
    const raw = connect(kernel.info.hb_port, kernel.info.ip);
    raw.on("error", () => undefined);
    raw.write(randomBytes(4096));
    for (let i = 0; i < 10_000; i++) {
      const channel = (["shell", "control", "stdin", "hb"] as const)[i % 4];
      if (channel === "hb") {
        const frames = mutate(valid);
        if (sentToHb.length === 0) sentToHb.push(frames);
        await hbDealer.send(frames);
      }
      else kernel.client.sendFrames(channel, mutate(valid));
      if (i % 500 === 0) await delay(1);
    }
    await delay(300);
    raw.destroy();
    // The garbage did reach the echo (later echoes may be dropped at the high-water mark: nobody reads them).
    expect(await hbDealer.receive()).toEqual(sentToHb[0]);
    hbRequest.close();
    hbDealer.close();
    expect(await kernel.client.heartbeat(1000)).toBeLessThan(1000);
    const run = await kernel.execute("21 * 2");
    expect(text(run)).toBe("42");
    expect(kernel.process.exitCode).toBeNull();
  });
});

describe("stdin", () => {
  it("asks the front end with input() and input.password()", async () => {
    const prompts: [string, boolean][] = [];
    const run = summarize(
      await kernel.client.execute("const who = await input('Name? '); const secret = await input.password('Secret? '); who + ':' + secret.length", {
        onInput: (prompt, password) => {
          prompts.push([prompt, password]);
          return password ? "hunter2" : "Ada";
        },
      }),
    );
    expect(prompts).toEqual([["Name? ", false], ["Secret? ", true]]);
    expect(text(run)).toBe("'Ada:7'");
  });

  it("says clearly when the front end does not allow stdin", async () => {
    const run = await kernel.execute("await input('x')", { allowStdin: false });
    expect(run.error?.ename).toBe("StdinNotAllowedError");
    expect(run.error?.evalue).toMatch(/allow_stdin/);
  });
});
