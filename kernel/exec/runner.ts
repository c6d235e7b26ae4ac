// Runs one cell: compile, evaluate in the main context as a runtime task, await it, stop it on interrupt.
import vm from "node:vm";
import { allTasks, CancelledError, createTask, currentTask, type Task } from "looplab";
import { CellSyntaxError, compileCell, scriptSyntaxErrorPosition, type CompiledCell } from "../compile/index.ts";
import { executions, type Execution } from "./context.ts";
import { nextCellFilename, registerCell } from "./cells.ts";
import { COUNTDOWN, INTERRUPT, SIGINT_BYTE, STATE_BYTES, TICK } from "./interrupt-state.ts";
import type { InterruptRelay } from "./watchdog.ts";
import { SigintLedger } from "./sigint.ts";
import { CELL_INSERTIONS, INTERRUPT_FLAG, INTERRUPT_THROW, RESUME_CHECK } from "./loop-check.ts";
import { KernelFault } from "./kernel-fault.ts";
import { installTracedCalls, TRACED_CALL_PRELUDE } from "./traced-calls.ts";
import { faultAt, injectFault } from "../test-faults.ts";

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
  /** performance.now() when the cell started. */
  started: number;
  execution: Execution;
  task: Task<unknown>;
  interrupt: (error: InterruptError) => void;
}

/** How often a busy loop looks at the control socket: often enough to stop well within a second, rarely enough to cost nothing. */
export const POLL_MS = 5;
const MAX_COUNTDOWN = 1 << 26;
/** A cell that still loops this long into its run gets the relay's ticks (see watchdog.ts). */
const TICKS_AFTER_MS = 50;

/**
 * Looks for requests that the busy event loop cannot read (an interrupt_request on control) and acts on them;
 * true when the running code should stop.
 */
export type StopPoll = () => boolean;

export class Runner {
  /** Shared with the interrupt relay (see watchdog.ts), which writes into it from a thread-pool thread. */
  readonly state: Int32Array;
  /** Tells a new SIGINT from another arrival of one already acted on (see sigint.ts). */
  readonly sigints: SigintLedger;
  #running: Running | undefined;
  readonly #pollStop: StopPoll;
  readonly #relay: InterruptRelay | undefined;
  #lastPoll = performance.now();
  #countdown = 1024;
  #ticking = false;
  /** Set by #stopStack until the stopped stack has unwound: the task (or none) whose checks must throw. */
  #stopping: { task: Task<unknown> | undefined } | undefined;

