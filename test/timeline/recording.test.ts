// Recording: what timeline() captures from real runtime tasks, under a time scale so lessons' seconds pass fast.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTimeScale, now, setTimeScale, sleep } from "../../runtime/clock.ts";
import { Condition } from "../../runtime/condition.ts";
import { Event } from "../../runtime/event.ts";
import { Lock } from "../../runtime/lock.ts";
import { closeThreads, toThread } from "../../runtime/thread.ts";
import { TimeoutError } from "../../runtime/errors.ts";
import { Queue } from "../../runtime/queue.ts";
import { Semaphore } from "../../runtime/semaphore.ts";
import { createTask } from "../../runtime/task.ts";
import type { Span } from "../../runtime/timeline/model.ts";
import { sleepSync } from "../../runtime/sleep-sync.ts";
import { Timeline, timeline } from "../../runtime/timeline/timeline.ts";

// Real delays are a tenth of the nominal ones; upper bounds are loose because a busy machine's timer lateness
// is multiplied by the scale too.
const SCALE = 10;
let previous = 1;
beforeAll(() => {
  previous = getTimeScale();
  setTimeScale(SCALE);
});
afterAll(async () => {
  setTimeScale(previous);
  await closeThreads();
});

/** Computes (burns CPU) for `nominal` ms of the scaled clock: a synchronous loop that freezes the event loop. */
function computeFor(nominal: number): void {
  const start = process.cpuUsage();
  const budget = (nominal / SCALE) * 1000;
  for (;;) {
    const used = process.cpuUsage(start);
    if (used.user + used.system >= budget) return;
  }
}

/** Blocks without computing: the stall must come from sleepSync's own report, not from CPU time. */
const blockFor = (nominal: number): void => sleepSync(nominal);

const byName = (tl: Timeline, name: string): Span => {
  const span = tl.spans.find((s) => s.name === name);
  if (!span) throw new Error(`no span ${name} in ${tl.spans.map((s) => s.name).join(", ")}`);
  return span;
};
const timeIn = (span: Span, state: string): number => span.segments.filter((s) => s.state === state).reduce((sum, s) => sum + s.end - s.start, 0);

