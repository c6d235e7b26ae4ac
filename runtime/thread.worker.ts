// The worker entry of toThread() (the build emits runtime/dist/thread.worker.js): serves jobs for the pool that
// started it (thread-jobs.ts says how).
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { serveThreadJobs, THREAD_POOL_MARK } from "./thread-jobs.ts";

if (!isMainThread && parentPort !== null && (workerData as Record<string, unknown> | undefined)?.[THREAD_POOL_MARK] === true) {
  serveThreadJobs(parentPort, String((workerData as Record<string, unknown>).prelude ?? ""));
}