  constructor(state: SharedArrayBuffer = new SharedArrayBuffer(STATE_BYTES), options: { pollStop?: StopPoll; relay?: InterruptRelay } = {}) {
    this.state = new Int32Array(state);
    this.#pollStop = options.pollStop ?? (() => false);
    this.#relay = options.relay;
    this.sigints = new SigintLedger(options.relay !== undefined);
    this.state[COUNTDOWN] = this.#countdown;
    // Cell loops check this flag (see watchdog.ts, loop-check.ts); the names are the kernel's, kept off enumeration.
    Object.defineProperty(globalThis, INTERRUPT_FLAG, { value: this.state, configurable: true });
    Object.defineProperty(globalThis, INTERRUPT_THROW, {
      value: () => {
        if (this.#loopPoll()) throw new InterruptError();
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
    installTracedCalls();
    // Cell functions sent to toThread() carry loop checks (and traced calls) too. In a worker the flag stays 0: an interrupt
    // cancels the awaiting task, and that terminates the worker.
    Object.defineProperty(globalThis, Symbol.for("looplab.toThread.prelude"), {
      value: `{ const flag = new Int32Array(${STATE_BYTES / 4}); globalThis.${INTERRUPT_FLAG} = flag; globalThis.${INTERRUPT_THROW} = () => { flag[${COUNTDOWN}] = ${MAX_COUNTDOWN}; }; } globalThis.${RESUME_CHECK} = (value) => value; ${TRACED_CALL_PRELUDE}`,
      configurable: true,
    });
  }

  /**
   * A loop check fired: an interrupt is pending (true), or the relay ticked or the loop's countdown ran out.
   * Then look for a stop request on control, and set the next countdown from how long this one took, so the
   * next look comes about POLL_MS later whether an iteration takes a nanosecond or a second.
   */
  #loopPoll(): boolean {
    if (this.#stopping) {
      // Every check comes here until the stack has unwound; only the stopped task's throw.
      this.state[COUNTDOWN] = 0;
      if (currentTask() === this.#stopping.task) return true;
    }
    const flag = this.state[INTERRUPT];
    if (flag === SIGINT_BYTE || flag === TICK) {
      // Taken here, the byte's read cannot re-arm from its callback while this thread is busy: read again now.
      const taken = Atomics.compareExchange(this.state, INTERRUPT, flag, 0) === flag;
      if (taken) this.#relay?.rearm();
      // A SIGINT byte is an echo when the SIGINT handler acted on its signal already (sigint.ts).
      if (taken && flag === SIGINT_BYTE && this.sigints.seen("byte")) return this.#stopStack();
    } else if (flag !== 0) {
      return true;
    }
    const now = performance.now();
    const elapsed = now - this.#lastPoll;
    // At most x4 per step: one slow iteration among fast ones must not make the countdown swing wildly.
    const scale = Math.min(4, Math.max(0.25, POLL_MS / Math.max(elapsed, 0.001)));
    this.#countdown = Math.min(MAX_COUNTDOWN, Math.max(1, Math.round(this.#countdown * scale)));
    if (!this.#stopping) this.state[COUNTDOWN] = this.#countdown;
    this.#lastPoll = now;
    // A long loop may go on to call slow code whose own loops have no check: from now on the relay's clock
    // brings this thread here every 100 ms anyway.
    if (!this.#ticking && this.#running && now - this.#running.started > TICKS_AFTER_MS) {
      this.#ticking = true;
      this.#relay?.ticking(true);
    }
    if (!this.#pollStop()) return false;
    return this.#stopStack();
  }

  /**
   * Stops the code on the stack now, whatever it catches: its checks throw until the stack has unwound (a
   * `try {} catch {}` inside the loop cannot swallow the interrupt), and no longer, so that the cleanup the
   * interrupt sets off (`finally` blocks of cancelled tasks) runs unhindered.
   */
  #stopStack(): true {
    // Only for the task whose code is on the stack: a task that starts, or a cancelled task's `finally`, run as
    // microtasks too, and may come first. Kept off the shared slot, where the relay's next byte may land at once.
    this.#stopping = { task: currentTask() };
    this.state[COUNTDOWN] = 0;
    queueMicrotask(() => {
      this.#stopping = undefined;
      this.state[COUNTDOWN] = this.#countdown;
    });
    return true;
  }

  /**
   * Compiles and runs `source` as cell In[execution.executionCount]. What the user's code does, a syntax error
   * included, is the outcome; only a failure of the kernel's own code throws (a KernelFault).
   */
  async run(execution: Execution, source: string): Promise<Outcome> {
    const filename = nextCellFilename(execution.executionCount);
    let compiled: CompiledCell;
    try {
      injectFault("compile");
      compiled = await compileCell(source, { filename, ...CELL_INSERTIONS });
    } catch (error) {
      if (error instanceof CellSyntaxError) return { status: "error", error };
      throw new KernelFault(`compiling Cell In[${execution.executionCount}]`, error);
    }
    registerCell({ filename, executionCount: execution.executionCount, source, execution, map: (l, c) => compiled.map(l, c) });
    return this.evaluate(execution, compiled, filename, source);
  }

  /** Runs a compiled cell; `source` is the text it was compiled from (for the kernel's own errors). */
  async evaluate(execution: Execution, compiled: CompiledCell, filename: string, source: string): Promise<Outcome> {
    let script: vm.Script;
    try {
      script = cellScript(compiled, filename, execution.executionCount, source);
    } catch (error) {
      if (error instanceof CellSyntaxError) return { status: "error", error };
      throw error;
    }
    injectFault("run");
    let interrupt!: (error: InterruptError) => void;
    const interrupted = new Promise<never>((_, reject) => (interrupt = reject));
    const started = (this.#lastPoll = performance.now());
    // The cell is a runtime task (which starts in a microtask, after #running is set), so everything it starts is its child: an interrupt cancels the whole tree.
    const task = executions.run(execution, () =>
      createTask(() => script.runInThisContext() as Promise<{ value: unknown } | undefined>, {
        name: `Cell In[${execution.executionCount}]`,
      }),
    );
    this.#running = { started, execution, task, interrupt };
    try {
      const result = await Promise.race([task, interrupted]);
      return { status: "ok", hasValue: compiled.hasResult && result !== undefined, value: result?.value, task };
    } catch (error) {
      if (error instanceof InterruptError) {
        // Broken out of a synchronous loop or function by a check, the cell's own code is over, but
        // tasks it started would run on: an interrupt stops the whole tree, as it does for a pending await.
        execution.interrupted = true;
        for (const child of tasksStartedBy(task)) child.cancel("interrupted");
      }
      return { status: "error", error, task };
    } finally {
      this.#running = undefined;
      if (this.#ticking) {
        this.#ticking = false;
        this.#relay?.ticking(false);
      }
    }
  }

  /** Stops the running cell: its pending awaits end, every task it started is cancelled. */
  interrupt(): boolean {
    const running = this.#running;
    if (!running) return false;
    // No mark in the slot: this runs while the event loop is free, so no loop of the cell is running, and the
    // cell's resumed code stops at its next await (RESUME_CHECK). A mark would make the checks at the top of the
    // user's functions throw in the cleanup this very interrupt sets off (a `finally { tidy() }`).
    for (const task of tasksStartedBy(running.task)) task.cancel("interrupted");
    running.execution.interrupted = true;
    running.task.cancel("interrupted");
    running.interrupt(new InterruptError());
    return true;
  }
}

/**
 * The vm.Script of a compiled cell. Every cell that reaches here parsed, so a SyntaxError now is the user's
 * (a CellSyntaxError) only when V8 rejects the user's code itself; otherwise it is in code the compiler
 * generated: the kernel's bug, a KernelFault at the user's cell line.
 */
export function cellScript(compiled: CompiledCell, filename: string, executionCount: number, source: string): vm.Script {
  try {
    // The test hook's corruption: a stray `)` at the start of the script's (and so the cell's) line 2.
    const code = faultAt("generated-code") ? compiled.script.replace("\n", "\n)") : compiled.script;
    return new vm.Script(code, { filename, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  } catch (error) {
    // Unless V8 rejects the user's own code as it stands (syntax newer than this Node's, which acorn knows).
    const own = error instanceof SyntaxError ? compiled.ownSyntaxError(error) : undefined;
    if (own) throw own;
    const at = scriptSyntaxErrorPosition(error, filename);
    const position = at && nearestCellPosition(compiled, at.line, at.column);
    throw new KernelFault(`compiling Cell In[${executionCount}]`, error, { executionCount, source, position });
  }
}

/** The cell position of a script position, or of the nearest mapped one before it (wrapper code maps to none). */
function nearestCellPosition(compiled: CompiledCell, line: number, column: number): { line: number; column: number } | undefined {
  for (let c = column; c >= 0; c--) {
    const position = compiled.map(line, c);
    if (position) return position;
  }
  // Nothing mapped before it on its line: the end of the nearest line above that maps (columns past a
  // line's end clamp to it).
  for (let l = line - 1; l >= 1; l--) {
    const position = compiled.map(l, Number.MAX_SAFE_INTEGER);
    if (position) return position;
  }
  return undefined;
}

/** Pending runtime tasks descending from `root` (created by it, or by tasks it created, …). */
export function tasksStartedBy(root: Task<unknown>): Task<unknown>[] {
  return [...allTasks()].filter((task) => {
    if (task === root || task.done()) return false;
    for (let t = task.parent; t; t = t.parent) if (t === root) return true;
    return false;
  });
}