describe("timeline recording", () => {
  it("records fn as a lane and three concurrent downloads as its children, in nominal time", async () => {
    const tl = await timeline(
      async () => {
        const downloads = [1, 2, 3].map((i) => createTask(() => sleep(200, i), { name: `download ${i}` }));
        return Promise.all(downloads);
      },
      { title: "three downloads" },
    );
    expect(tl.result).toEqual([1, 2, 3]);
    expect(tl.title).toBe("three downloads");
    expect(tl.spans.map((s) => s.name)).toEqual(["main", "download 1", "download 2", "download 3"]);
    const main = byName(tl, "main");
    for (const i of [1, 2, 3]) {
      const d = byName(tl, `download ${i}`);
      expect(d.parentId).toBe(main.id);
      expect(d.outcome).toBe("ok");
      // Nominal, not real: a 200 ms sleep under a 10x scale still reads ~200 ms.
      expect(timeIn(d, "sleep")).toBeGreaterThan(180);
      expect(timeIn(d, "sleep")).toBeLessThan(1000);
    }
    expect(timeIn(main, "wait")).toBeGreaterThan(180);
    expect(tl.maxConcurrency).toBe(3);
    expect(tl.wallMs).toBeGreaterThan(190);
    expect(tl.wallMs).toBeLessThan(1500);
  });

  it("shows sequential awaits in fn's own lane with concurrency 1", async () => {
    const tl = await timeline(async function crawl() {
      await sleep(100);
      await sleep(100);
      return "done";
    });
    expect(tl.spans).toHaveLength(1);
    expect(tl.spans[0]!.name).toBe("crawl");
    expect((await timeline(() => sleep(1), { name: "Cell In[3]" })).spans[0]!.name).toBe("Cell In[3]");
    expect(timeIn(tl.spans[0]!, "sleep")).toBeGreaterThan(180);
    expect(tl.maxConcurrency).toBe(1);
  });

  it("names tasks from createTask's name, else the function's name, else a numbered default", async () => {
    const tl = await timeline(async () => {
      async function fetchPage() {
        await sleep(10);
      }
      await Promise.all([createTask(fetchPage), createTask(() => sleep(10), { name: "given" }), createTask(() => sleep(10))]);
    });
    const names = tl.spans.map((s) => s.name);
    expect(names).toContain("fetchPage");
    expect(names).toContain("given");
    expect(names.some((n) => /^Task-\d+$/.test(n))).toBe(true);
  });

  it("cuts four jobs into two waves with Semaphore(2): waiting on the semaphore, peak 2", async () => {
    const sem = new Semaphore(2);
    const tl = await timeline(async () => {
      const jobs = [1, 2, 3, 4].map((i) => createTask(() => sem.run(() => sleep(300)), { name: `job ${i}` }));
      await Promise.all(jobs);
    });
    expect(timeIn(byName(tl, "job 1"), "semaphore")).toBe(0);
    expect(timeIn(byName(tl, "job 3"), "semaphore")).toBeGreaterThan(250);
    expect(timeIn(byName(tl, "job 4"), "semaphore")).toBeGreaterThan(250);
    expect(tl.maxConcurrency).toBe(2);
  });

  it("records queue gets and puts of a producer and a consumer", async () => {
    const q = new Queue<number>(1);
    const tl = await timeline(async () => {
      const producer = createTask(
        async () => {
          await sleep(50);
          for (let i = 0; i < 3; i++) await q.put(i);
        },
        { name: "producer" },
      );
      const consumer = createTask(
        async () => {
          for (let i = 0; i < 3; i++) {
            await q.get();
            await sleep(100);
          }
        },
        { name: "consumer" },
      );
      await Promise.all([producer, consumer]);
    });
    expect(timeIn(byName(tl, "producer"), "queue-put")).toBeGreaterThan(50);
    expect(byName(tl, "consumer").segments.some((s) => s.state === "queue-get")).toBe(true);
  });

  it("can leave out fn's own lane, so a wrapper's single task is the top lane", async () => {
    const tl = await timeline(() => createTask(() => Promise.all([createTask(() => sleep(20), { name: "job" })]), { name: "Cell In[5]" }), { ownLane: false });
    expect(tl.spans.map((s) => s.name)).toEqual(["Cell In[5]", "job"]);
    expect(tl.toText()).toMatch(/\nCell In\[5\] +\S/);
  });

  it("follows nested tasks through the async context", async () => {
    const tl = await timeline(async () => {
      await createTask(
        async () => {
          await createTask(() => sleep(20), { name: "grandchild" });
        },
        { name: "child" },
      );
    });
    const [main, child, grandchild] = ["main", "child", "grandchild"].map((n) => byName(tl, n));
    expect(child!.parentId).toBe(main!.id);
    expect(grandchild!.parentId).toBe(child!.id);
  });

  it("ends spans as ok, error, cancelled, timeout, or unfinished", async () => {
    let straggler: ReturnType<typeof createTask> | undefined;
    const tl = await timeline(async () => {
      const ok = createTask(() => sleep(10), { name: "ok" });
      const failing = createTask(
        async () => {
          await sleep(10);
          throw new Error("boom");
        },
        { name: "failing" },
      );
      const cancelled = createTask(() => sleep(10_000), { name: "cancelled" });
      const timedOut = createTask(
        async () => {
          await sleep(10);
          throw new TimeoutError("too slow");
        },
        { name: "timed out" },
      );
      straggler = createTask(() => sleep(5_000), { name: "straggler" });
      const settled = Promise.allSettled([ok, failing, cancelled, timedOut]);
      await sleep(50);
      cancelled.cancel();
      await settled;
    });
    // The straggler goes on after the recording ended; the recording does not change any more.
    const frozen = JSON.stringify(tl.toJSON());
    await sleep(20);
    straggler?.cancel();
    await sleep(1);
    expect(JSON.stringify(tl.toJSON())).toBe(frozen);
    expect(byName(tl, "ok").outcome).toBe("ok");
    expect(byName(tl, "failing").outcome).toBe("error");
    expect(byName(tl, "cancelled").outcome).toBe("cancelled");
    expect(byName(tl, "timed out").outcome).toBe("timeout");
    expect(byName(tl, "straggler").outcome).toBe("pending");
    expect(byName(tl, "straggler").end).toBeCloseTo(tl.wallMs, 0);
  });

  it("rejects with fn's error, and records nothing after it returns", async () => {
    await expect(
      timeline(async () => {
        await sleep(5);
        throw new RangeError("bad input");
      }),
    ).rejects.toThrow("bad input");
    const tl = await timeline(() => 42);
    const after = createTask(() => sleep(5), { name: "after" });
    await after;
    expect(tl.result).toBe(42);
    expect(tl.spans.map((s) => s.name)).toEqual(["main"]);
  });

  it("captures a synchronous loop that freezes the event loop for 300 ms", async () => {
    const tl = await timeline(async () => {
      await sleep(100);
      computeFor(300);
      await sleep(100);
    });
    expect(tl.stalls.length).toBeGreaterThanOrEqual(1);
    const longest = tl.stalls.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
    // At least the computing time; more if a busy machine stretched it (the loop was frozen all along).
    expect(longest.end - longest.start).toBeGreaterThan(240);
    // The stall sits between the two sleeps.
    expect(longest.start).toBeGreaterThan(60);
    expect(longest.end).toBeLessThan(tl.wallMs);
  });

  it("records sleepSync's block exactly, once", async () => {
    const tl = await timeline(async () => {
      await sleep(100);
      blockFor(500);
      await sleep(100);
    });
    const long = tl.stalls.filter((s) => s.end - s.start >= 50);
    expect(long).toHaveLength(1);
    expect(long[0]!.end - long[0]!.start).toBeGreaterThan(480);
    expect(long[0]!.end - long[0]!.start).toBeLessThan(900);
  });

  it("does not count waiting as a stall", async () => {
    const tl = await timeline(async () => {
      await Promise.all([1, 2, 3].map(() => createTask(() => sleep(300))));
    });
    expect(tl.stalls).toEqual([]);
  });

  it("does not draw a block shorter than the 50 ms threshold as a stall", async () => {
    const tl = await timeline(async () => {
      await sleep(100);
      blockFor(20);
      await sleep(100);
    });
    expect(tl.stalls).toEqual([]);
    expect(tl.toSVG()).not.toContain("loop blocked");
    expect(tl.toText()).not.toContain("loop blocked");
  });
});

