// Runs one cell: compile, evaluate in the main context as a runtime task, await it, stop it on interrupt.
import vm from "node:vm";
import { allTasks, CancelledError, createTask, type Task } from "looplab";
import { compileCell, type CompiledCell } from "../compile/index.ts";
import { executions, type Execution } from "./context.ts";
import { nextCellFilename, registerCell } from "./cells.ts";
import { HANDLED, INTERRUPT, RUNNING, STATE_BYTES } from "./watchdog.ts";
import { INTERRUPT_CHECKS, INTERRUPT_FLAG, INTERRUPT_THROW, RESUME_CHECK } from "./loop-check.ts";

/** What the user sees when a cell is interrupted (IPython says KeyboardInterrupt; we speak JavaScript). */
export class InterruptError extends Error {
  override name = "InterruptError";
  constructor() {
    super("the cell was interrupted; the kernel and its variables are intact");
  }
}

export type Outcome = (
  | { status: "ok"; hasValue: boolean; value: unknown }
  | { status: "error"; error: unknown }
) & {
  /** The cell's task (absent when the cell did not compile): what it started may still be running. */
  task?: Task<unknown>;
};

interface Running {
  sequence: number;
  execution: Execution;
  task: Task<unknown>;
  interrupt: (error: InterruptError) => void;
}

export class Runner {
  /** Shared with the interrupt relay (see watchdog.ts), which writes into it from a thread-pool thread. */
  readonly state: Int32Array;
  #running: Running | undefined;
  #sequence = 0;

  constructor(state: SharedArrayBuffer = new SharedArrayBuffer(STATE_BYTES)) {
    this.state = new Int32Array(state);
    // Cell loops check this flag (see watchdog.ts); the names are the kernel's, kept off enumeration.
    Object.defineProperty(globalThis, INTERRUPT_FLAG, { value: this.state, configurable: true });
    Object.defineProperty(globalThis, INTERRUPT_THROW, {
      value: () => {
        throw new InterruptError();
      },
      configurable: true,
    });
    // After an interrupt, the cell's code (and its tasks') stops at the next await it resumes from, quietly: a
    // cancellation, as a cancelled task's awaits end. Code of other cells, later, runs on.
    Object.defineProperty(globalThis, RESUME_CHECK, {
      value: <T>(value: T): T => {
        if (executions.getStore()?.interrupted) throw new CancelledError("interrupted");
        return value;
      },
      configurable: true,
    });
    // Cell functions sent to toThread() carry loop checks too. In a worker the flag stays 0: an interrupt
    // cancels the awaiting task, and that terminates the worker.
    Object.defineProperty(globalThis, Symbol.for("looplab.toThread.prelude"), {
      value: `globalThis.${INTERRUPT_FLAG} = new Int32Array(${STATE_BYTES / 4}); globalThis.${INTERRUPT_THROW} = () => {}; globalThis.${RESUME_CHECK} = (value) => value;`,
      configurable: true,
    });
  }

  /** Compiles and runs `source` as cell In[execution.executionCount]; never throws. */
  async run(execution: Execution, source: string): Promise<Outcome> {
    const filename = nextCellFilename(execution.executionCount);
    let compiled: CompiledCell;
    try {
      compiled = await compileCell(source, { filename, ...INTERRUPT_CHECKS });
    } catch (error) {
      return { status: "error", error };
    }
    registerCell({ filename, executionCount: execution.executionCount, source, execution, map: (l, c) => compiled.map(l, c) });
    return this.evaluate(execution, compiled, filename);
  }

  async evaluate(execution: Execution, compiled: CompiledCell, filename: string): Promise<Outcome> {
    const script = new vm.Script(compiled.script, {
      filename,
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    const sequence = ++this.#sequence;
    let interrupt!: (error: InterruptError) => void;
    const interrupted = new Promise<never>((_, reject) => (interrupt = reject));
    // The cell is a runtime task, so everything it starts is its child: an interrupt cancels the whole tree.
    const task = executions.run(execution, () =>
      createTask(() => script.runInThisContext({ breakOnSigint: true }) as Promise<{ value: unknown } | undefined>, {
        name: `Cell In[${execution.executionCount}]`,
      }),
    );
    this.#running = { sequence, execution, task, interrupt };
    Atomics.store(this.state, INTERRUPT, 0);
    Atomics.store(this.state, RUNNING, sequence);
    try {
      const result = await Promise.race([task, interrupted]);
      return { status: "ok", hasValue: compiled.hasResult && result !== undefined, value: result?.value, task };
    } catch (error) {
      const stopped = isScriptInterrupt(error) ? new InterruptError() : error;
      if (stopped instanceof InterruptError) {
        // Broken out of a synchronous loop (vm's breakOnSigint or a loop check), the cell's own code is over, but
        // tasks it started would run on: an interrupt stops the whole tree, as it does for a pending await.
        execution.interrupted = true;
        for (const child of tasksStartedBy(task)) child.cancel("interrupted");
      }
      return { status: "error", error: stopped, task };
    } finally {
      Atomics.store(this.state, RUNNING, 0);
      Atomics.store(this.state, INTERRUPT, 0);
      this.#running = undefined;
    }
  }

  /** Stops the running cell: its pending awaits end, every task it started is cancelled. */
  interrupt(): boolean {
    Atomics.add(this.state, HANDLED, 1);
    const running = this.#running;
    if (!running) return false;
    Atomics.store(this.state, INTERRUPT, 1);
    for (const task of tasksStartedBy(running.task)) task.cancel("interrupted");
    running.execution.interrupted = true;
    running.task.cancel("interrupted");
    running.interrupt(new InterruptError());
    return true;
  }
}

function isScriptInterrupt(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "ERR_SCRIPT_EXECUTION_INTERRUPTED";
}

/** Pending runtime tasks descending from `root` (created by it, or by tasks it created, …). */
export function tasksStartedBy(root: Task<unknown>): Task<unknown>[] {
  return [...allTasks()].filter((task) => {
    if (task === root || task.done()) return false;
    for (let t = task.parent; t; t = t.parent) if (t === root) return true;
    return false;
  });
}
