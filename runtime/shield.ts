// shield: protect an awaitable from the cancellation of the task that awaits it (asyncio.shield).
//
// `await shield(x)` behaves like `await x`, except that cancelling the awaiting task rejects the shield (with
// CancelledError, at once) without cancelling x: the inner task keeps running to completion. x may be a task,
// a promise, or a function (started as a task). A failure of the inner task after its shield was cancelled is
// treated as seen, as in asyncio. Cancelling the inner task directly still cancels it.

import { toTaskOrPromise, type Awaitable, type AwaitedResult } from "./gather.ts";
import { Task, waitable, whenDone } from "./task.ts";

export function shield<A extends Awaitable>(awaitable: A): Promise<AwaitedResult<A>> {
  const inner = toTaskOrPromise(awaitable) as Task<AwaitedResult<A>> | PromiseLike<AwaitedResult<A>>;
  return waitable<AwaitedResult<A>>(
    "wait",
    (resolve, reject) => {
      if (inner instanceof Task) {
        // A done callback rather than `then`: awaiting the task would link our cancellation to it.
        whenDone(inner, (task) => {
          let value: AwaitedResult<A>;
          try {
            value = task.result();
          } catch (error) {
            reject(error);
            return;
          }
          resolve(value);
        }, undefined);
      } else {
        inner.then(resolve, reject);
      }
    },
    inner instanceof Task ? inner.name : undefined,
  );
}