describe("waits on the runtime's primitives, recorded as the segment a chart colours", () => {
  it("a task queued on a held Lock waits in state lock", async () => {
    const lock = new Lock();
    const tl = await timeline(async () => {
      const holder = createTask(() => lock.run(() => sleep(200)), { name: "holder" });
      const queued = createTask(() => lock.run(() => sleep(10)), { name: "queued" });
      await Promise.all([holder, queued]);
    });
    expect(timeIn(byName(tl, "holder"), "lock")).toBe(0);
    expect(timeIn(byName(tl, "queued"), "lock")).toBeGreaterThan(150);
    expect(timeIn(byName(tl, "queued"), "sleep")).toBeGreaterThan(5);
  });

  it("a task waiting for an Event waits in state event until set()", async () => {
    const ready = new Event();
    const tl = await timeline(async () => {
      const waiter = createTask(() => ready.wait(), { name: "waiter" });
      const setter = createTask(
        async () => {
          await sleep(200);
          ready.set();
        },
        { name: "setter" },
      );
      await Promise.all([waiter, setter]);
    });
    expect(timeIn(byName(tl, "waiter"), "event")).toBeGreaterThan(150);
    expect(timeIn(byName(tl, "setter"), "event")).toBe(0);
  });

  it("a Condition waiter whose predicate is false at first waits in state condition until notified", async () => {
    const cond = new Condition();
    let items = 0;
    let checks = 0;
    const tl = await timeline(async () => {
      const consumer = createTask(
        () =>
          cond.run(() =>
            cond.waitFor(() => {
              checks++;
              return items > 0;
            }),
          ),
        { name: "consumer" },
      );
      const producer = createTask(
        async () => {
          await sleep(200);
          await cond.run(() => {
            items = 1;
            cond.notifyAll();
          });
        },
        { name: "producer" },
      );
      await Promise.all([consumer, producer]);
    });
    // False first, then true after the notify: the consumer really waited.
    expect(checks).toBe(2);
    expect(timeIn(byName(tl, "consumer"), "condition")).toBeGreaterThan(150);
    expect(timeIn(byName(tl, "producer"), "condition")).toBe(0);
  });

  it("a toThread call shows as state thread in the calling task's lane", async () => {
    const tl = await timeline(async () => {
      await createTask(
        () =>
          toThread(function crunch(realMs: number) {
            // Blocks the worker, not the event loop: 40 real ms are 400 nominal under the 10x scale.
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, realMs);
            return realMs;
          }, 40),
        { name: "offloaded" },
      );
    });
    expect(timeIn(byName(tl, "offloaded"), "thread")).toBeGreaterThan(300);
    // A thread keeps the loop free: no stall drawn.
    expect(tl.stalls).toEqual([]);
  });
});
