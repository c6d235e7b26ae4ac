// Whether an async resource names its caller's async context: true with async_hooks-based AsyncLocalStorage
// (Node 20, 22), false under AsyncContextFrame (Node 24+, or 22 with --experimental-async-context-frame).
//
// Why it matters: code that files work by `executionAsyncResource()` (the Semaphore's lanes) assumed that two
// callers under different stores are on different resources. AsyncContextFrame keeps stores in a frame of its
// own and enables no promise hooks, so after an `await` every caller sees the same resource; such code must
// capture the context itself (AsyncLocalStorage.snapshot()).
//
// The probe asks the one question the assumption rests on: does entering a store mark the current resource?
// (With async_hooks, AsyncLocalStorage.run() keeps the store on the execution resource; with frames it does not.)

import { AsyncLocalStorage, executionAsyncResource } from "node:async_hooks";

function storesLiveOnResources(): boolean {
  const probe = new AsyncLocalStorage<true>();
  const before = Object.getOwnPropertySymbols(executionAsyncResource()).length;
  const marked = probe.run(true, () => Object.getOwnPropertySymbols(executionAsyncResource()).length > before);
  // With async_hooks the probe turned on Node's promise hooks for the whole process; give them back.
  probe.disable();
  return marked;
}

export const resourcesIdentifyContexts: boolean = storesLiveOnResources();
