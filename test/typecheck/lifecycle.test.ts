// The checker's life beside the kernel: diagnostics that arrive after the reply, a checker that stops when the
// notebook is quiet and comes back knowing the notebook, and one that dies.
import { describe, expect, it } from "vitest";
import { delay, kernelPerFile, type TestKernel } from "../support/kernel.ts";
import type { Message } from "../../kernel/wire/message.ts";
import { childrenOf, cmdline, descendants } from "../support/processes.mjs";

const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "");

/** The checker processes under the kernel process (its children running checker.worker.js). */
const checkerPids = (kernel: TestKernel): number[] =>
  childrenOf(kernel.process.pid!).filter((pid) => cmdline(pid).includes("checker.worker.js"));

/** Command lines of every process below the kernel that belongs to type checking (the checker, and TypeScript 7's native tsc --api under it). */
const checkingTree = (pid: number): string[] =>
  descendants(pid).map(cmdline).filter((line) => /checker\.worker|@typescript\//.test(line));

/** Stderr text for request `msgId` that arrives after its reply (the default mode's warning block). */
function laterStderr(kernel: TestKernel, msgId: () => string | undefined): { text: () => string; stop: () => void } {
  let text = "";
  const stop = kernel.client.onIopub((m: Message) => {
    if (m.header.msg_type === "stream" && m.content.name === "stderr" && m.parent_header.msg_id === msgId()) text += String(m.content.text);
  });
  return { text: () => plain(text), stop };
}

describe("run and warn, by default", () => {
  const kernel = kernelPerFile({ env: { LOOPLAB_TYPECHECK_IDLE_S: "2" } });

  it("replies at once and sends the warning afterwards, under the cell's own request", async () => {
    let id: string | undefined;
    const late = laterStderr(kernel, () => id);
    const run = await kernel.execute('const width: number = "wide";\nconsole.log(width)');
    id = run.reply.parent_header.msg_id;
    expect(run.stdout).toBe("wide\n");
    for (let i = 0; i < 300 && !late.text().includes("TS2322"); i++) await delay(50);
    late.stop();
    expect(late.text()).toMatch(/Cell In\[\d+\], line 1, col 7: Type 'string' is not assignable to type 'number'\. \(TS2322\)/);
  });

  it("stops the checker when the notebook is quiet and starts it again knowing the earlier cells", async () => {
    await kernel.execute("let kept = 5");
    expect(checkerPids(kernel).length).toBe(1);
    const withTsgo = () => checkingTree(kernel.process.pid!).some((cmd) => cmd.includes("@typescript/"));
    for (let i = 0; i < 100 && !withTsgo(); i++) await delay(50);
    expect(withTsgo()).toBe(true);
    for (let i = 0; i < 100 && checkingTree(kernel.process.pid!).length > 0; i++) await delay(100);
    // The checker and tsgo under it: nothing of type checking is left holding memory.
    expect(checkingTree(kernel.process.pid!)).toEqual([]);
    let id: string | undefined;
    const late = laterStderr(kernel, () => id);
    const run = await kernel.execute("const s: string = kept");
    id = run.reply.parent_header.msg_id;
    for (let i = 0; i < 300 && !late.text().includes("TS2322"); i++) await delay(50);
    late.stop();
    expect(late.text()).toMatch(/Type 'number' is not assignable to type 'string'\. \(TS2322\)/);
    expect(checkerPids(kernel).length).toBe(1);
  });

});

describe("a checker that dies", () => {
  const kernel = kernelPerFile({ env: { LOOPLAB_TYPECHECK_BEFORE_REPLY: "1" } });

  it("runs cells when the checker is killed, and checks again with a new one", async () => {
    // Once the checker has answered (the reply waits for it), kill it: a checker that crashes.
    const warmed = await kernel.execute("const before = 1;\nconst warmed: string = before");
    expect(plain(warmed.stderr)).toContain("(TS2322)");
    const killed = checkerPids(kernel);
    expect(killed.length).toBe(1);
    for (const pid of killed) process.kill(pid, "SIGKILL");
    const run = await kernel.execute("before + 1");
    expect(run.result?.["text/plain"]).toBe("2");
    const again = await kernel.execute("const t: string = before");
    expect(plain(again.stderr), kernel.log()).toMatch(/Type 'number' is not assignable to type 'string'\. \(TS2322\)/);
    expect(checkerPids(kernel)).not.toEqual(killed);
  });
});

describe("cells with nothing to check", () => {
  const kernel = kernelPerFile();

  it("never start the checker (1 + 1 costs what it did)", async () => {
    await kernel.execute("1 + 1");
    await kernel.execute("%lsmagic");
    expect(checkerPids(kernel)).toEqual([]);
  });
});

describe("strict mode as a kernel option (LOOPLAB_TYPECHECK=strict)", () => {
  const kernel = kernelPerFile({ env: { LOOPLAB_TYPECHECK: "strict" } });

  it("stops a cell with type errors before it runs and runs a correct one", async () => {
    const stopped = await kernel.execute('console.log("ran");\nconst n: number = "one"');
    expect(stopped.error?.ename).toBe("TypeScriptError");
    expect(stopped.stdout).toBe("");
    expect((await kernel.execute("%typecheck")).stdout).toContain("type checking: strict");
    expect((await kernel.execute('const m: number = 1;\nconsole.log("ran", m)')).stdout).toBe("ran 1\n");
  });
});
