// Jupyter messages (protocol 5.3): headers, the message shape, and how to make a reply or a broadcast
// (childMessage; KernelSockets.send gives a broadcast its iopub topic).
import { randomUUID } from "node:crypto";

export const PROTOCOL_VERSION = "5.3";

export interface Header {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

export type Content = Record<string, unknown>;

export interface Message<C extends Content = Content> {
  /** ROUTER identities of the peer (empty on PUB/SUB and for client-side messages). */
  identities: Buffer[];
  header: Header;
  /** The header of the request this answers; `{}` when there is none. */
  parent_header: Header | Record<string, never>;
  metadata: Content;
  content: C;
  buffers: Buffer[];
}

export function makeHeader(msgType: string, session: string, username = "kernel"): Header {
  return { msg_id: randomUUID(), session, username, date: new Date().toISOString(), msg_type: msgType, version: PROTOCOL_VERSION };
}

/** A new message answering or caused by `parent` (same identities, parent header set). */
export function childMessage<C extends Content>(
  parent: Pick<Message, "identities" | "header"> | undefined,
  msgType: string,
  content: C,
  session: string,
  metadata: Content = {},
): Message<C> {
  return {
    identities: parent?.identities ?? [],
    header: makeHeader(msgType, session, parent?.header.username ?? "kernel"),
    parent_header: parent?.header ?? {},
    metadata,
    content,
    buffers: [],
  };
}
