// The lessons' offline HTTP server, exercised with the real global fetch over 127.0.0.1.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeDemoServers, demoServer, type DemoServer } from "../../runtime/demo-server.ts";
import { perfCounter, setTimeScale, sleep } from "../../runtime/clock.ts";
import { createTask } from "../../runtime/task.ts";

/** The /get echo (and /delay, which adds `delay`). */
interface Echo {
  method: string;
  url: string;
  args: Record<string, string | string[]>;
  headers: Record<string, string>;
  delay?: number;
}

describe("demoServer", () => {
  let server: DemoServer;

  beforeAll(async () => {
    server = await demoServer();
  });
  afterAll(() => server.close());
  afterEach(() => setTimeScale(1));

  it("listens on 127.0.0.1 with a free port", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
    expect(server.closed).toBe(false);
  });

  it("echoes the request on /get: args, headers, url", async () => {
    const res = await fetch(`${server.url}/get?lesson=4&tag=a&tag=b`, { headers: { "x-learner": "ada" } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Echo;
    expect(body.args).toEqual({ lesson: "4", tag: ["a", "b"] });
    expect(body.headers["x-learner"]).toBe("ada");
    expect(body.url).toBe(`${server.url}/get?lesson=4&tag=a&tag=b`);
    expect(body.method).toBe("GET");
  });

  it("answers /status/:code with that status, and picks among listed codes", async () => {
    expect((await fetch(`${server.url}/status/404`)).status).toBe(404);
    expect((await fetch(`${server.url}/status/503`)).status).toBe(503);
    const empty = await fetch(`${server.url}/status/204`);
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe("");
    const seen = new Set<number>();
    for (let i = 0; i < 40; i++) seen.add((await fetch(`${server.url}/status/201,202`)).status);
    expect([...seen].sort()).toEqual([201, 202]);
  });

  it("serves a JSON document on /json and n random bytes on /bytes/:n", async () => {
    const doc = (await (await fetch(`${server.url}/json`)).json()) as { books: unknown[] };
    expect(doc.books.length).toBeGreaterThan(0);
    const bytes = await fetch(`${server.url}/bytes/1234`);
    expect(bytes.headers.get("content-type")).toBe("application/octet-stream");
    expect((await bytes.arrayBuffer()).byteLength).toBe(1234);
  });

  it("streams n JSON lines on /stream/:n, readable before the response ends", async () => {
    const res = await fetch(`${server.url}/stream/4?delay=0.05`);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const first = await reader.read();
    text += first.value ?? "";
    // The first chunk arrives while later lines are still being delayed on the server.
    expect(text.trim().split("\n").length).toBeLessThan(4);
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += chunk.value;
    const lines = text.trim().split("\n").map((line) => JSON.parse(line) as { id: number });
    expect(lines.map((line) => line.id)).toEqual([0, 1, 2, 3]);
  });

  it("delays /delay/:seconds on the runtime clock, so the time scale shortens it", async () => {
    setTimeScale(1000);
    const nominal = perfCounter();
    const real = performance.now();
    const body = (await (await fetch(`${server.url}/delay/10`)).json()) as Echo;
    expect(body.delay).toBe(10);
    // Ten nominal seconds passed on the runtime clock, in far less real time than that.
    expect(perfCounter() - nominal).toBeGreaterThanOrEqual(10_000);
    expect(performance.now() - real).toBeLessThan(5_000);
  });

  it("keeps connections alive: sequential requests reuse connections", async () => {
    await using own = await demoServer();
    for (let i = 0; i < 8; i++) await (await fetch(`${own.url}/get`)).text();
    expect(own.requests).toBe(8);
    // undici (Node's fetch) may open a second socket while the first is being returned to its pool; after that
    // every request rides an existing connection.
    expect(own.connections).toBeLessThanOrEqual(2);
  });

  it("counts the requests in flight at once", async () => {
    setTimeScale(20);
    await using own = await demoServer();
    await Promise.all([1, 2, 3].map(() => fetch(`${own.url}/delay/1`).then((r) => r.text())));
    expect(own.peakInFlight).toBe(3);
    expect(own.inFlight).toBe(0);
    own.resetStats();
    expect([own.requests, own.connections, own.peakInFlight]).toEqual([0, 0, 0]);
  });

  it("fails the first n requests of /flaky/:n per key, then succeeds", async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${server.url}/flaky/2?key=t1`)).status);
    expect(statuses).toEqual([503, 503, 200, 200]);
    expect((await fetch(`${server.url}/flaky/2?key=t2`)).status).toBe(503);
  });

  it("serves linked HTML pages to crawl", async () => {
    const html = await (await fetch(`${server.url}/page/1`)).text();
    expect(html).toContain("<title>Page 1</title>");
    expect(html).toContain('href="/page/2"');
    expect(html).toContain('href="/page/3"');
    expect((await fetch(`${server.url}/page/21`)).status).toBe(404);
  });

  it("answers unknown routes with 404 and bad arguments with 400", async () => {
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect((await fetch(`${server.url}/delay/soon`)).status).toBe(400);
    expect((await fetch(`${server.url}/bytes/1.5`)).status).toBe(400);
  });

  it("stops waiting when the client aborts a delayed request", async () => {
    await using own = await demoServer();
    const controller = new AbortController();
    const pending = fetch(`${own.url}/delay/10`, { signal: controller.signal });
    while (own.inFlight === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await expect(pending).rejects.toThrow();
    while (own.inFlight > 0) await new Promise((r) => setTimeout(r, 5));
    expect(own.inFlight).toBe(0);
  });
});

describe("isolation from runtime tasks", () => {
  it("keeps answering after the task that started it was cancelled", async () => {
    let started: DemoServer | undefined;
    const starter = createTask(async () => {
      started = await demoServer();
      await sleep(60_000);
    });
    while (started === undefined) await new Promise((r) => setTimeout(r, 5));
    starter.cancel();
    await starter.then(() => undefined, () => undefined);
    expect(starter.cancelled()).toBe(true);
    // Delays do not run as waits of the cancelled task: they finish and answer normally.
    const res = await fetch(`${started.url}/delay/0.05`);
    expect(res.status).toBe(200);
    await started.close();
  });
});

describe("closing", () => {
  it("close() ends kept-alive and pending connections and is idempotent", async () => {
    const server = await demoServer();
    await (await fetch(`${server.url}/get`)).text();
    const pending = fetch(`${server.url}/delay/10`);
    while (server.inFlight === 0) await new Promise((r) => setTimeout(r, 5));
    await server.close();
    await server.close();
    expect(server.closed).toBe(true);
    await expect(pending).rejects.toThrow();
    await expect(fetch(`${server.url}/get`)).rejects.toThrow();
  });

  it("await using closes the server at the end of the scope", async () => {
    let url: string;
    {
      await using server = await demoServer();
      url = server.url;
      expect((await fetch(`${url}/json`)).ok).toBe(true);
    }
    await expect(fetch(`${url}/json`)).rejects.toThrow();
  });

  it("closeDemoServers() closes every live server", async () => {
    const a = await demoServer();
    const b = await demoServer();
    await closeDemoServers();
    expect([a.closed, b.closed]).toEqual([true, true]);
    await expect(fetch(`${b.url}/get`)).rejects.toThrow();
  });
});
