// The connection file Jupyter writes for a kernel: where to bind the five sockets and how to sign messages.
import { readFileSync } from "node:fs";

export type Channel = "shell" | "control" | "stdin" | "iopub" | "hb";

export interface ConnectionInfo {
  transport: "tcp" | "ipc";
  ip: string;
  key: string;
  signature_scheme: "hmac-sha256";
  shell_port: number;
  control_port: number;
  stdin_port: number;
  iopub_port: number;
  hb_port: number;
  kernel_name?: string;
}

/**
 * The kernel's exit code when it cannot bind a port of its connection file. A code of its own (2 is a usage
 * error): a launcher that chose the ports itself may lose one to another process between choosing and the
 * kernel's bind, and then starts again with fresh ones (kernel/course/run/kernel-process.ts).
 */
export const BIND_FAILED = 3;

/** A connection file that cannot be used; the message is one line, fit for a user. */
export class ConnectionFileError extends Error {
  override name = "ConnectionFileError";
}

export function parseConnectionInfo(text: string, origin = "connection file"): ConnectionInfo {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConnectionFileError(`${origin} is not valid JSON (${(error as Error).message})`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ConnectionFileError(`${origin} must hold a JSON object`);
  }
  const o = raw as Record<string, unknown>;
  const transport = o.transport ?? "tcp";
  if (transport !== "tcp" && transport !== "ipc") {
    throw new ConnectionFileError(`${origin}: transport must be "tcp" or "ipc", not ${JSON.stringify(transport)}`);
  }
  const ip = o.ip ?? "127.0.0.1";
  if (typeof ip !== "string" || ip === "") throw new ConnectionFileError(`${origin}: ip must be a non-empty string`);
  const key = o.key ?? "";
  if (typeof key !== "string") throw new ConnectionFileError(`${origin}: key must be a string`);
  const scheme = o.signature_scheme ?? "hmac-sha256";
  if (scheme !== "hmac-sha256") {
    throw new ConnectionFileError(`${origin}: signature_scheme ${JSON.stringify(scheme)} is not supported (use hmac-sha256)`);
  }
  const port = (name: string): number => {
    const value = o[name];
    const max = transport === "tcp" ? 65535 : Number.MAX_SAFE_INTEGER;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) {
      throw new ConnectionFileError(`${origin}: ${name} must be a port number, got ${JSON.stringify(value)}`);
    }
    return value;
  };
  return {
    transport,
    ip,
    key,
    signature_scheme: "hmac-sha256",
    shell_port: port("shell_port"),
    control_port: port("control_port"),
    stdin_port: port("stdin_port"),
    iopub_port: port("iopub_port"),
    hb_port: port("hb_port"),
    ...(typeof o.kernel_name === "string" ? { kernel_name: o.kernel_name } : {}),
  };
}

export function readConnectionFile(path: string): ConnectionInfo {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConnectionFileError(
      code === "ENOENT" ? `connection file ${path} does not exist` : `cannot read connection file ${path} (${code ?? error})`,
    );
  }
  return parseConnectionInfo(text, `connection file ${path}`);
}

/** The ZeroMQ endpoint of one channel, spelled the way Jupyter spells it (ipc: `ip-port` as a path). */
export function endpoint(info: ConnectionInfo, channel: Channel): string {
  const port = info[`${channel}_port`];
  return info.transport === "tcp" ? `tcp://${info.ip}:${port}` : `ipc://${info.ip}-${port}`;
}
