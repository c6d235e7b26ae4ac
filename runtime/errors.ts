// The runtime's own error classes, one per condition asyncio names (CancelledError, TimeoutError, QueueEmpty, ...).
//
// They are real Error subclasses: `instanceof` works, `name` is the class name (so a kernel traceback reads
// `CancelledError: ...`), and `stack` is captured where the condition arose. CancelledError is the signal that
// cooperative cancellation travels on: catching it and not re-throwing means "I decline to be cancelled".

/** Base of every looplab error, so callers can tell the runtime's conditions from their own. */
export class LoopLabError extends Error {
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    // `new.target.name` keeps subclasses right without each one repeating this line.
    Object.defineProperty(this, "name", { value: new.target.name, configurable: true, writable: true, enumerable: false });
  }
}

/** Thrown into a task at its next runtime await after `task.cancel(msg)`; `message` is msg (or empty). */
export class CancelledError extends LoopLabError {}

/** A deadline passed: `waitFor`, `timeout`, `asCompleted({ timeout })`. */
export class TimeoutError extends LoopLabError {}

/** `queue.getNowait()` on an empty queue. */
export class QueueEmpty extends LoopLabError {}

/** `queue.putNowait()` on a full queue. */
export class QueueFull extends LoopLabError {}

/** put/get on a queue after `shutdown()` (Python 3.13 semantics). */
export class QueueShutDown extends LoopLabError {}

/** An operation asked a Task or other object for something its state does not allow (asyncio's InvalidStateError). */
export class InvalidStateError extends LoopLabError {}

/** True for the runtime's cancellation error: the one check every catch-and-classify site uses. */
export function isCancelledError(error: unknown): error is CancelledError {
  return error instanceof CancelledError;
}

/**
 * A TaskGroup's failure: `errors` holds every error (other than cancellation) of its tasks and its body, in the
 * order they happened; ExceptionGroup's role. It is an AggregateError, so generic code that knows those works too.
 */
export class TaskGroupError extends AggregateError {
  constructor(errors: readonly unknown[], message = `unhandled errors in a TaskGroup (${errors.length} sub-exception${errors.length === 1 ? "" : "s"})`) {
    super(errors, message);
    Object.defineProperty(this, "name", { value: "TaskGroupError", configurable: true, writable: true, enumerable: false });
  }
  declare readonly errors: unknown[];
}
