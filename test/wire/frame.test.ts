// The wire format in isolation: encode/decode round trips and every reason decode() refuses a message.
import { describe, expect, it } from "vitest";
import { decode, encode, MAX_FRAME_BYTES, type Decoded } from "../../kernel/wire/frame.ts";
import { makeHeader, type Message } from "../../kernel/wire/message.ts";
import { Signer } from "../../kernel/wire/sign.ts";

const signer = new Signer("a-secret-key");
const DELIMITER = Buffer.from("<IDS|MSG>");

function sample(): Message {
  const parent = makeHeader("kernel_info_request", "client-session", "ada");
  return {
    identities: [Buffer.from("peer-1"), Buffer.from([0, 1, 2, 255])],
    header: makeHeader("execute_request", "client-session", "ada"),
    parent_header: parent,
    metadata: { cellId: "cell-7", nested: { deep: [1, 2, 3] } },
    content: { code: "console.log('héllo ✓')", silent: false },
    buffers: [Buffer.from([9, 8, 7]), Buffer.alloc(0)],
  };
}

/** Frames after the delimiter, built by hand and signed, so each test can break exactly one thing. */
function framesOf(parts: (string | Buffer)[], key = signer, identities: Buffer[] = []): Buffer[] {
  const json = parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p));
  return [...identities, DELIMITER, Buffer.from(key.sign(json.slice(0, 4))), ...json];
}

const header = JSON.stringify(makeHeader("kernel_info_request", "s"));

function rejected(decoded: Decoded): string {
  expect(decoded.ok).toBe(false);
  return decoded.ok ? "" : decoded.reason;
}

describe("encode", () => {
  it("lays out identities, delimiter, signature, the four JSON frames and the buffers in that order", () => {
    const message = sample();
    const frames = encode(message, signer);
    expect(frames.length).toBe(2 + 1 + 1 + 4 + 2);
    expect(frames[0]).toEqual(Buffer.from("peer-1"));
    expect(frames[1]).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(frames[2].toString()).toBe("<IDS|MSG>");
    expect(frames[3].toString()).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(frames[4].toString())).toEqual(message.header);
    expect(JSON.parse(frames[5].toString())).toEqual(message.parent_header);
    expect(JSON.parse(frames[6].toString())).toEqual(message.metadata);
    expect(JSON.parse(frames[7].toString())).toEqual(message.content);
    expect(frames.slice(8)).toEqual(message.buffers);
  });
});

