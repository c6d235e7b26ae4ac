// The guard thread: answers heartbeats and breaks runaway loops while the main thread is busy with a cell.
import { parentPort, workerData } from "node:worker_threads";
import { serveHeartbeat, type Heartbeat } from "./wire/heartbeat.ts";
import { startWatchdog } from "./exec/watchdog.ts";

const { endpoint, state } = workerData as { endpoint: string; state: SharedArrayBuffer };
const log = (line: string) => parentPort!.postMessage({ log: line });

let heartbeat: Heartbeat | undefined;
const watchdog = startWatchdog(new Int32Array(state), log);

parentPort!.on("message", (message: unknown) => {
  // Closing the socket before the main thread exits is what keeps zeromq from aborting the process.
  if (message === "close") {
    heartbeat?.close();
    watchdog.close();
    parentPort!.postMessage("closed");
  }
});

try {
  heartbeat = await serveHeartbeat(endpoint);
  parentPort!.postMessage("ready");
} catch (error) {
  parentPort!.postMessage({ error: (error as Error).message });
}
