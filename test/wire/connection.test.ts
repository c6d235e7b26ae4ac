// Reading Jupyter's connection file: defaults, every refusal (one line a user can act on), and endpoint spelling.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConnectionFileError, endpoint, parseConnectionInfo, readConnectionFile, type ConnectionInfo } from "../../kernel/wire/connection.ts";

const ports = { shell_port: 50001, control_port: 50002, stdin_port: 50003, iopub_port: 50004, hb_port: 50005 };
const full = { transport: "tcp", ip: "127.0.0.1", key: "k", signature_scheme: "hmac-sha256", kernel_name: "looplab", ...ports };

/** The one-line message parse refuses `value` with (fails the test if it is accepted or throws something else). */
function refusal(value: unknown): string {
  try {
    parseConnectionInfo(typeof value === "string" ? value : JSON.stringify(value));
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectionFileError);
    const message = (error as Error).message;
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error(`accepted ${JSON.stringify(value)}`);
}

describe("parseConnectionInfo", () => {
  it("reads a complete file as Jupyter writes it", () => {
    expect(parseConnectionInfo(JSON.stringify(full))).toEqual(full);
  });

  it("fills transport, ip, key and scheme when they are missing, and drops unknown fields", () => {
    expect(parseConnectionInfo(JSON.stringify({ ...ports, extra: 1 }))).toEqual({
      transport: "tcp",
      ip: "127.0.0.1",
      key: "",
      signature_scheme: "hmac-sha256",
      ...ports,
    });
  });

  it("refuses text that is not JSON, or JSON that is not an object", () => {
    expect(refusal("{not json")).toMatch(/^connection file is not valid JSON \(/);
    for (const value of [null, [], 5, "a string"]) expect(refusal(JSON.stringify(value))).toBe("connection file must hold a JSON object");
  });

  it("names the origin it was given", () => {
    expect(() => parseConnectionInfo("[]", "kernel-1.json")).toThrow("kernel-1.json must hold a JSON object");
  });

  it("refuses an unknown transport", () => {
    expect(refusal({ ...full, transport: "udp" })).toBe('connection file: transport must be "tcp" or "ipc", not "udp"');
  });

  it("refuses an empty or non-string ip, and a non-string key", () => {
    expect(refusal({ ...full, ip: "" })).toBe("connection file: ip must be a non-empty string");
    expect(refusal({ ...full, ip: 127 })).toBe("connection file: ip must be a non-empty string");
    expect(refusal({ ...full, key: 42 })).toBe("connection file: key must be a string");
  });

  it("refuses a signature scheme other than hmac-sha256", () => {
    expect(refusal({ ...full, signature_scheme: "hmac-md5" })).toMatch(/signature_scheme "hmac-md5" is not supported/);
  });

  it("refuses every missing or impossible port, naming it", () => {
    for (const name of Object.keys(ports)) {
      const { [name]: _, ...without } = full as Record<string, unknown>;
      expect(refusal(without)).toBe(`connection file: ${name} must be a port number, got undefined`);
      for (const bad of [0, -1, 65536, 1.5, "8888", null]) {
        expect(refusal({ ...full, [name]: bad })).toBe(`connection file: ${name} must be a port number, got ${JSON.stringify(bad)}`);
      }
    }
  });

  it("allows ipc 'ports' above 65535, since they are only part of a path", () => {
    expect(parseConnectionInfo(JSON.stringify({ ...full, transport: "ipc", ip: "/tmp/k", hb_port: 70000 })).hb_port).toBe(70000);
  });
});

describe("readConnectionFile", () => {
  const dir = mkdtempSync(join(tmpdir(), "looplab-connection-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads and parses a file, naming it in errors", () => {
    const file = join(dir, "ok.json");
    writeFileSync(file, JSON.stringify(full));
    expect(readConnectionFile(file)).toEqual(full);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "[]");
    expect(() => readConnectionFile(bad)).toThrow(`connection file ${bad} must hold a JSON object`);
  });

  it("says plainly that a missing file does not exist", () => {
    const missing = join(dir, "nope.json");
    expect(() => readConnectionFile(missing)).toThrow(new ConnectionFileError(`connection file ${missing} does not exist`));
  });
});

describe("endpoint", () => {
  it("spells tcp as tcp://ip:port and ipc as ipc://ip-port, per channel", () => {
    const tcp = parseConnectionInfo(JSON.stringify(full));
    expect(endpoint(tcp, "shell")).toBe("tcp://127.0.0.1:50001");
    expect(endpoint(tcp, "hb")).toBe("tcp://127.0.0.1:50005");
    const ipc: ConnectionInfo = { ...tcp, transport: "ipc", ip: "/tmp/kernel-abc" };
    expect(endpoint(ipc, "iopub")).toBe("ipc:///tmp/kernel-abc-50004");
    expect(endpoint(ipc, "control")).toBe("ipc:///tmp/kernel-abc-50002");
  });
});
