// The value of an already-settled promise, read synchronously: how the kernel takes a control message while a
// cell's loop keeps the event loop from running.
//
// zeromq.js resolves a receive() synchronously in native code when a message is waiting, but the value is only
// reachable through a promise reaction, and reactions run when the JavaScript stack is empty, which a busy cell
// never lets happen. A vm context created with microtaskMode "afterEvaluate" has a microtask queue of its own,
// drained at the end of every script run in it; a reaction whose handler was created in that context is queued
// there. So: attach the handler from inside the context, run an empty script, read what the handler stored.
import vm from "node:vm";

export type Settled<T> = { state: "fulfilled"; value: T } | { state: "rejected"; reason: unknown } | { state: "pending" };

// Made on first use: a context costs about a megabyte, and most sessions never need it.
let reader: { watch: (promise: Promise<unknown>, out: { settled?: Settled<unknown> }) => void; drain: () => void } | undefined;

function makeReader(): NonNullable<typeof reader> {
  const context = vm.createContext({}, { microtaskMode: "afterEvaluate" });
  const watch = vm.runInContext(
    "(promise, out) => { promise.then((value) => { out.settled = { state: 'fulfilled', value }; }, (reason) => { out.settled = { state: 'rejected', reason }; }); }",
    context,
  ) as (promise: Promise<unknown>, out: { settled?: Settled<unknown> }) => void;
  const empty = new vm.Script("undefined");
  return { watch, drain: () => empty.runInContext(context) };
}

/** What `promise` has settled to by now. Marks a rejection as handled, like any `then` with two handlers. */
export function settledNow<T>(promise: Promise<T>): Settled<T> {
  reader ??= makeReader();
  const out: { settled?: Settled<unknown> } = {};
  reader.watch(promise, out);
  reader.drain();
  return (out.settled ?? { state: "pending" }) as Settled<T>;
}