describe("decode", () => {
  it("gives back exactly what encode was given", () => {
    const message = sample();
    const decoded = decode(encode(message, signer), signer);
    expect(decoded).toEqual({ ok: true, message });
  });

  it("round-trips a message without identities, parent or buffers (as on iopub)", () => {
    const message: Message = { ...sample(), identities: [], parent_header: {}, buffers: [] };
    expect(decode(encode(message, signer), signer)).toEqual({ ok: true, message });
  });

  it("finds the delimiter after any number of identities, even one that looks like JSON", () => {
    const identities = [Buffer.from("{}"), Buffer.from("a"), Buffer.from("b")];
    const decoded = decode(framesOf([header, "{}", "{}", "{}"], signer, identities), signer);
    expect(decoded.ok && decoded.message.identities).toEqual(identities);
  });

  it("fills header fields a lenient client left out", () => {
    const decoded = decode(framesOf([JSON.stringify({ msg_id: "m1", msg_type: "kernel_info_request" }), "{}", "{}", "{}"]), signer);
    expect(decoded.ok && decoded.message.header).toEqual({
      msg_id: "m1",
      msg_type: "kernel_info_request",
      session: "",
      username: "",
      date: "",
      version: "",
    });
  });

  it("turns a parent_header without msg_id/msg_type into {}", () => {
    const decoded = decode(framesOf([header, JSON.stringify({ note: "not a header" }), "{}", "{}"]), signer);
    expect(decoded.ok && decoded.message.parent_header).toEqual({});
  });

  it("refuses a message without the <IDS|MSG> delimiter", () => {
    const frames = framesOf([header, "{}", "{}", "{}"]).filter((f) => !f.equals(DELIMITER));
    expect(rejected(decode(frames, signer))).toBe("no <IDS|MSG> delimiter");
    expect(rejected(decode([], signer))).toBe("no <IDS|MSG> delimiter");
    // Close is not enough: the delimiter must be the whole frame.
    expect(rejected(decode([Buffer.from("<IDS|MSG> "), Buffer.from(""), Buffer.from(header)], signer))).toBe("no <IDS|MSG> delimiter");
  });

  it("refuses a message with too few frames after the delimiter, saying how many", () => {
    const full = framesOf([header, "{}", "{}", "{}"]);
    expect(rejected(decode(full.slice(0, 5), signer))).toBe("too few frames (4 after the delimiter, need 5)");
    expect(rejected(decode([DELIMITER], signer))).toBe("too few frames (0 after the delimiter, need 5)");
  });

  it("refuses a wrong signature of the right length", () => {
    const frames = framesOf([header, "{}", "{}", "{}"]);
    frames[1] = Buffer.from(new Signer("another-key").sign(frames.slice(2, 6)));
    expect(frames[1].length).toBe(64);
    expect(rejected(decode(frames, signer))).toBe("invalid signature");
  });

  it("refuses a signature of the wrong length (short, long, empty)", () => {
    const frames = framesOf([header, "{}", "{}", "{}"]);
    const good = frames[1].toString();
    for (const signature of [good.slice(0, 63), good + "0", ""]) {
      frames[1] = Buffer.from(signature);
      expect(rejected(decode(frames, signer))).toBe("invalid signature");
    }
  });

  it("refuses a message whose signed frames were changed after signing", () => {
    const frames = framesOf([header, "{}", "{}", JSON.stringify({ code: "1" })]);
    frames[5] = Buffer.from(JSON.stringify({ code: "process.exit()" }));
    expect(rejected(decode(frames, signer))).toBe("invalid signature");
  });

  it("refuses a correctly signed frame that is not JSON", () => {
    for (const bad of ["not json", "{", "", Buffer.from([0xff, 0xfe])]) {
      for (const at of [0, 1, 2, 3]) {
        const parts: (string | Buffer)[] = [header, "{}", "{}", "{}"];
        parts[at] = bad;
        expect(rejected(decode(framesOf(parts), signer))).toBe("a frame is not valid JSON");
      }
    }
  });

  it("refuses a header of the wrong shape", () => {
    const shapes = [
      "null",
      "[]",
      '"execute_request"',
      JSON.stringify({ msg_type: "execute_request" }),
      JSON.stringify({ msg_id: "m" }),
      JSON.stringify({ msg_id: 7, msg_type: "execute_request" }),
      JSON.stringify({ msg_id: "m", msg_type: ["x"] }),
      JSON.stringify({ msg_id: "m", msg_type: "" }),
    ];
    for (const shape of shapes) {
      expect(rejected(decode(framesOf([shape, "{}", "{}", "{}"]), signer))).toBe("header lacks msg_id or msg_type");
    }
  });

  it("refuses parent_header, metadata or content that are not JSON objects", () => {
    for (const at of [1, 2, 3]) {
      for (const value of ["null", "[]", "42", '"x"']) {
        const parts = [header, "{}", "{}", "{}"];
        parts[at] = value;
        expect(rejected(decode(framesOf(parts), signer))).toBe("parent_header, metadata and content must be JSON objects");
      }
    }
  });

  it("refuses a frame over MAX_FRAME_BYTES before verifying or parsing it", () => {
    // One byte over the limit; the signature is garbage on purpose: the size check must come first.
    const big = Buffer.alloc(MAX_FRAME_BYTES + 1, 0x20);
    const frames = [DELIMITER, Buffer.from("0".repeat(64)), Buffer.from(header), Buffer.from("{}"), Buffer.from("{}"), big];
    expect(rejected(decode(frames, signer))).toBe("a JSON frame exceeds the size limit");
  });

  it("accepts a frame of exactly MAX_FRAME_BYTES", () => {
    const content = Buffer.alloc(MAX_FRAME_BYTES, 0x20);
    content.write('{"code":"1"}');
    const decoded = decode(framesOf([header, "{}", "{}", content]), signer);
    expect(decoded.ok && decoded.message.content).toEqual({ code: "1" });
  });

  it("does not count buffers against the JSON frame limit", () => {
    const frames = [...framesOf([header, "{}", "{}", "{}"]), Buffer.alloc(MAX_FRAME_BYTES + 1)];
    const decoded = decode(frames, signer);
    expect(decoded.ok && decoded.message.buffers[0].length).toBe(MAX_FRAME_BYTES + 1);
  });

  it("never throws, whatever the frames", () => {
    const frames = framesOf([header, "{}", "{}", "{}"]);
    for (let i = 0; i < 2000; i++) {
      const copy = frames.map((f) => Buffer.from(f));
      const f = copy[Math.floor(Math.random() * copy.length)];
      if (f.length > 0) f[Math.floor(Math.random() * f.length)] = Math.floor(Math.random() * 256);
      if (i % 3 === 0) copy.splice(Math.floor(Math.random() * copy.length), 1);
      expect(() => decode(copy, i % 2 ? signer : new Signer(""))).not.toThrow();
    }
  });
});
