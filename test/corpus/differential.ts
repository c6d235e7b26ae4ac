// Runs a program twice, as plain Node runs a script and as the kernel runs it as a cell, each in a fresh context.
import { inspect } from "node:util";
import vm from "node:vm";
import { compileCell, type CompiledCell } from "../../kernel/compile/index.ts";

/** What running a program came to, in terms that can be compared across two contexts. */
export type Outcome =
  | { kind: "value"; text: string }
  | { kind: "completed" }
  | { kind: "threw"; name: string; message: string }
  /** Still running at the limit (a loop that never ends is a valid program too). */
  | { kind: "hung" };

/**
 * How long a run may take before it counts as hung (56 of test262's scripts loop forever). Short, because a
 * hang costs this much; a run that hangs on one side only is run again with the patient limit before the two
 * count as different.
 */
export const QUICK_MS = 25;
export const PATIENT_MS = 1000;
/** Loop iterations and function calls a compiled program may make before it counts as hung. */
const CHECK_BUDGET = 1_000_000;
export const CHECKS = { loopCheck: "__corpusCheck()", resumeCheck: "__corpusResumed", traceCalls: "__corpusTraced" } as const;

class OverBudget extends Error {}

function describeValue(value: unknown): Outcome {
  return { kind: "value", text: inspect(value, { depth: 2, breakLength: Infinity }) };
}

function thrown(error: unknown): Outcome {
  if (error instanceof OverBudget) return { kind: "hung" };
  if ((error as { code?: string } | null)?.code === "ERR_SCRIPT_EXECUTION_TIMEOUT") return { kind: "hung" };
  const name = typeof error === "object" && error !== null ? String((error as { name?: unknown }).name) : typeof error;
  const message = typeof error === "object" && error !== null ? String((error as { message?: unknown }).message) : String(error);
  return { kind: "threw", name, message };
}

/** Plain Node: the source as a classic script; its completion value when `withValue`. */
export function runPlain(source: string, withValue: boolean, timeout = QUICK_MS): Outcome {
  const context = vm.createContext({});
  try {
    const value = new vm.Script(source).runInContext(context, { timeout });
    return withValue ? describeValue(value) : { kind: "completed" };
  } catch (error) {
    return thrown(error);
  }
}

/** The kernel: the source compiled as a cell (with its checks) and run the way the runner runs it. */
export async function runCompiled(compiled: CompiledCell, timeout = QUICK_MS): Promise<Outcome> {
  let calls = 0;
  // Not enumerable: a program that shows its global object (`this`) sees what plain Node's shows.
  const context = vm.createContext(
    Object.defineProperties({}, {
      __corpusCheck: {
        value: () => {
          if (++calls > CHECK_BUDGET) throw new OverBudget();
        },
      },
      __corpusResumed: { value: <T>(value: T) => value },
      // Traced async calls (issue 13) as the runtime runs them when no timeline records: the body, at once.
      __corpusTraced: { value: (_name: unknown, _args: unknown, fn: () => unknown) => fn() },
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  try {
    const running = new vm.Script(compiled.script).runInContext(context, { timeout }) as Promise<{ value: unknown } | undefined>;
    const result = await Promise.race([running, new Promise<"hung">((resolve) => (timer = setTimeout(() => resolve("hung"), timeout)))]);
    if (result === "hung") return { kind: "hung" };
    return compiled.hasResult && result ? describeValue(result.value) : { kind: "completed" };
  } catch (error) {
    return thrown(error);
  } finally {
    clearTimeout(timer);
  }
}

export function compileAsCell(source: string, filename: string): Promise<CompiledCell> {
  return compileCell(source, { filename, ...CHECKS });
}
