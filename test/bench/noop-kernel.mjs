// The floor the kernel bench judges LoopLab against: a Jupyter kernel that does no work. It loads only zeromq,
// signs with node:crypto, and answers each request with the messages LoopLab sends for it (status busy,
// execute_input, execute_result "2", execute_reply, status idle for a cell; kernel_info_reply; shutdown_reply),
// so the same client measures the protocol's own cost on this Node. Usage: node noop-kernel.mjs CONNECTION_FILE.
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
// Loaded as LoopLab loads it (kernel/wire/zmq.ts): importing CommonJS from ESM would run cjs-module-lexer.
const { Publisher, Reply, Router } = createRequire(import.meta.url)("zeromq");

const info = JSON.parse(readFileSync(process.argv[2], "utf8"));
const url = (port) => `${info.transport}://${info.ip}:${port}`;
const session = randomUUID();
const DELIM = Buffer.from("<IDS|MSG>");
const sign = (parts) => {
  if (!info.key) return "";
  const hmac = createHmac("sha256", info.key);
  for (const part of parts) hmac.update(part);
  return hmac.digest("hex");
};

const shell = new Router();
const control = new Router();
const stdin = new Router();
const iopub = new Publisher();
const hb = new Reply();
await Promise.all([
  shell.bind(url(info.shell_port)),
  control.bind(url(info.control_port)),
  stdin.bind(url(info.stdin_port)),
  iopub.bind(url(info.iopub_port)),
  hb.bind(url(info.hb_port)),
]);

let count = 0;
const languageInfo = { name: "typescript", version: "5", mimetype: "text/typescript", file_extension: ".ts" };

function frames(ids, parent, msgType, content) {
  const header = { msg_id: randomUUID(), session, username: "kernel", date: new Date().toISOString(), msg_type: msgType, version: "5.3" };
  const parts = [header, parent, {}, content].map((part) => Buffer.from(JSON.stringify(part)));
  return [...ids, DELIM, Buffer.from(sign(parts)), ...parts];
}
const publish = (parent, msgType, content) => iopub.send(frames([Buffer.from(`kernel.${session}.${msgType}`)], parent, msgType, content));

async function serve(socket) {
  for await (const message of socket) {
    const at = message.findIndex((part) => part.equals(DELIM));
    const ids = message.slice(0, at);
    const parent = JSON.parse(message[at + 2].toString());
    const type = parent.msg_type;
    await publish(parent, "status", { execution_state: "busy" });
    if (type === "kernel_info_request") {
      await socket.send(frames(ids, parent, "kernel_info_reply", { status: "ok", protocol_version: "5.3", implementation: "noop", implementation_version: "0", language_info: languageInfo, banner: "", help_links: [] }));
    } else if (type === "execute_request") {
      const code = JSON.parse(message[at + 5].toString()).code;
      count++;
      await publish(parent, "execute_input", { code, execution_count: count });
      await publish(parent, "execute_result", { execution_count: count, data: { "text/plain": "2" }, metadata: {} });
      await socket.send(frames(ids, parent, "execute_reply", { status: "ok", execution_count: count, user_expressions: {}, payload: [] }));
    } else if (type === "shutdown_request") {
      await socket.send(frames(ids, parent, "shutdown_reply", { status: "ok", restart: false }));
      await publish(parent, "status", { execution_state: "idle" });
      process.exit(0);
    } else if (type === "interrupt_request") {
      await socket.send(frames(ids, parent, "interrupt_reply", { status: "ok" }));
    }
    await publish(parent, "status", { execution_state: "idle" });
  }
}

void (async () => {
  for await (const [ping] of hb) await hb.send(ping);
})();
void serve(shell);
void serve(control);
