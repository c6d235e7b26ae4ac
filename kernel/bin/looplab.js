#!/usr/bin/env node
// The `looplab` command: loads the built CLI, or says how to build it.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const cli = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error("looplab: the kernel is not built yet; run `npm install` (or `npm run build`) in " + fileURLToPath(new URL("../..", import.meta.url)));
  process.exit(2);
}
await import(cli.href);
