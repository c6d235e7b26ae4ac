// What Linux's /proc says about the processes a test or bench started: children, subtrees, command lines, RSS.
// Plain JavaScript (types in processes.d.mts) so the .mjs benches and the .ts tests share it.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { getPriority, setPriority } from "node:os";

/** The fields of /proc/PID/stat after `(comm)` (which may itself hold spaces or parentheses); undefined once ended. */
function statFields(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** Every running process's children, from one pass over /proc (a subtree walk then reads nothing more). */
function childrenByParent() {
  const children = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = Number(statFields(entry)?.[1]);
    if (!Number.isInteger(parent)) continue;
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  return children;
}

export function childrenOf(pid) {
  return childrenByParent().get(pid) ?? [];
}

export function descendants(pid) {
  const children = childrenByParent();
  const below = (parent) => (children.get(parent) ?? []).flatMap((child) => [child, ...below(child)]);
  return below(pid);
}

export function cmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
  } catch {
    return "";
  }
}

export function alive(pid) {
  const state = statFields(pid)?.[0];
  return state !== undefined && state !== "Z";
}

export function rssMb(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;
}

/**
 * Lowers the CPU priority of `pids` to `nice`: each one's autogroup (Linux with autogrouping, this machine's
 * default, weighs one session's processes against another's by the group's nice) and each of its threads (where
 * there is no autogrouping; Chromium running as root raises its compositing threads to nice -8 itself). For a
 * browser that only watches: on two cores Chromium drawing JupyterLab used 87 of 142 CPU seconds of a lessons
 * run and held the kernel's timers back.
 */
export function lowerPriority(pids, nice = 10) {
  for (const pid of pids) {
    try {
      writeFileSync(`/proc/${pid}/autogroup`, String(nice));
    } catch {
      // ended, or no autogrouping here: the threads' own nice values are what there is
    }
    let threads = [];
    try {
      threads = readdirSync(`/proc/${pid}/task`).map(Number);
    } catch {
      continue; // ended
    }
    for (const tid of threads) {
      try {
        setPriority(tid, Math.max(nice, getPriority(tid)));
      } catch {
        // the thread ended
      }
    }
  }
}
