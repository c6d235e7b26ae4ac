// TaskGroup: structured concurrency; a group of tasks that all finish before the group does (asyncio.TaskGroup).
//
// Semantics:
// - `await TaskGroup.run(async (tg) => { tg.createTask(a); tg.createTask(b); return x })` runs the body, then waits
//   for every task created in the group, and resolves with the body's value.
// - The first task that fails (with anything but CancelledError) makes the group abort: every other task of the
//   group is cancelled, and so is the body if it is still running (it gets CancelledError at its next runtime
//   await). When everything has finished, the group rejects with a TaskGroupError whose `errors` holds every
//   non-cancellation failure, the body's included.
// - If the body throws, the group aborts the same way; a CancelledError from the body is not listed in `errors`.
// - If the task running the group is cancelled from outside, the group cancels its tasks, waits for them, and
//   rethrows CancelledError (unless some task failed: errors take priority, as in asyncio).
// - `await using tg = new TaskGroup()` works too: leaving the block waits for the tasks and throws TaskGroupError on
//   failure. Because a disposer cannot see the block's own exception (JavaScript would wrap both in a
//   SuppressedError), this form cancels the siblings on a failure but never interrupts the block itself: prefer
//   `TaskGroup.run` when the body waits on its tasks.
// - createTask after the group has finished, or while it is aborting, throws InvalidStateError.
// - Outside any task, `TaskGroup.run` runs itself as a task, so the body can always be interrupted.

import { CancelledError, InvalidStateError, TaskGroupError, isCancelledError } from "./errors.ts";
import { createTask, currentTask, linkedWaitable, Task, whenDone, type TaskOptions } from "./task.ts";

// The one done callback every group task shares (the group rides along as its argument); set by TaskGroup's static
// block so it can reach a group's private state.
let onTaskDone: (task: Task<unknown>, group: TaskGroup) => void;

export class TaskGroup {
  /** The task that runs the group's body (undefined for an `await using` group at a script's top level). */
  readonly #parent: Task<unknown> | undefined = currentTask();
  /** True for TaskGroup.run, whose body the group may interrupt by cancelling the parent task. */
  #interruptible = false;
  readonly #tasks = new Set<Task<unknown>>();
  readonly #errors: unknown[] = [];
  #aborting = false;
  #exiting = false;
  #finished = false;
  #parentCancelRequested = false;
  /** Resolves the exit's wait when the last task finishes. */
  #onEmpty: (() => void) | undefined;

  /** Runs body with a new group, then waits for all its tasks (see the module comment). */
  static async run<T>(body: (tg: TaskGroup) => T | PromiseLike<T>): Promise<Awaited<T>> {
    if (currentTask() === undefined) {
      return (await createTask(() => TaskGroup.run(body), { name: body.name || "TaskGroup" })) as Awaited<T>;
    }
    const group = new TaskGroup();
    group.#interruptible = true;
    let result: Awaited<T> | undefined;
    let bodyFailed = false;
    let bodyError: unknown;
    try {
      result = await body(group);
    } catch (error) {
      bodyFailed = true;
      bodyError = error;
    }
    await group.#exit(bodyFailed, bodyError);
    return result as Awaited<T>;
  }

  /** Starts fn as a task of this group. */
  createTask<T>(fn: () => T | PromiseLike<T>, options?: TaskOptions): Task<Awaited<T>> {
    if (this.#finished) throw new InvalidStateError("TaskGroup is finished");
    if (this.#aborting) throw new InvalidStateError("TaskGroup is shutting down");
    const task = createTask(fn, options);
    this.#tasks.add(task);
    whenDone(task, onTaskDone, this);
    return task;
  }

  /** `await using` support: waits for the group's tasks, throws TaskGroupError on failure. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.#exit(false, undefined);
  }

  static {
    onTaskDone = (task, group) => group.#taskDone(task);
  }

  /** Called synchronously as each task of the group finishes. */
  #taskDone(task: Task<unknown>): void {
    this.#tasks.delete(task);
    if (this.#tasks.size === 0) this.#onEmpty?.();
    if (task.cancelled()) return;
    const error = task.exception(); // marks the failure as seen: the group reports it
    if (error === undefined) return;
    this.#errors.push(error);
    if (!this.#aborting && !this.#parentCancelRequested) {
      this.#abort();
      // Interrupt what the body is doing, as asyncio cancels the parent task. Once the body is done and we wait in
      // #exit, the cancel lands on that wait, which absorbs it.
      const parent = this.#parent;
      if (parent !== undefined && !parent.done() && (this.#interruptible || this.#exiting)) {
        this.#parentCancelRequested = true;
        parent.cancel();
      }
    }
  }

  #abort(): void {
    this.#aborting = true;
    for (const task of this.#tasks) task.cancel();
  }

  async #exit(bodyFailed: boolean, bodyError: unknown): Promise<void> {
    this.#exiting = true;
    let propagateCancel: unknown = bodyFailed && isCancelledError(bodyError) ? bodyError : undefined;
    if (bodyFailed && !this.#aborting) this.#abort();
    while (this.#tasks.size > 0) {
      try {
        await linkedWaitable<void>(
          "wait",
          (resolve) => {
            this.#onEmpty = resolve;
            return () => (this.#onEmpty = undefined);
          },
          (message) => {
            // The parent is cancelled while we wait: cancel the tasks and keep waiting for them to finish.
            if (!this.#aborting) {
              propagateCancel = new CancelledError(message);
              this.#abort();
            }
            return true;
          },
          "TaskGroup",
        );
      } catch (error) {
        // A cancel that was pending when we began waiting arrives here instead of through the forward above.
        if (!isCancelledError(error)) throw error;
        if (!this.#aborting) {
          propagateCancel = error;
          this.#abort();
        }
      }
      this.#onEmpty = undefined;
    }
    this.#finished = true;
    if (this.#parentCancelRequested && this.#parent!.uncancel() === 0) propagateCancel = undefined;
    // Errors take priority over a cancellation from outside.
    if (propagateCancel !== undefined && this.#errors.length === 0) throw propagateCancel;
    if (bodyFailed && !isCancelledError(bodyError)) this.#errors.push(bodyError);
    if (this.#errors.length > 0) throw new TaskGroupError(this.#errors.splice(0));
  }
}
