// Starts Debian's classic Jupyter Notebook server (6.x) on 127.0.0.1 with a token, inside a test's Jupyter home.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { followServer, jupyter, stopGroup, type JupyterHome } from "../support/jupyter.ts";
import { freePort } from "../support/kernel.ts";

export interface NotebookServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  token: string;
  /** The address of a notebook file (relative to the server's notebook directory), token included. */
  urlOf(path: string): string;
  /** Everything the server printed so far: kernel start-up failures show up here. */
  log(): string;
  stop(): Promise<void>;
}

export async function startNotebookServer(home: JupyterHome, notebookDir: string): Promise<NotebookServer> {
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const args = [
    "notebook",
    "--no-browser",
    "--ip=127.0.0.1",
    `--port=${port}`,
    // Fail instead of silently moving to another port than the one we will talk to.
    "--port-retries=0",
    // Notebook 6 names these options NotebookApp.*; jupyter_server (Notebook 7) would call them ServerApp.* /
    // IdentityProvider.token.
    `--NotebookApp.token=${token}`,
    "--NotebookApp.password=",
    `--notebook-dir=${notebookDir}`,
  ];
  // CI runs as root, which Notebook refuses unless told.
  if (process.getuid?.() === 0) args.push("--allow-root");
  const child: ChildProcess = spawn(jupyter, args, {
    env: home.env,
    cwd: notebookDir,
    // Its own process group, so stopping it also ends the kernels it started.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const followed = followServer(child, "jupyter notebook");
  const origin = `http://127.0.0.1:${port}`;
  const server: NotebookServer = {
    origin,
    token,
    urlOf: (path) => `${origin}/notebooks/${path.split("/").map(encodeURIComponent).join("/")}?token=${token}`,
    log: followed.log,
    stop: () => stopGroup(child),
  };
  // Ready when the REST API answers with our token.
  await followed.ready(async () => (await fetch(`${origin}/api/status?token=${token}`)).ok);
  return server;
}
