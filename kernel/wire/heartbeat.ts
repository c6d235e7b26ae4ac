// The heartbeat: echoes every ping from a native libzmq thread, so it answers while a cell blocks JavaScript.
//
// zmq_proxy between the hb ROUTER and a DEALER connected to itself (inproc) is an echo: a ping comes in as
// [peer, ping], goes out through the DEALER, comes straight back into it, and the proxy hands it to the ROUTER,
// which routes it to the peer. (A REP front socket stalls here: the proxy may read a second ping before the
// first answer is through, which REP's strict request/reply order forbids.) ipykernel also echoes on a
// ROUTER. zeromq.js's Proxy runs on a libuv thread-pool thread, with no JavaScript (and no worker isolate,
// ~9 MB) involved.
import { Dealer, Proxy, Router } from "./zmq.ts";

export interface Heartbeat {
  /** Stops the echo. Must run before the process exits: a running proxy keeps libzmq from shutting down. */
  close(): void;
}

let loops = 0;

export async function startHeartbeat(endpoint: string): Promise<Heartbeat> {
  const front = new Router({ linger: 0 });
  const loop = new Dealer({ linger: 0 });
  try {
    await front.bind(endpoint);
    const inproc = `inproc://looplab-heartbeat-${process.pid}-${loops++}`;
    await loop.bind(inproc);
    loop.connect(inproc);
  } catch (error) {
    front.close();
    loop.close();
    throw error;
  }
  const proxy = new Proxy(front, loop);
  // run() rejects when terminated; that is how it ends, not an error.
  proxy.run().catch(() => undefined);
  let closed = false;
  return {
    close() {
      if (closed) return;
      closed = true;
      proxy.terminate();
    },
  };
}
