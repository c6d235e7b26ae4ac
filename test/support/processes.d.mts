// Types of processes.mjs.
/** The direct children of `pid`. */
export function childrenOf(pid: number): number[];
/** Every process below `pid`, however deep, parents before their children. */
export function descendants(pid: number): number[];
/** A process's command line, arguments joined by spaces; "" once it has ended. */
export function cmdline(pid: number): string;
/** Whether `pid` still runs (a zombie waiting to be reaped does not). */
export function alive(pid: number): boolean;
/** Resident memory of `pid` in MB (throws once it has ended: a figure of a dead process is no figure). */
export function rssMb(pid: number): number;
/** Lowers the CPU priority of `pids` (their autogroups and every thread) to `nice`, 10 unless told; ended ones are skipped. */
export function lowerPriority(pids: number[], nice?: number): void;
