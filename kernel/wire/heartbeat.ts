// The heartbeat REP socket: echoes every ping. Runs inside the guard thread, never on the main thread.
import { Reply } from "zeromq";

export interface Heartbeat {
  close(): void;
}

export async function serveHeartbeat(endpoint: string): Promise<Heartbeat> {
  const socket = new Reply({ linger: 0 });
  await socket.bind(endpoint);
  void (async () => {
    try {
      for await (const frames of socket) await socket.send(frames);
    } catch {
      // closed: the kernel is shutting down
    }
  })();
  return { close: () => socket.close() };
}
