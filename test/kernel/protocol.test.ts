// The kernel over ZeroMQ: kernel_info, status around requests, introspection replies, comms, shutdown.
import { describe, expect, it } from "vitest";
import { kernelPerFile } from "../support/kernel.ts";

const kernel = kernelPerFile();

describe("kernel_info", () => {
  it("describes a TypeScript kernel speaking protocol 5.3", async () => {
    const { reply, iopub } = await kernel.client.request("shell", "kernel_info_request", {});
    expect(reply.header.msg_type).toBe("kernel_info_reply");
    const c = reply.content as Record<string, any>;
    expect(c.status).toBe("ok");
    expect(c.protocol_version).toBe("5.3");
    expect(c.implementation).toBe("looplab");
    expect(c.language_info).toMatchObject({ name: "typescript", mimetype: "text/typescript", file_extension: ".ts", pygments_lexer: "typescript" });
    // A MIME type JupyterLab's language registry resolves to TypeScript (an object's options it would drop).
    expect(c.language_info.codemirror_mode).toBe("application/typescript");
    expect(c.banner).toMatch(/LoopLab/);
    expect(Array.isArray(c.help_links)).toBe(true);
    expect(iopub.map((m) => [m.header.msg_type, m.content.execution_state])).toEqual([
      ["status", "busy"],
      ["status", "idle"],
    ]);
  });

  it("answers on the control channel too", async () => {
    const { reply } = await kernel.client.request("control", "kernel_info_request", {});
    expect(reply.content.protocol_version).toBe("5.3");
  });
});

describe("execute", () => {
  it("publishes busy, execute_input, output and idle with the request as parent", async () => {
    const run = await kernel.execute("console.log('hi'); 6 * 7");
    const types = run.iopub.map((m) => m.header.msg_type);
    expect(types[0]).toBe("status");
    expect(types[1]).toBe("execute_input");
    expect(types.at(-1)).toBe("status");
    expect(run.stdout).toBe("hi\n");
    // Each carries ipykernel's ZeroMQ topic, kernel.<session>.<msg_type>, for clients that subscribe by topic.
    for (const m of run.iopub) expect(m.identities.map(String)).toEqual([`kernel.${m.header.session}.${m.header.msg_type}`]);
    expect(run.result?.["text/plain"]).toBe("42");
    const count = run.content.execution_count as number;
    expect(run.iopub[1].content).toMatchObject({ code: "console.log('hi'); 6 * 7", execution_count: count });
    const result = run.iopub.find((m) => m.header.msg_type === "execute_result")!;
    expect(result.content.execution_count).toBe(count);
    for (const m of run.iopub) expect((m.parent_header as { msg_id: string }).msg_id).toBe((run.reply.parent_header as { msg_id: string }).msg_id);
  });

  it("counts executions, but not silent ones or those without store_history", async () => {
    const a = await kernel.execute("1");
    const b = await kernel.execute("2", { storeHistory: false });
    const c = await kernel.execute("3", { silent: true });
    const d = await kernel.execute("4");
    expect(b.content.execution_count).toBe(a.content.execution_count);
    expect(c.content.execution_count).toBe(a.content.execution_count);
    expect(c.iopub.some((m) => m.header.msg_type === "execute_input" || m.header.msg_type === "execute_result")).toBe(false);
    expect(d.content.execution_count).toBe((a.content.execution_count as number) + 1);
  });

  it("evaluates user_expressions", async () => {
    await kernel.execute("const answer = 41");
    const run = await kernel.execute("1", { storeHistory: true });
    const { reply } = await kernel.client.request("shell", "execute_request", {
      code: "",
      silent: false,
      store_history: false,
      user_expressions: { a: "answer + 1", bad: "nope.nope" },
      allow_stdin: false,
      stop_on_error: true,
    });
    expect(run.content.status).toBe("ok");
    const ue = reply.content.user_expressions as Record<string, any>;
    expect(ue.a).toMatchObject({ status: "ok", data: { "text/plain": "42" } });
    expect(ue.bad.status).toBe("error");
  });
});

