// Which Node versions LoopLab supports (package.json's engines says the same) and the check `looplab install
// --node PATH` applies to the Node it is asked to record in the kernelspec.
import { execFileSync } from "node:child_process";

/** The release lines CI runs the suites on (.ci/run). */
export const TESTED_LINES = [20, 22, 24, 26] as const;

/** The engines range, as words for messages. */
export const SUPPORTED = "Node 20.19+, 22.12+ or 24 and later";

/** Whether a `vX.Y.Z` version is supported: require(esm) and the module hooks LoopLab uses need 20.19 / 22.12. */
export function isSupported(version: string): boolean {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major === 20) return minor >= 19;
  if (major === 22) return minor >= 12;
  return major >= 24;
}

/** Runs `node --version` at path; throws with a message a user can act on when it is not a usable Node. */
export function checkNode(path: string): string {
  let version: string;
  try {
    version = execFileSync(path, ["--version"], { encoding: "utf8", timeout: 10_000, stdio: ["ignore", "pipe", "pipe"] }).trim();
  } catch (error) {
    throw new Error(`--node ${path}: cannot run it (${(error as Error).message.split("\n")[0]})`);
  }
  if (!isSupported(version)) throw new Error(`--node ${path} is Node ${version}; LoopLab needs ${SUPPORTED}`);
  return version;
}
