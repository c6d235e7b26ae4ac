// What Linux's /proc says about the processes a test or bench started: children, subtrees, command lines, RSS.
// Plain JavaScript (types in processes.d.mts) so the .mjs benches and the .ts tests share it.
import { readdirSync, readFileSync } from "node:fs";

/** The parent pid in /proc/PID/stat (the field after `(comm)`, which may itself hold spaces or parentheses). */
function parentOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined; // it ended while we looked
  }
}

export function childrenOf(pid) {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry) && parentOf(entry) === pid)
    .map(Number);
}

export function descendants(pid) {
  return childrenOf(pid).flatMap((child) => [child, ...descendants(child)]);
}

export function cmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
  } catch {
    return "";
  }
}

export function alive(pid) {
  try {
    return !readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].startsWith("Z");
  } catch {
    return false;
  }
}

export function rssMb(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;
}
