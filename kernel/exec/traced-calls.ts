// The global that traced calls in user code go through (compile/trace-calls.ts puts the calls in): the runtime's
// tracedCall, so a timeline draws one lane per async call of cells and of the user's own modules.
import { tracedCall } from "looplab";
import { TRACED_CALL } from "./loop-check.ts";

/** Defines the global (off enumeration, like the interrupt globals). */
export function installTracedCalls(): void {
  Object.defineProperty(globalThis, TRACED_CALL, { value: tracedCall, configurable: true });
}

/** The same global in a toThread worker, where no timeline records: the body just runs. */
export const TRACED_CALL_PRELUDE = `globalThis.${TRACED_CALL} = (name, args, fn) => fn();`;
