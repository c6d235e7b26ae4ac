// Every request is answered: a fault in the kernel's own code (injected by LOOPLAB_TEST_FAULTS) becomes a KernelError reply.
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { stripAnsi } from "../../kernel/course/notebook/ansi.ts";
import type { Exchange } from "../../kernel/course/client.ts";
import { delay, kernelPerFile, resultText, startKernel, summarize } from "../support/kernel.ts";

// Handler entries fault every time; the steps of an execution once each, in the order the cells below reach them.
const FAULTS = [
  "kernel_info_request",
  "complete_request",
  "inspect_request",
  "is_complete_request",
  "history_request",
  "comm_info_request",
  "comm_open",
  "comm_msg",
  "comm_close",
  "interrupt_request",
  "compile@1",
  "generated-code@1",
  "run@1",
  "display@1",
];
const kernel = kernelPerFile({ env: { LOOPLAB_TEST_FAULTS: FAULTS.join(",") } });

/** The error output and the reply say it is the kernel's fault, and the request ends idle. */
function expectKernelError(exchange: Exchange, doing: RegExp): string {
  const error = exchange.iopub.find((m) => m.header.msg_type === "error");
  expect(error, "an error output").toBeDefined();
  expect(error!.content.ename).toBe("KernelError");
  expect(String(error!.content.evalue)).toMatch(doing);
  const traceback = stripAnsi((error!.content.traceback as string[]).join("\n"));
  expect(traceback).toContain("This is a bug in LoopLab, not in your code");
  expect(traceback).toContain("Please report it");
  expect(exchange.iopub.at(-1)?.content.execution_state).toBe("idle");
  return traceback;
}

function expectErrorReply(exchange: Exchange, replyType: string): void {
  expect(exchange.reply.header.msg_type).toBe(replyType);
  expect(exchange.reply.content).toMatchObject({ status: "error", ename: "KernelError" });
  expect(Array.isArray(exchange.reply.content.traceback)).toBe(true);
}

describe("a fault in the kernel's code while executing", () => {
  it("compiling: an error reply, and the next cell runs", async () => {
    const run = await kernel.execute("1 + 1");
    expectErrorReply(run, "execute_reply");
    expect(run.content.execution_count).toBe(1);
    expectKernelError(run, /^LoopLab failed while compiling Cell In\[1\]: Error: fault injected at compile/);
  });

  it("generated code that does not parse: the kernel's error at the user's cell line, not a SyntaxError", async () => {
    const run = await kernel.execute("const answered = 1\nanswered + 1");
    expectErrorReply(run, "execute_reply");
    const traceback = expectKernelError(run, /compiling Cell In\[2\]: SyntaxError/);
    expect(traceback).toMatch(/Cell In\[2\], line 2\n\s+answered \+ 1/);
    expect(run.error?.ename).not.toBe("SyntaxError");
  });

  it("running and displaying: error replies, then the kernel goes on", async () => {
    expectKernelError(await kernel.execute("2 + 2"), /Cell In\[3\]: Error: fault injected at run/);
    const display = await kernel.execute("3 + 3");
    expectErrorReply(display, "execute_reply");
    expectKernelError(display, /handling execute_request for Cell In\[4\]: Error: fault injected at display/);
    const next = await kernel.execute("4 + 4");
    expect(next.content.status).toBe("ok");
    expect(resultText(next)).toBe("8");
  });

  it("cells cannot see or set the fault hook", async () => {
    const run = await kernel.execute("process.env.LOOPLAB_TEST_FAULTS = 'compile'; typeof process.env.LOOPLAB_TEST_FAULTS");
    expect(resultText(run)).toBe("'string'");
    expect(resultText(await kernel.execute("5 + 5"))).toBe("10");
  });
});

describe("a fault in a handler", () => {
  const requests: Array<[string, Record<string, unknown>, "shell" | "control"]> = [
    ["kernel_info_request", {}, "shell"],
    ["complete_request", { code: "Mat", cursor_pos: 3 }, "shell"],
    ["inspect_request", { code: "Math", cursor_pos: 4, detail_level: 0 }, "shell"],
    ["is_complete_request", { code: "1 +" }, "shell"],
    ["history_request", { hist_access_type: "tail", n: 3, output: false, raw: true }, "shell"],
    ["comm_info_request", {}, "shell"],
    ["interrupt_request", {}, "control"],
  ];
  for (const [type, content, channel] of requests) {
    it(`${type}: an error reply and the error output, then idle`, async () => {
      const exchange = await kernel.client.request(channel, type, content);
      expectErrorReply(exchange, type.replace(/_request$/, "_reply"));
      expectKernelError(exchange, new RegExp(`^LoopLab failed while handling ${type}: Error: fault injected at ${type}`));
    });
  }

  it("comm_open, comm_msg and comm_close (no reply in the protocol): the error output, then idle", async () => {
    for (const [type, content] of [
      ["comm_open", { comm_id: "c1", target_name: "t", data: {} }],
      ["comm_msg", { comm_id: "c1", data: {} }],
      ["comm_close", { comm_id: "c1", data: {} }],
    ] as const) {
      const idle = new Promise<Exchange["iopub"]>((resolve) => {
        const seen: Exchange["iopub"] = [];
        const message = kernel.client.message(type, content);
        kernel.client.onIopub((m) => {
          if (m.parent_header.msg_id !== message.header.msg_id) return;
          seen.push(m);
          if (m.header.msg_type === "status" && m.content.execution_state === "idle") resolve(seen);
        });
        kernel.client.sendMessage("shell", message);
      });
      const iopub = await idle;
      expectKernelError(summarize({ reply: iopub[0]!, iopub }), new RegExp(`handling ${type}`));
    }
  });

  it("leaves the kernel answering cells", async () => {
    expect(resultText(await kernel.execute("'still here'"))).toBe("'still here'");
    expect(kernel.log()).toContain("complete_request failed");
  });
});

describe("a fault while shutting down", () => {
  it("shutdown_request: an error reply and the error output, and the kernel stops all the same", async () => {
    const stopping = await startKernel({ env: { LOOPLAB_TEST_FAULTS: "shutdown_request" } });
    try {
      const exchange = await stopping.client.request("control", "shutdown_request", { restart: false });
      expectErrorReply(exchange, "shutdown_reply");
      expectKernelError(exchange, /^LoopLab failed while handling shutdown_request: Error: fault injected at shutdown_request/);
      // Well before jupyter_client's 5 s shutdown_wait_time, after which it would kill the process.
      const ended = await Promise.race([stopping.exited.then(() => "exited"), delay(4_000).then(() => "still running")]);
      expect(ended).toBe("exited");
    } finally {
      await stopping.close();
    }
  });
});

describe("code that acorn reads but this Node's V8 rejects", () => {
  it("is the user's SyntaxError with V8's words, at the cell's line, not a KernelError", async () => {
    // Duplicate named groups: ES2025, parsed by acorn; V8 only accepts them from Node 23 on.
    const regexp = "/(?<y>a)|(?<y>b)/";
    let expected: string | undefined;
    try {
      new vm.Script(regexp);
    } catch (error) {
      expected = (error as Error).message;
    }
    const run = await kernel.execute(`const ownOk = 1\nconst own = ${regexp}\nown.source`);
    if (expected === undefined) {
      expect(run.content.status).toBe("ok");
      return;
    }
    expect(run.error).toMatchObject({ ename: "SyntaxError", evalue: expected });
    expect(stripAnsi(run.error!.traceback.join("\n"))).toMatch(/Cell In\[\d+\], line 2\n\s+const own =/);
  });
});
