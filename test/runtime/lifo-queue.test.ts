// LifoQueue: newest first, with Queue's blocking, join and shutdown.
import { describe, expect, it } from "vitest";
import { LifoQueue, QueueShutDown } from "../../runtime/index.ts";

describe("LifoQueue", () => {
  it("returns the most recently added item first", async () => {
    const q = new LifoQueue<string>();
    for (const s of ["a", "b", "c"]) await q.put(s);
    expect([await q.get(), await q.get(), await q.get()]).toEqual(["c", "b", "a"]);
  });

  it("hands a blocked put's item out next once a slot frees", async () => {
    const q = new LifoQueue<number>(2);
    q.putNowait(1);
    q.putNowait(2);
    const blocked = q.put(3);
    expect(q.getNowait()).toBe(2);
    await blocked;
    expect([q.getNowait(), q.getNowait()]).toEqual([3, 1]);
  });

  it("supports taskDone/join and shutdown(immediate)", async () => {
    const q = new LifoQueue<number>();
    q.putNowait(1);
    q.putNowait(2);
    q.getNowait();
    q.taskDone();
    const join = q.join();
    q.shutdown(true);
    await join;
    await expect(q.get()).rejects.toBeInstanceOf(QueueShutDown);
  });
});
