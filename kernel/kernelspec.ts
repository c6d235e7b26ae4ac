// Where Jupyter looks for kernelspecs, following its own rules (JUPYTER_DATA_DIR, user dir, sys-prefix, prefix).
import { execFileSync } from "node:child_process";
import { homedir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

export const DEFAULT_NAME = "looplab";
export const DEFAULT_DISPLAY_NAME = "TypeScript (LoopLab)";

export type Location = { kind: "user" } | { kind: "sys-prefix" } | { kind: "prefix"; dir: string };

export function userDataDir(): string {
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (process.platform === "darwin") return join(homedir(), "Library", "Jupyter");
  if (process.platform === "win32") return join(process.env.APPDATA ?? join(homedir(), "AppData", "Roaming"), "jupyter");
  return join(process.env.XDG_DATA_HOME || join(homedir(), ".local", "share"), "jupyter");
}

/** The prefix of the Python environment Jupyter runs in: the active venv or conda env, else python3's. */
function sysPrefix(): string {
  const active = process.env.VIRTUAL_ENV ?? process.env.CONDA_PREFIX;
  if (active) return active;
  try {
    return execFileSync("python3", ["-c", "import sys; print(sys.prefix)"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error("--sys-prefix needs python3 on PATH (or an active VIRTUAL_ENV / CONDA_PREFIX) to find the environment");
  }
}

export function kernelsDir(location: Location): string {
  switch (location.kind) {
    case "user":
      return join(userDataDir(), "kernels");
    case "sys-prefix":
      return join(sysPrefix(), "share", "jupyter", "kernels");
    case "prefix":
      return join(location.dir, "share", "jupyter", "kernels");
  }
}

export interface SpecArgs {
  location: Location;
  name: string;
  displayName: string;
  /** `--node PATH` (install only): the Node the kernelspec starts, instead of the one running `looplab install`. */
  node: string | undefined;
}

/** Parses `[--user | --sys-prefix | --prefix DIR] [--name NAME]`, and for install `[--display-name TEXT] [--node PATH]`. */
export function parseSpecArgs(argv: string[], withDisplayName: boolean): SpecArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      user: { type: "boolean" },
      "sys-prefix": { type: "boolean" },
      prefix: { type: "string" },
      name: { type: "string" },
      ...(withDisplayName ? { "display-name": { type: "string" as const }, node: { type: "string" as const } } : {}),
    },
    strict: true,
  });
  const chosen = [values.user, values["sys-prefix"], values.prefix !== undefined].filter(Boolean).length;
  if (chosen > 1) throw new Error("choose one of --user, --sys-prefix and --prefix DIR");
  const name = values.name ?? DEFAULT_NAME;
  if (!/^[a-z0-9._-]+$/i.test(name)) throw new Error(`--name ${JSON.stringify(name)}: use letters, digits, '.', '_' and '-' only`);
  const location: Location = values.prefix !== undefined ? { kind: "prefix", dir: values.prefix } : values["sys-prefix"] ? { kind: "sys-prefix" } : { kind: "user" };
  const displayName = (values as { "display-name"?: string })["display-name"] ?? DEFAULT_DISPLAY_NAME;
  const node = (values as { node?: string }).node;
  return { location, name, displayName, node };
}
