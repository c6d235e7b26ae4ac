// Test-only fault injection: proves that an exception anywhere in the kernel's own code still gets a request answered.
//
// LOOPLAB_TEST_FAULTS lists points that throw, comma-separated: `complete_request` (every time that point is
// reached) or `compile@2` (only on its second pass). The points are the handlers' entries, named by msg_type,
// and the steps of an execution: `compile`, `generated-code` (a stray `)` starts the compiled script's line 2,
// the cell's line 2, before V8 parses it), `run`, `display`. The variable is read once, when the kernel's code loads, and
// removed from the environment: a cell that sets it later changes nothing, and no message can reach it.
const spec = process.env.LOOPLAB_TEST_FAULTS ?? "";
delete process.env.LOOPLAB_TEST_FAULTS;

/** Per point: the passes that throw (empty: all of them), and how many passes there were. */
const points = new Map<string, { passes: Set<number>; seen: number }>();
for (const item of spec.split(",").map((s) => s.trim()).filter(Boolean)) {
  const [name, pass] = item.split("@") as [string, string | undefined];
  const point = points.get(name) ?? { passes: new Set<number>(), seen: 0 };
  if (pass !== undefined) point.passes.add(Number(pass));
  points.set(name, point);
}

/** Whether an injected fault fires at this pass of `name` (counts the pass). */
export function faultAt(name: string): boolean {
  if (points.size === 0) return false;
  const point = points.get(name);
  if (!point) return false;
  point.seen += 1;
  return point.passes.size === 0 || point.passes.has(point.seen);
}

/** Throws the injected fault of `name` when it fires at this pass. */
export function injectFault(name: string): void {
  if (faultAt(name)) throw new Error(`fault injected at ${name} (LOOPLAB_TEST_FAULTS)`);
}
