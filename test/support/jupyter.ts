// Finds Debian's Jupyter programs for the front-end tests, and gives each test file an isolated Jupyter home
// holding the freshly installed LoopLab kernelspec.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "vitest";
import { launcher, repoRoot } from "./kernel.ts";

export { repoRoot };

/** Debian's interpreter: the one that has Jupyter's modules (a pyenv or venv python3 on PATH does not). */
export const python = "/usr/bin/python3";
export const jupyter = "/usr/bin/jupyter";
export const chromium = "/usr/bin/chromium";
const debianPython = "/usr/lib/python3/dist-packages";

/** What a front-end test can need, each with the file that proves it is installed and the package that ships it. */
const programs = {
  "kernel-test": { path: `${debianPython}/jupyter_kernel_test/__init__.py`, pkg: "python3-jupyter-kernel-test" },
  "jupyter-client": { path: `${debianPython}/jupyter_client/__init__.py`, pkg: "python3-jupyter-client" },
  nbconvert: { path: "/usr/bin/jupyter-nbconvert", pkg: "jupyter-nbconvert" },
  nbclient: { path: `${debianPython}/nbclient/__init__.py`, pkg: "python3-nbclient" },
  nbformat: { path: `${debianPython}/nbformat/__init__.py`, pkg: "python3-nbformat" },
  console: { path: "/usr/bin/jupyter-console", pkg: "jupyter-console" },
  notebook: { path: "/usr/bin/jupyter-notebook", pkg: "jupyter-notebook" },
  pexpect: { path: `${debianPython}/pexpect/__init__.py`, pkg: "python3-pexpect" },
  chromium: { path: chromium, pkg: "chromium" },
  "jupyter-server": { path: `${debianPython}/jupyter_server/__init__.py`, pkg: "python3-jupyter-server" },
  "jupyterlab-server": { path: `${debianPython}/jupyterlab_server/__init__.py`, pkg: "python3-jupyterlab-server" },
  pdftoppm: { path: "/usr/bin/pdftoppm", pkg: "poppler-utils" },
} as const;
export type Program = keyof typeof programs;

/** True when the environment asks for the real front ends to be proven rather than skipped (`.ci/run` sets it). */
export const required = process.env.CI === "true";

/**
 * Registers a placeholder when something is missing and says whether the caller's tests can run.
 * Locally a missing program means a skipped test with the reason printed; under CI=true it is a failing test,
 * because a CI run that silently skipped the front ends would prove nothing.
 */
export function requireOrSkip(...needs: Program[]): boolean {
  const missing = needs.filter((name) => !existsSync(programs[name].path));
  if (missing.length === 0) return true;
  const packages = [...new Set(missing.map((name) => programs[name].pkg))].join(" ");
  const files = missing.map((name) => programs[name].path).join(", ");
  const reason = `needs Debian's ${packages} (not found: ${files})`;
  if (required) {
    test(`Debian's Jupyter programs are installed (${packages})`, () => {
      throw new Error(`CI=true but this test ${reason}; .ci/run installs them with apt-get`);
    });
  } else {
    console.warn(`skipped: ${reason}; \`sudo apt-get install ${packages}\` or .ci/run to run it`);
    test.skip(`skipped: ${reason}`, () => {});
  }
  return false;
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end, collecting its output; rejects only if it cannot be started or overruns. */
export function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; input?: string } = {},
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd ?? repoRoot,
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    if (options.input !== undefined) child.stdin?.end(options.input);
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")} did not finish in ${options.timeoutMs} ms\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 120_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A private Jupyter world: every Jupyter directory (and HOME) points into one temporary folder. */
export interface JupyterHome {
  /** The temporary folder; removed by `remove()`. */
  dir: string;
  /** The environment to start Jupyter programs with. */
  env: NodeJS.ProcessEnv;
  /** Where `looplab install --prefix` put the kernelspec. */
  kernelDir: string;
  remove(): Promise<void>;
}

/**
 * Installs the LoopLab kernelspec the way a user would (`looplab install --prefix DIR`) into a fresh temporary
 * folder, and returns an environment in which Jupyter finds exactly that kernelspec and keeps its config,
 * data (kernel history too) and runtime files there, so tests neither read nor change the user's Jupyter.
 */
export async function installedKernel(name = "looplab"): Promise<JupyterHome> {
  const dir = await mkdtemp(join(tmpdir(), "looplab-jupyter-"));
  const home = join(dir, "home");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    JUPYTER_PATH: join(dir, "share", "jupyter"),
    JUPYTER_DATA_DIR: join(dir, "data"),
    JUPYTER_CONFIG_DIR: join(dir, "config"),
    JUPYTER_RUNTIME_DIR: join(dir, "runtime"),
    IPYTHONDIR: join(dir, "ipython"),
    // Debian's python3, not whatever python3 is first on PATH, must run Jupyter's entry points.
    PATH: `/usr/bin:/bin:${process.env.PATH ?? ""}`,
    // ipykernel's debugger prints frozen-module warnings on every start; they are noise here.
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
    // Lessons sleep for seconds of nominal time; under test they run 4x faster. Not 20x: a lesson's deadlines and
    // timing checks then leave only 50-60 ms of real time for a busy machine's lateness, and a browser beside
    // the kernel on two cores took more than that (a 1 s deadline missed by a 0.1 s request; a 0.3 s tick read
    // as 2.3 s). At 4x a 1 s deadline is 250 ms of real time (test/lessons uses 2-10x per lesson likewise).
    LOOPLAB_TIME_SCALE: process.env.LOOPLAB_TIME_SCALE ?? "4",
  };
  delete env.JUPYTER_PREFER_ENV_PATH;
  delete env.VIRTUAL_ENV;
  for (const sub of ["home", "data", "config", "runtime"]) await mkdir(join(dir, sub), { recursive: true });
  const installed = await run(process.execPath, [launcher, "install", "--prefix", dir, "--name", name], { env });
  const kernelDir = join(dir, "share", "jupyter", "kernels", name);
  if (installed.code !== 0 || !existsSync(join(kernelDir, "kernel.json"))) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`looplab install --prefix ${dir} failed (exit ${installed.code}):\n${installed.stdout}${installed.stderr}`);
  }
  return { dir, env, kernelDir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Ends a process group we started (detached), politely first, then for sure. */
export async function stopGroup(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Follows a Jupyter server the tests spawned: its output (for failure messages), and `ready(isUp)`, which polls
 * `isUp` until it says the server serves, and fails (stopping the server) when the server exits first or 60 s
 * pass. The Notebook's and JupyterLab's servers start the same way.
 */
export function followServer(child: ChildProcess, what: string): { log: () => string; ready: (isUp: () => Promise<boolean>) => Promise<void> } {
  let log = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (log += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (log += chunk));
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code, signal) => reject(new Error(`${what} exited (${code ?? signal}) before it served:\n${log}`))),
  );
  exited.catch(() => {});
  const ready = async (isUp: () => Promise<boolean>): Promise<void> => {
    let waiting = true;
    const up = (async () => {
      while (waiting) {
        try {
          if (await isUp()) return;
        } catch {
          // not listening yet
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} did not answer within 60 s:\n${log}`)), 60_000).unref(),
    );
    try {
      await Promise.race([up, exited, timeout]);
    } catch (error) {
      await stopGroup(child);
      throw error;
    } finally {
      waiting = false;
    }
  };
  return { log: () => log, ready };
}
