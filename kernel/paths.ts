// Where this package lives, found from the running file, so it works from a clone, a bundle or node_modules.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The nearest directory above this file whose package.json is looplab's, with that package.json (read once). */
function findRoot(): { root: string; json: { name?: string; version: string } } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate)) {
      const json = JSON.parse(readFileSync(candidate, "utf8")) as { name?: string; version: string };
      if (json.name === "looplab") return { root: dir, json };
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error("looplab: cannot find the package root above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

const found = findRoot();
export const packageRoot = found.root;
export const packageJson = found.json;
/** The runtime every cell imports as "looplab": the same file the kernel itself loads. */
export const runtimeUrl = pathToFileURL(join(packageRoot, "runtime/dist/index.js")).href;
export const launcherPath = join(packageRoot, "kernel/bin/looplab.js");
/** What a kernelspec starts: kernel/start.ts, built alone (`looplab kernel` runs the same main from the CLI). */
export const kernelEntryPath = join(packageRoot, "kernel/dist/start.js");
export const assetsDir = join(packageRoot, "kernel/assets");

/**
 * How to start a kernel process, for the kernelspec and for our own runners alike. A 1 MB young generation
 * (V8's default grows it to 16 MB) keeps a kernel that ran allocating cells ~40 MB smaller once idle (59 vs 98 MB
 * after 1000 such cells); scavenges get more frequent but stay sub-millisecond, and task-heavy cells measured no
 * slower. Its price is at start-up: any V8 flag changes V8's flag hash, so the code cache Node embeds for its
 * own modules is rejected and each built-in is compiled afresh (5-7 ms on Node 20 and 22). Setting the flag
 * later with v8.setFlagsFromString does not resize a heap that exists, so it stays here.
 */
export function kernelCommand(connectionFile: string, node: string = process.execPath): string[] {
  return [node, "--max-semi-space-size=1", kernelEntryPath, connectionFile];
}

/**
 * The environment a kernel starts with (kernel.json's "env"). The heartbeat's proxy and the interrupt relay's
 * pending read each hold a libuv thread-pool thread for good, so the pool gets two more than Node's four: cells
 * keep four for files, DNS, zlib and crypto. libuv sizes the pool before any of our code runs, hence here.
 */
export function kernelEnv(): Record<string, string> {
  return { UV_THREADPOOL_SIZE: "6" };
}
