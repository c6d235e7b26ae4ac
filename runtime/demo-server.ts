// The offline demo HTTP server the lessons fetch from: httpbin-like routes on 127.0.0.1, delays on the runtime clock.
//
// `const server = await demoServer()` listens on a free port of 127.0.0.1 and answers:
//
//   /                 an index of the routes (JSON)
//   /get              echo of the request: method, url, path, args, headers, origin
//   /delay/:seconds   the /get echo after waiting `seconds` (at most 10) nominal seconds of the runtime clock,
//                     so LOOPLAB_TIME_SCALE / setTimeScale shorten it in real time like every runtime sleep
//   /status/:codes    answers with that status; "500,200" picks one of the listed codes at random
//   /flaky/:failures  per `?key=` (default "default"): the first `failures` requests get 503, later ones 200,
//                     so retry code can be shown failing and then succeeding, deterministically
//   /json             a small JSON document
//   /bytes/:n         n random bytes (at most 10 MiB)
//   /stream/:n        n JSON lines, written one by one (`?delay=seconds` between lines)
//   /page/:n          small HTML pages 1..20 that link to each other (a site to crawl); `?delay=seconds`
//
// Connections are kept alive (fetch reuses them), and the server counts what it sees (`requests`,
// `connections`, `inFlight`, `peakInFlight`) so a lesson can show connection reuse and concurrency limits
// from the server's side. `close()` ends open sockets too and is idempotent; `await using` closes at scope
// end. Every live server is tracked so the kernel can close them all at shutdown (`closeDemoServers()`).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { randomBytes } from "node:crypto";
import { realDelay } from "./clock.ts";
import { runtimeContext } from "./context.ts";

/** A running demo server. */
export interface DemoServer extends AsyncDisposable {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  readonly port: number;
  /** Requests received since start (or since `resetStats()`). */
  readonly requests: number;
  /** TCP connections accepted since start (or since `resetStats()`): fewer than `requests` means reuse. */
  readonly connections: number;
  /** Requests being answered right now. */
  readonly inFlight: number;
  /** The most requests that were in flight at once since start (or since `resetStats()`). */
  readonly peakInFlight: number;
  readonly closed: boolean;
  /** Zeroes the counters (not `inFlight`, which is a fact about now). */
  resetStats(): void;
  /** Stops listening and ends every open connection; pending delays are abandoned. Safe to call twice. */
  close(): Promise<void>;
}

export interface DemoServerOptions {
  /** Port to listen on; 0 (the default) lets the system pick a free one. */
  port?: number;
}

const ROUTES = ["/get", "/delay/:seconds", "/status/:codes", "/flaky/:failures", "/json", "/bytes/:n", "/stream/:n", "/page/:n"];
const MAX_DELAY_S = 10;
const MAX_BYTES = 10 * 1024 * 1024;
const MAX_STREAM_LINES = 10_000;
const PAGE_COUNT = 20;

const live = new Set<DemoServer>();

/** Starts a demo server on 127.0.0.1; resolves once it is listening. */
export async function demoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const server = new RunningDemoServer();
  await server.listen(options.port ?? 0);
  live.add(server);
  return server;
}

/** Closes every demo server still running (the kernel calls this at shutdown). */
export async function closeDemoServers(): Promise<void> {
  await Promise.all([...live].map((server) => server.close()));
}

/** A request that went wrong in a way the client should hear about as a 4xx answer. */
class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

class RunningDemoServer implements DemoServer {
  // node:http is loaded when a server starts, not with the runtime: imported as an ES module it pulls in tls,
  // http2, zlib and web streams with it (measured +16 MB RSS on Node 26 for a kernel that never serves).
  private readonly http = process.getBuiltinModule("node:http").createServer({ keepAlive: true }, (req, res) => void this.answer(req, res));
  private readonly sockets = new Set<Socket>();
  /** Abandons each pending delay; close() calls them all. */
  private readonly pendingWaits = new Set<() => void>();
  private closePromise: Promise<void> | undefined;
  private readonly flakyCounts = new Map<string, number>();
  port = 0;
  requests = 0;
  connections = 0;
  inFlight = 0;
  peakInFlight = 0;

