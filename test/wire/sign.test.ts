// Message signatures as the Jupyter spec defines them: HMAC-SHA256 over the four JSON frames, hex; no key, no signing.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decode, encode } from "../../kernel/wire/frame.ts";
import { makeHeader, type Message } from "../../kernel/wire/message.ts";
import { Signer } from "../../kernel/wire/sign.ts";

const KEY = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const parts = [
  Buffer.from(JSON.stringify(makeHeader("execute_request", "s"))),
  Buffer.from("{}"),
  Buffer.from(JSON.stringify({ cellId: "c" })),
  Buffer.from(JSON.stringify({ code: "1 + 1 // ünïcödé" })),
];

/** The spec's recipe, written independently: hmac(key, header + parent_header + metadata + content).hexdigest(). */
function reference(key: string, frames: Buffer[]): string {
  const hmac = createHmac("sha256", key);
  for (const frame of frames) hmac.update(frame);
  return hmac.digest("hex");
}

function message(): Message {
  return {
    identities: [Buffer.from("peer")],
    header: makeHeader("kernel_info_request", "s"),
    parent_header: {},
    metadata: {},
    content: {},
    buffers: [Buffer.from("not signed")],
  };
}

describe("Signer with a key", () => {
  const signer = new Signer(KEY);

  it("signs with HMAC-SHA256 over the four frames in order, as lowercase hex", () => {
    const signature = signer.sign(parts);
    expect(signer.enabled).toBe(true);
    expect(signature).toBe(reference(KEY, parts));
    expect(signature).toBe(createHmac("sha256", KEY).update(Buffer.concat(parts)).digest("hex"));
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
  });

  it("depends on the order of the frames and on the key", () => {
    expect(signer.sign([parts[1], parts[0], parts[2], parts[3]])).not.toBe(signer.sign(parts));
    expect(new Signer(KEY + "x").sign(parts)).not.toBe(signer.sign(parts));
  });

  it("puts the reference signature on encoded messages and leaves buffers out of it", () => {
    const frames = encode(message(), signer);
    const at = frames.findIndex((f) => f.toString() === "<IDS|MSG>");
    expect(frames[at + 1].toString()).toBe(reference(KEY, frames.slice(at + 2, at + 6)));
  });

  it("verifies its own signature and one made by another implementation of the spec", () => {
    expect(signer.verify(Buffer.from(signer.sign(parts)), parts)).toBe(true);
    expect(signer.verify(Buffer.from(reference(KEY, parts)), parts)).toBe(true);
  });

  it("rejects a wrong signature of the same length (the constant-time comparison)", () => {
    const good = reference(KEY, parts);
    const lastFlipped = good.slice(0, -1) + (good.endsWith("0") ? "1" : "0");
    for (const wrong of ["0".repeat(64), lastFlipped, good.toUpperCase(), reference("other", parts)]) {
      if (wrong === good) continue;
      expect(wrong.length).toBe(64);
      expect(signer.verify(Buffer.from(wrong), parts)).toBe(false);
    }
  });

  it("rejects a signature of a different length without throwing (timingSafeEqual would)", () => {
    const good = reference(KEY, parts);
    for (const wrong of ["", good.slice(0, 32), good.slice(0, 63), good + "0", good + good]) {
      expect(() => signer.verify(Buffer.from(wrong), parts)).not.toThrow();
      expect(signer.verify(Buffer.from(wrong), parts)).toBe(false);
    }
  });

  it("rejects a good signature over frames that changed", () => {
    const signature = Buffer.from(signer.sign(parts));
    const changed = [...parts.slice(0, 3), Buffer.from(JSON.stringify({ code: "2 + 2" }))];
    expect(signer.verify(signature, changed)).toBe(false);
  });

  it("refuses, through decode, a message signed with no key", () => {
    const decoded = decode(encode(message(), new Signer("")), signer);
    expect(decoded).toEqual({ ok: false, reason: "invalid signature" });
  });
});

describe("Signer with an empty key (the spec: messages are not signed)", () => {
  const unsigned = new Signer("");

  it("is disabled and signs with an empty signature frame", () => {
    expect(unsigned.enabled).toBe(false);
    expect(unsigned.sign(parts)).toBe("");
    const frames = encode(message(), unsigned);
    const at = frames.findIndex((f) => f.toString() === "<IDS|MSG>");
    expect(frames[at + 1].length).toBe(0);
  });

  it("accepts an empty signature", () => {
    expect(unsigned.verify(Buffer.alloc(0), parts)).toBe(true);
    expect(decode(encode(message(), unsigned), unsigned).ok).toBe(true);
  });

  // verify() returns true whenever the key is empty: with no key there is nothing to check a signature
  // against, so whatever a client put in the signature frame is ignored rather than refused.
  it("ignores the signature frame entirely: a message signed with some key is accepted too", () => {
    expect(unsigned.verify(Buffer.from(reference(KEY, parts)), parts)).toBe(true);
    expect(unsigned.verify(Buffer.from("garbage"), parts)).toBe(true);
    const decoded = decode(encode(message(), new Signer(KEY)), unsigned);
    expect(decoded.ok).toBe(true);
  });
});
