// A real JupyterLab 4 for the browser tests: test/jupyterlab's front end (built on first use, then cached in
// test/jupyterlab/build) served by a jupyterlab_server LabServerApp on Debian's jupyter_server, on 127.0.0.1
// with a token, inside a test's Jupyter home.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "vitest";
import { followServer, python, repoRoot, required, run, stopGroup, type JupyterHome } from "../support/jupyter.ts";
import { freePort } from "../support/kernel.ts";

export const labDir = join(repoRoot, "test/jupyterlab");
const bundle = join(labDir, "build/bundle.js");
/** What the build is made from: a newer one of these means the cached build is stale. */
const sources = ["package.json", "package-lock.json", "index.js", "webpack.config.cjs"].map((name) => join(labDir, name));

function builtAndCurrent(): boolean {
  if (!existsSync(bundle)) return false;
  const built = statSync(bundle).mtimeMs;
  return sources.every((file) => !existsSync(file) || statSync(file).mtimeMs <= built);
}

/**
 * Installs and builds the front end unless a current build is there (.ci/run builds it up front, so tests
 * normally find it). Throws with npm's own output when that fails, e.g. without registry access.
 */
export async function ensureLabBuilt(): Promise<void> {
  if (builtAndCurrent()) return;
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  if (!existsSync(join(labDir, "node_modules/@jupyterlab/application"))) {
    const installed = await run(npm, ["ci", "--no-audit", "--no-fund"], { cwd: labDir, timeoutMs: 300_000 });
    if (installed.code !== 0) throw new Error(`npm ci in ${labDir} failed:\n${installed.stdout}${installed.stderr}`);
  }
  const built = await run(npm, ["run", "build"], { cwd: labDir, timeoutMs: 300_000 });
  if (built.code !== 0 || !existsSync(bundle)) throw new Error(`building ${labDir} failed:\n${built.stdout.slice(-4000)}${built.stderr.slice(-4000)}`);
}

/**
 * Builds the front end (if needed) when a test file is collected. A build that cannot be made (no registry
 * access, say) skips the file's tests with the reason printed, like a missing Debian program; under CI=true it
 * is a failing test instead.
 */
export async function labBuiltOrSkip(): Promise<boolean> {
  try {
    await ensureLabBuilt();
    return true;
  } catch (error) {
    const reason = `needs the JupyterLab test app in ${labDir} (npm ci && npm run build there): ${error instanceof Error ? error.message.slice(0, 2000) : String(error)}`;
    if (required) {
      test("the JupyterLab test app builds", () => {
        throw new Error(`CI=true but this test ${reason}`);
      });
    } else {
      console.warn(`skipped: ${reason}`);
      test.skip("skipped: the JupyterLab test app is not built", () => {});
    }
    return false;
  }
}

export interface LabServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  token: string;
  /** The address that opens a notebook (relative to the server's root directory) in a fresh workspace. */
  urlOf(path: string): string;
  /** The launcher, in a fresh workspace. */
  home(): string;
  /** A REST call with the token. */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** Chooses JupyterLab's theme the way its settings editor does (takes effect on the next page load). */
  setTheme(theme: "JupyterLab Light" | "JupyterLab Dark"): Promise<void>;
  /** Shuts down every kernel session, so each notebook a test opens starts on a fresh kernel. */
  closeSessions(): Promise<void>;
  /** Everything the server printed so far (kernel start-up failures show up here). */
  log(): string;
  stop(): Promise<void>;
}

export async function startLabServer(home: JupyterHome, rootDir: string): Promise<LabServer> {
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const args = [
    join(labDir, "lab_app.py"),
    "--no-browser",
    "--ServerApp.ip=127.0.0.1",
    `--ServerApp.port=${port}`,
    "--ServerApp.port_retries=0",
    `--ServerApp.token=${token}`,
    "--ServerApp.password=",
    `--ServerApp.root_dir=${rootDir}`,
  ];
  if (process.getuid?.() === 0) args.push("--ServerApp.allow_root=True");
  const child: ChildProcess = spawn(python, args, { env: home.env, cwd: rootDir, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const followed = followServer(child, "the JupyterLab server");
  const origin = `http://127.0.0.1:${port}`;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${origin}${path}`, { ...init, headers: { Authorization: `token ${token}`, "Content-Type": "application/json", ...init.headers } });
  const server: LabServer = {
    origin,
    token,
    urlOf: (path) => `${origin}/lab/tree/${path.split("/").map(encodeURIComponent).join("/")}?reset&token=${token}`,
    home: () => `${origin}/lab?reset&token=${token}`,
    api,
    async setTheme(theme) {
      const response = await api("/lab/api/settings/@jupyterlab/apputils-extension:themes", { method: "PUT", body: JSON.stringify({ raw: JSON.stringify({ theme }) }) });
      if (!response.ok) throw new Error(`setting the theme failed: ${response.status} ${await response.text()}`);
    },
    async closeSessions() {
      const sessions = (await (await api("/api/sessions")).json()) as { id: string }[];
      await Promise.all(sessions.map((session) => api(`/api/sessions/${session.id}`, { method: "DELETE" })));
    },
    log: followed.log,
    stop: () => stopGroup(child),
  };
  await followed.ready(async () => (await api("/api/status")).ok);
  return server;
}
