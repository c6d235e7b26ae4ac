// LifoQueue: a Queue that returns the most recently added item first (asyncio.LifoQueue).
//
// Everything else (maxsize, blocking, taskDone/join, shutdown, for await) is Queue's; only the order differs.

import { Queue } from "./queue.ts";

export class LifoQueue<T> extends Queue<T> {
  protected override takeItem(): T {
    return this.items.pop() as T;
  }
}
