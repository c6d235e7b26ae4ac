// The wire format: identities, `<IDS|MSG>`, signature, four JSON frames, buffers. Decoding never throws.
import type { Content, Header, Message } from "./message.ts";
import type { Signer } from "./sign.ts";

const DELIMITER = Buffer.from("<IDS|MSG>");
/** A single JSON frame larger than this is refused before parsing: nobody sends 64 MB of header. */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

export type Decoded = { ok: true; message: Message } | { ok: false; reason: string };

export function encode(message: Message, signer: Signer): Buffer[] {
  const parts = [
    Buffer.from(JSON.stringify(message.header)),
    Buffer.from(JSON.stringify(message.parent_header)),
    Buffer.from(JSON.stringify(message.metadata)),
    Buffer.from(JSON.stringify(message.content)),
  ];
  return [...message.identities, DELIMITER, Buffer.from(signer.sign(parts)), ...parts, ...message.buffers];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isHeader(value: unknown): value is Header {
  return isObject(value) && typeof value.msg_id === "string" && typeof value.msg_type === "string" && value.msg_type !== "";
}

export function decode(frames: readonly Buffer[], signer: Signer): Decoded {
  const at = frames.findIndex((f) => f.length === DELIMITER.length && f.equals(DELIMITER));
  if (at < 0) return { ok: false, reason: "no <IDS|MSG> delimiter" };
  if (frames.length < at + 6) return { ok: false, reason: `too few frames (${frames.length - at - 1} after the delimiter, need 5)` };
  const signature = frames[at + 1];
  const parts = frames.slice(at + 2, at + 6);
  if (parts.some((p) => p.length > MAX_FRAME_BYTES)) return { ok: false, reason: "a JSON frame exceeds the size limit" };
  // Verify before parsing: a forged message must not cost us a JSON parse of attacker-sized input.
  if (!signer.verify(signature, parts)) return { ok: false, reason: "invalid signature" };
  const parsed: unknown[] = [];
  for (const part of parts) {
    try {
      parsed.push(JSON.parse(part.toString("utf8")));
    } catch {
      return { ok: false, reason: "a frame is not valid JSON" };
    }
  }
  const [header, parent, metadata, content] = parsed;
  if (!isHeader(header)) return { ok: false, reason: "header lacks msg_id or msg_type" };
  if (!isObject(parent) || !isObject(metadata) || !isObject(content)) {
    return { ok: false, reason: "parent_header, metadata and content must be JSON objects" };
  }
  return {
    ok: true,
    message: {
      identities: frames.slice(0, at),
      // Lenient clients omit some header fields; fill them so everything downstream can rely on them.
      header: { session: "", username: "", date: "", version: "", ...(header as Partial<Header>), msg_id: header.msg_id, msg_type: header.msg_type },
      parent_header: (isHeader(parent) ? parent : {}) as Header | Record<string, never>,
      metadata: metadata as Content,
      content: content as Content,
      buffers: frames.slice(at + 6),
    },
  };
}