  constructor() {
    this.http.on("connection", (socket: Socket) => {
      this.connections++;
      this.sockets.add(socket);
      // An idle kept-alive connection must not keep a plain Node script alive.
      socket.unref();
      socket.on("close", () => this.sockets.delete(socket));
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get closed(): boolean {
    return this.closePromise !== undefined;
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.http.once("error", reject);
      // Connections inherit the async context of listen(). Outside any runtime task, the server's work never
      // counts as a wait of the cell that started it, and cancelling that cell leaves the server alone.
      runtimeContext.exit(() => this.http.listen(port, "127.0.0.1", () => {
        this.http.off("error", reject);
        this.port = (this.http.address() as AddressInfo).port;
        // Like the sockets: a forgotten server should not stop a script from exiting.
        this.http.unref();
        resolve();
      }));
    });
  }

  resetStats(): void {
    this.requests = 0;
    this.connections = 0;
    this.peakInFlight = this.inFlight;
    this.flakyCounts.clear();
  }

  close(): Promise<void> {
    this.closePromise ??= new Promise<void>((resolve) => {
      for (const abandon of this.pendingWaits) abandon();
      live.delete(this);
      this.http.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
    return this.closePromise;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  [Symbol.for("Jupyter.display")](): Record<string, string> {
    const state = this.closed ? "closed" : `listening at ${this.url}`;
    return { "text/plain": `DemoServer ${state}\n  routes: ${ROUTES.join(" ")}` };
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests++;
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    try {
      await this.route(req, res);
    } catch (error) {
      const status = error instanceof BadRequest ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      if (!res.headersSent) sendJson(res, status, { error: message });
      else res.destroy();
    } finally {
      this.inFlight--;
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const [name = "", arg, ...extra] = url.pathname.split("/").filter(Boolean);
    const expectArg = (): string => {
      if (arg === undefined || extra.length > 0) throw new BadRequest(`usage: /${name}/<value>`, 404);
      return arg;
    };
    switch (name) {
      case "":
        return sendJson(res, 200, { routes: ROUTES });
      case "get":
        if (arg !== undefined) break;
        return sendJson(res, 200, echo(req, url));
      case "delay": {
        const seconds = Math.min(number(expectArg(), "seconds"), MAX_DELAY_S);
        if (!(await this.wait(seconds, res))) return;
        return sendJson(res, 200, { ...echo(req, url), delay: seconds });
      }
      case "status": {
        const codes = expectArg().split(",").map((code) => integer(code, "status code"));
        const status = codes[Math.floor(Math.random() * codes.length)];
        if (status < 100 || status > 599) throw new BadRequest(`status code out of range: ${status}`);
        return sendJson(res, status, { status });
      }
      case "flaky": {
        const failures = integer(expectArg(), "failures");
        const key = url.searchParams.get("key") ?? "default";
        const attempt = (this.flakyCounts.get(key) ?? 0) + 1;
        this.flakyCounts.set(key, attempt);
        const status = attempt <= failures ? 503 : 200;
        return sendJson(res, status, { key, attempt, status });
      }
      case "json":
        if (arg !== undefined) break;
        return sendJson(res, 200, SAMPLE_DOCUMENT);
      case "bytes": {
        const n = integer(expectArg(), "n");
        if (n > MAX_BYTES) throw new BadRequest(`at most ${MAX_BYTES} bytes`);
        const body = randomBytes(n);
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": body.length });
        res.end(body);
        return;
      }
      case "stream":
        return this.stream(integer(expectArg(), "n"), url, req, res);
      case "page":
        return this.page(integer(expectArg(), "page number"), url, res);
    }
    throw new BadRequest(`no route for ${url.pathname}`, 404);
  }

  /** Waits `seconds` nominal seconds; false when the server closed or the client left meanwhile. */
  private async wait(seconds: number, res: ServerResponse): Promise<boolean> {
    if (seconds <= 0 || this.closed) return !res.destroyed && !this.closed;
    // A plain timer scaled by the runtime clock (not a runtime sleep: this wait belongs to no task), cleared as
    // soon as nobody needs the answer, so a closed server leaves no timer behind.
    let settle!: (finished: boolean) => void;
    const outcome = new Promise<boolean>((resolve) => (settle = resolve));
    const timer = setTimeout(settle, realDelay(seconds * 1000), true);
    const abandon = () => settle(false);
    res.on("close", abandon);
    this.pendingWaits.add(abandon);
    const finished = await outcome;
    clearTimeout(timer);
    res.off("close", abandon);
    this.pendingWaits.delete(abandon);
    return finished && !res.destroyed;
  }

  private async stream(n: number, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (n > MAX_STREAM_LINES) throw new BadRequest(`at most ${MAX_STREAM_LINES} lines`);
    const gap = delayParam(url);
    res.writeHead(200, { "content-type": "application/x-ndjson" });
    // Send the head now so the client sees the response start before the first line.
    res.flushHeaders();
    for (let id = 0; id < n; id++) {
      if (id > 0 && !(await this.wait(gap, res))) return void res.destroy();
      res.write(JSON.stringify({ id, of: n, url: url.href, headers: req.headers }) + "\n");
    }
    res.end();
  }

  private async page(n: number, url: URL, res: ServerResponse): Promise<void> {
    if (n < 1 || n > PAGE_COUNT) throw new BadRequest(`pages are numbered 1 to ${PAGE_COUNT}`, 404);
    if (!(await this.wait(delayParam(url), res))) return;
    // A small binary tree of pages: page n links to 2n and 2n+1, and back to page 1.
    const children = [2 * n, 2 * n + 1].filter((child) => child <= PAGE_COUNT);
    const links = [...children, ...(n === 1 ? [] : [1])].map((m) => `<li><a href="/page/${m}">Page ${m}</a></li>`);
    const words = PAGE_WORDS.slice(0, 5 + (n % 7)).join(" ");
    const html = `<!doctype html>
<html><head><title>Page ${n}</title></head>
<body><h1>Page ${n}</h1><p>${words}</p>
<ul>${links.join("")}</ul></body></html>
`;
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": Buffer.byteLength(html) });
    res.end(html);
  }
}

function echo(req: IncomingMessage, url: URL) {
  const args: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    args[key] = values.length === 1 ? values[0] : values;
  }
  return {
    method: req.method,
    url: url.href,
    path: url.pathname,
    args,
    headers: req.headers,
    origin: req.socket.remoteAddress,
  };
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  // 204 and 304 answers must not carry a body.
  const body = status === 204 || status === 304 ? "" : JSON.stringify(value, null, 2) + "\n";
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function number(text: string, what: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0) throw new BadRequest(`${what} must be a non-negative number, got '${text}'`);
  return value;
}

/** The `?delay=seconds` of /stream and /page (0 when absent), capped like /delay. */
function delayParam(url: URL): number {
  const text = url.searchParams.get("delay");
  return text === null ? 0 : Math.min(number(text, "delay"), MAX_DELAY_S);
}

function integer(text: string, what: string): number {
  const value = number(text, what);
  if (!Number.isInteger(value)) throw new BadRequest(`${what} must be a whole number, got '${text}'`);
  return value;
}

const PAGE_WORDS = "the event loop runs one callback at a time and every await hands control back to it".split(" ");

const SAMPLE_DOCUMENT = {
  library: "LoopLab reading room",
  books: [
    { id: 1, title: "Waiting Well", author: "A. Sync", pages: 212, tags: ["io", "patience"] },
    { id: 2, title: "The Loop That Never Sleeps", author: "E. Vent", pages: 348, tags: ["scheduling"] },
    { id: 3, title: "Semaphores for Supper", author: "D. Ijkstra", pages: 164, tags: ["limits", "locks"] },
    { id: 4, title: "Queue Tales", author: "P. Roducer", pages: 290, tags: ["pipelines"] },
  ],
  updated: "2026-01-01T00:00:00Z",
};
