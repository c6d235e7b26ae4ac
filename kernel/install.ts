// `looplab install`: writes the kernelspec (kernel.json and logos) where Jupyter looks for it.
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { kernelsDir, parseSpecArgs } from "./kernelspec.ts";
import { checkNode } from "./node-support.ts";
import { assetsDir, kernelCommand, kernelEnv } from "./paths.ts";

export function kernelJson(displayName: string, node?: string): object {
  return {
    // Absolute paths: Jupyter starts the kernel from the notebook's directory with its own PATH. The Node is the
    // one running this install unless --node names another: after a Node upgrade, install again (or pass --node).
    argv: kernelCommand("{connection_file}", node),
    display_name: displayName,
    language: "typescript",
    interrupt_mode: "signal",
    env: kernelEnv(),
    metadata: { debugger: false },
  };
}

export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseSpecArgs(argv, true);
  } catch (error) {
    process.stderr.write(`looplab install: ${(error as Error).message}\nusage: looplab install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--display-name TEXT] [--node PATH]\n`);
    return 2;
  }
  let node: string | undefined;
  if (args.node !== undefined) {
    node = resolve(args.node);
    try {
      checkNode(node);
    } catch (error) {
      process.stderr.write(`looplab install: ${(error as Error).message}\n`);
      return 2;
    }
  }
  let dir: string;
  try {
    dir = join(kernelsDir(args.location), args.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "kernel.json"), `${JSON.stringify(kernelJson(args.displayName, node), null, 2)}\n`);
    if (existsSync(assetsDir)) {
      for (const file of readdirSync(assetsDir)) if (file.startsWith("logo-")) copyFileSync(join(assetsDir, file), join(dir, file));
    }
  } catch (error) {
    process.stderr.write(`looplab install: ${(error as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`Installed kernelspec ${args.name} ("${args.displayName}") in ${dir}\n`);
  return 0;
}
