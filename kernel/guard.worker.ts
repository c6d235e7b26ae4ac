// The heartbeat: a REP socket in its own thread, so it answers even while a cell blocks the main thread.
import { parentPort, workerData } from "node:worker_threads";
import { Reply } from "zeromq";

const socket = new Reply({ linger: 0 });
const endpoint = (workerData as { endpoint: string }).endpoint;

parentPort!.on("message", (message: unknown) => {
  // Closing here, before the main thread exits, is what keeps zeromq from aborting the process.
  if (message === "close") {
    socket.close();
    parentPort!.postMessage("closed");
  }
});

try {
  await socket.bind(endpoint);
  parentPort!.postMessage("ready");
} catch (error) {
  parentPort!.postMessage({ error: (error as Error).message });
  socket.close();
}

try {
  for await (const frames of socket) await socket.send(frames);
} catch {
  // The socket was closed: the kernel is shutting down.
}
