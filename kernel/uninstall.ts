// `looplab uninstall`: removes the kernelspec that `looplab install` wrote.
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { kernelsDir, parseSpecArgs } from "./kernelspec.ts";

export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseSpecArgs(argv, false);
  } catch (error) {
    process.stderr.write(`looplab uninstall: ${(error as Error).message}\nusage: looplab uninstall [--user | --sys-prefix | --prefix DIR] [--name NAME]\n`);
    return 2;
  }
  const dir = join(kernelsDir(args.location), args.name);
  if (!existsSync(join(dir, "kernel.json"))) {
    process.stderr.write(`looplab uninstall: no kernelspec ${args.name} in ${dir}\n`);
    return 1;
  }
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`Removed kernelspec ${args.name} from ${dir}\n`);
  return 0;
}
