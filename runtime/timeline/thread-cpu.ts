// CPU time of the calling thread alone, for the stall monitor: the process's CPU time also counts worker
// threads (toThread's pool), V8's GC helpers and ZeroMQ's I/O threads, so a loop that was merely descheduled
// while workers computed would pass for one that froze itself.

import { closeSync, openSync, readSync } from "node:fs";

/** Milliseconds of CPU the calling thread has used, from some fixed origin. */
export type ThreadCpuClock = () => number;

/** Node >= 23.9 has it built in. */
type WithThreadCpu = NodeJS.Process & { threadCpuUsage?: () => NodeJS.CpuUsage };

/**
 * Linux's per-thread scheduler line: "<ns on cpu> <ns waiting to run> <timeslices>". Read with pread on one
 * open descriptor: ~2 us, against ~1 us for process.cpuUsage(). The descriptor is opened by the thread that
 * reads it, as /proc/thread-self resolves at open time.
 */
function schedstatClock(): ThreadCpuClock | undefined {
  let fd: number;
  try {
    fd = openSync("/proc/thread-self/schedstat", "r");
  } catch {
    return undefined;
  }
  const buf = Buffer.alloc(96);
  const read = (): number => {
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.toString("latin1", 0, n);
    return Number(text.slice(0, text.indexOf(" "))) / 1e6;
  };
  try {
    if (!Number.isFinite(read())) throw new Error("unexpected schedstat format");
  } catch {
    closeSync(fd);
    return undefined;
  }
  // One descriptor per thread for the thread's lifetime: the monitor reads it every few ms while recording.
  return read;
}

const ms = (used: NodeJS.CpuUsage): number => (used.user + used.system) / 1000;

let clock: ThreadCpuClock | undefined;

/** The best per-thread CPU clock here; the whole process's CPU time where the platform offers nothing finer. */
export function threadCpuClock(): ThreadCpuClock {
  const builtin = (process as WithThreadCpu).threadCpuUsage;
  clock ??= typeof builtin === "function" ? () => ms(builtin.call(process)) : (schedstatClock() ?? (() => ms(process.cpuUsage())));
  return clock;
}