describe("stop_on_error", () => {
  it("aborts only the requests queued when the error happened", async () => {
    const failing = kernel.client.execute("await new Promise((r) => setTimeout(r, 200)); throw new Error('boom')");
    const queued = kernel.client.execute("globalThis.ranQueued = true");
    const [f, q] = await Promise.all([failing, queued]);
    expect(f.reply.content.status).toBe("error");
    expect(q.reply.content.status).toBe("aborted");
    const later = await kernel.execute("globalThis.ranQueued ?? 'never ran'");
    expect(later.result?.["text/plain"]).toBe("'never ran'");
  });

  it("runs queued requests when stop_on_error is false", async () => {
    const failing = kernel.client.execute("throw new Error('boom')", { stopOnError: false });
    const queued = kernel.client.execute("'still runs'");
    const [, q] = await Promise.all([failing, queued]);
    expect(q.reply.content.status).toBe("ok");
  });
});

describe("introspection", () => {
  it("completes notebook names and members", async () => {
    await kernel.execute("const looplabAnswer = { deepThought: 42, dolphins: 'so long' }");
    const { reply } = await kernel.client.request("shell", "complete_request", { code: "looplabAns", cursor_pos: 10 });
    expect(reply.content.matches).toContain("looplabAnswer");
    expect(reply.content).toMatchObject({ cursor_start: 0, cursor_end: 10, status: "ok" });
    const members = await kernel.client.request("shell", "complete_request", { code: "looplabAnswer.d", cursor_pos: 15 });
    expect(members.reply.content.matches).toEqual(expect.arrayContaining(["deepThought", "dolphins"]));
    expect(members.reply.content.cursor_start).toBe(14);
  });

  it("inspects a name", async () => {
    await kernel.execute("function greet(name: string, times = 2) { return name.repeat(times) }");
    const { reply } = await kernel.client.request("shell", "inspect_request", { code: "greet", cursor_pos: 3, detail_level: 0 });
    expect(reply.content.found).toBe(true);
    expect(String((reply.content.data as Record<string, string>)["text/plain"])).toMatch(/greet\(name, times/);
  });

  it("tells complete, incomplete and invalid code apart", async () => {
    const ask = async (code: string) => (await kernel.client.request("shell", "is_complete_request", { code })).reply.content;
    expect(await ask("const x = 1")).toMatchObject({ status: "complete" });
    const open = await ask("function f() {");
    expect(open.status).toBe("incomplete");
    expect(typeof open.indent).toBe("string");
    expect((await ask("const = ;")).status).toBe("invalid");
  });

  it("answers history requests", async () => {
    await kernel.execute("const historyMarker = 'hm'");
    const tail = await kernel.client.request("shell", "history_request", { hist_access_type: "tail", n: 5, output: false, raw: true });
    const inputs = (tail.reply.content.history as [number, number, string][]).map((h) => h[2]);
    expect(inputs).toContain("const historyMarker = 'hm'");
    const search = await kernel.client.request("shell", "history_request", { hist_access_type: "search", pattern: "const history*", n: 5, unique: true, output: false, raw: true });
    expect((search.reply.content.history as unknown[]).length).toBeGreaterThan(0);
  });
});

describe("comms and unknown messages", () => {
  it("reports no comms and closes a comm to an unknown target", async () => {
    const info = await kernel.client.request("shell", "comm_info_request", {});
    expect(info.reply.content).toMatchObject({ status: "ok", comms: {} });
    const closed = new Promise((resolve) => {
      const off = kernel.client.onIopub((m) => {
        if (m.header.msg_type === "comm_close" && m.content.comm_id === "c-1") {
          off();
          resolve(m.content);
        }
      });
    });
    kernel.client.sendMessage("shell", kernel.client.message("comm_open", { comm_id: "c-1", target_name: "nobody", data: {} }));
    await expect(closed).resolves.toMatchObject({ comm_id: "c-1" });
  });

  it("ignores an unknown message type and keeps answering", async () => {
    const unknown = kernel.client.message("no_such_request", {});
    const states: string[] = [];
    const off = kernel.client.onIopub((m) => {
      if (m.header.msg_type === "status" && m.parent_header.msg_id === unknown.header.msg_id) states.push(String(m.content.execution_state));
    });
    kernel.client.sendMessage("shell", unknown);
    const run = await kernel.execute("'alive'");
    off();
    // Still busy then idle for it, so a front end that waits for idle is not left waiting.
    expect(states).toEqual(["busy", "idle"]);
    expect(run.result?.["text/plain"]).toBe("'alive'");
    expect(kernel.log()).toMatch(/unknown message type "no_such_request"/);
  });
});
