// IPython-style magics: `%time`, `%timeit`, `%%time`, `%%timeline`, `%typecheck`, `%lsmagic`. Lines at the top of a cell.
import vm from "node:vm";
import { cpuUsage } from "node:process";
import * as runtime from "looplab";
import { CellSyntaxError, compileCell, splitMagics, type CompiledCell, type Magic } from "../compile/index.ts";
import { argsInPlace } from "../compile/magics.ts";
import type { Execution } from "./context.ts";
import { nextCellFilename, registerCell } from "./cells.ts";
import { CELL_INSERTIONS } from "./loop-check.ts";
import { cellScript, type Outcome, type Runner } from "./runner.ts";
import { KernelFault } from "./kernel-fault.ts";
import type { StreamName } from "./streams.ts";
import { toMimeBundle } from "../display/mime.ts";
import { MODES, setTypecheckMode, typecheckMode, type TypecheckMode } from "../typecheck/mode.ts";

export interface MagicHost {
  stream(name: StreamName, text: string, origin?: Execution): void;
  publish(type: string, content: Record<string, unknown>, origin?: Execution): void;
}

type CellMagic = (args: string, body: () => Promise<Outcome>, host: MagicHost, execution: Execution) => Promise<Outcome>;
/** `cell` is the whole cell's text: code compiled from the magic's arguments is registered under it. */
type LineMagic = (magic: Magic, cell: string, runner: Runner, host: MagicHost, execution: Execution) => Promise<Outcome>;

export class UsageError extends Error {
  override name = "UsageError";
}

const ok: Outcome = { status: "ok", hasValue: false, value: undefined };

const CELL_MAGICS: Record<string, CellMagic> = {
  time: async (_args, body, host, execution) => {
    const [outcome, report] = await measured(body);
    host.stream("stdout", report, execution);
    return outcome;
  },
  timeline: async (args, body, host, execution) => {
    let outcome: Outcome = ok;
    const title = args.trim() || `Cell In[${execution.executionCount}]`;
    // Not live: the chart follows the cell's own output, as the magic promises. The cell's task is the top lane.
    const chart = await runtime.timeline(async () => {
      outcome = await body();
    }, { title, ownLane: false, live: false });
    // The PNG is drawn on the thread pool, not the event loop; the chart's own bundle then reuses it.
    await chart.bundleAsync();
    const bundle = toMimeBundle(chart);
    host.publish("display_data", { data: bundle.data, metadata: bundle.metadata, transient: {} }, execution);
    return outcome;
  },
};

const LINE_MAGICS: Record<string, LineMagic> = {
  time: async (magic, cell, runner, host, execution) => {
    let compiled: Compiled;
    try {
      compiled = await compileArgs(magic, 0, cell, execution);
    } catch (error) {
      if (error instanceof KernelFault) throw error;
      return { status: "error", error };
    }
    const [outcome, report] = await measured(() => runner.evaluate(execution, compiled.cell, compiled.filename, cell));
    host.stream("stdout", report, execution);
    return outcome;
  },
  timeit: (magic, cell, _runner, host, execution) => timeit(magic, cell, host, execution),
  typecheck: async (magic, _cell, _runner, host, execution) => {
    const wanted = magic.args.trim();
    if (wanted !== "" && !MODES.includes(wanted as TypecheckMode)) {
      return { status: "error", error: new UsageError(`%typecheck takes ${MODES.join(", ")} (or nothing, to show the mode), not '${wanted}'`) };
    }
    if (wanted !== "") setTypecheckMode(wanted as TypecheckMode);
    host.stream("stdout", `type checking: ${TYPECHECK_MODES[typecheckMode()]}\n`, execution);
    return ok;
  },
  lsmagic: async (_magic, _cell, _runner, host, execution) => {
    host.stream("stdout", `${lsmagic()}\n`, execution);
    return ok;
  },
};

const TYPECHECK_MODES: Record<TypecheckMode, string> = {
  warn: "warn (cells run at once; type errors are shown under them when found)",
  strict: "strict (a cell with type errors does not run)",
  off: "off",
};

/** Every magic by the name users type, for completion and error messages. */
export const MAGICS: Record<string, "line" | "cell"> = {
  ...Object.fromEntries(Object.keys(LINE_MAGICS).map((name) => [`%${name}`, "line" as const])),
  ...Object.fromEntries(Object.keys(CELL_MAGICS).map((name) => [`%%${name}`, "cell" as const])),
};

function lsmagic(): string {
  const line = Object.keys(LINE_MAGICS).map((n) => `%${n}`).join("  ");
  const cell = Object.keys(CELL_MAGICS).map((n) => `%%${n}`).join("  ");
  return `Available line magics:\n${line}\n\nAvailable cell magics:\n${cell}`;
}

/** Runs a cell, applying its magics. */
export async function runCell(runner: Runner, execution: Execution, source: string, host: MagicHost): Promise<Outcome> {
  const { magics, body } = splitMagics(source);
  if (magics.length === 0) return runner.run(execution, source);
  const unknown = magics.find((m) => !(m.kind === "cell" ? m.name in CELL_MAGICS : m.name in LINE_MAGICS));
  if (unknown) {
    const sigil = unknown.kind === "cell" ? "%%" : "%";
    return { status: "error", error: new UsageError(`unknown magic ${sigil}${unknown.name} (line ${unknown.line}). ${lsmagic().replace(/\n+/g, " ")}`) };
  }
  const cellMagics = magics.filter((m) => m.kind === "cell");
  const lineMagics = magics.filter((m) => m.kind === "line");
  if (cellMagics.length > 0 && lineMagics.length > 0) {
    return { status: "error", error: new UsageError("a cell magic (%%) cannot be combined with line magics in one cell") };
  }
  if (lineMagics.length > 0) {
    if (body.trim() !== "") {
      return { status: "error", error: new UsageError(`a line magic takes the rest of its line; put other code in its own cell (line ${lineMagics[0].line})`) };
    }
    let outcome: Outcome = ok;
    for (const magic of lineMagics) {
      outcome = await LINE_MAGICS[magic.name](magic, source, runner, host, execution);
      if (outcome.status === "error") break;
    }
    return outcome;
  }
  // Cell magics nest: the first one wraps the rest, the innermost wraps the body.
  const wrap = (index: number): (() => Promise<Outcome>) => {
    if (index === cellMagics.length) return () => runner.run(execution, body);
    const magic: Magic = cellMagics[index];
    return () => CELL_MAGICS[magic.name](magic.args, wrap(index + 1), host, execution);
  };
  return wrap(0)();
}

async function measured(body: () => Promise<Outcome>): Promise<[Outcome, string]> {
  const cpu = cpuUsage();
  const started = performance.now();
  const outcome = await body();
  const wall = performance.now() - started;
  const used = cpuUsage(cpu);
  const user = used.user / 1000;
  const sys = used.system / 1000;
  return [outcome, `CPU times: user ${duration(user)}, sys: ${duration(sys)}, total: ${duration(user + sys)}\nWall time: ${duration(wall)}\n`];
}

/** IPython's style: 3 significant figures in the largest fitting unit. */
export function duration(ms: number): string {
  const units: [number, string][] = [[1000, "s"], [1, "ms"], [1e-3, "µs"], [1e-6, "ns"]];
  for (const [scale, unit] of units) {
    if (ms >= scale || unit === "ns") return `${Number((ms / scale).toPrecision(3))} ${unit}`;
  }
  return `${ms} ms`;
}

interface Compiled {
  cell: CompiledCell;
  filename: string;
}

/**
 * Compiles a line magic's arguments from offset `skip` on, in their place in the cell (see argsInPlace), and
 * registers the script under the whole cell: errors in them name the cell's line and show its text.
 */
async function compileArgs(magic: Magic, skip: number, cell: string, execution: Execution): Promise<Compiled> {
  const filename = nextCellFilename(execution.executionCount);
  let compiled: CompiledCell;
  try {
    compiled = await compileCell(argsInPlace(magic, skip), { filename, ...CELL_INSERTIONS });
  } catch (error) {
    if (error instanceof CellSyntaxError) throw error;
    throw new KernelFault(`compiling Cell In[${execution.executionCount}]`, error);
  }
  registerCell({ filename, executionCount: execution.executionCount, source: cell, execution, map: (l, c) => compiled.map(l, c) });
  return { cell: compiled, filename };
}

/** `skip`: where the statement starts in args, after the options. */
function parseTimeitArgs(args: string): { loops?: number; repeat: number; code: string; skip: number } {
  let rest = args.trim();
  let loops: number | undefined;
  let repeat = 7;
  for (;;) {
    const match = /^-(n|r)\s*(\d+)\s+/.exec(rest);
    if (!match) break;
    if (match[1] === "n") loops = Number(match[2]);
    else repeat = Number(match[2]);
    rest = rest.slice(match[0].length);
  }
  if ((loops !== undefined && loops < 1) || repeat < 1) throw new UsageError("%timeit: -n and -r take whole numbers of at least 1");
  if (rest === "") throw new UsageError("%timeit needs a statement: %timeit [-n N] [-r R] statement");
  return { loops, repeat, code: rest, skip: args.length - rest.length };
}

async function timeit(magic: Magic, cell: string, host: MagicHost, execution: Execution): Promise<Outcome> {
  let options: ReturnType<typeof parseTimeitArgs>;
  try {
    options = parseTimeitArgs(magic.args);
  } catch (error) {
    return { status: "error", error };
  }
  let script: vm.Script;
  try {
    const { cell: compiled, filename } = await compileArgs(magic, options.skip, cell, execution);
    script = cellScript(compiled, filename, execution.executionCount, cell);
  } catch (error) {
    if (error instanceof KernelFault) throw error;
    return { status: "error", error };
  }
  const once = () => script.runInThisContext() as Promise<unknown>;
  const timeLoops = async (loops: number): Promise<number> => {
    const started = performance.now();
    for (let i = 0; i < loops; i++) await once();
    return performance.now() - started;
  };
  try {
    let loops = options.loops;
    if (loops === undefined) {
      // IPython's rule: grow 1, 2, 5, 10, 20, 50, … until one run of the loops takes at least 0.2 s.
      for (let exponent = 0; ; exponent++) {
        const candidates = [1, 2, 5].map((m) => m * 10 ** exponent);
        const found = await (async () => {
          for (const n of candidates) if ((await timeLoops(n)) >= 200) return n;
          return undefined;
        })();
        if (found !== undefined || exponent >= 9) {
          loops = found ?? candidates[2];
          break;
        }
      }
    }
    const perLoop: number[] = [];
    for (let r = 0; r < options.repeat; r++) perLoop.push((await timeLoops(loops)) / loops);
    const mean = perLoop.reduce((a, b) => a + b, 0) / perLoop.length;
    const std = Math.sqrt(perLoop.reduce((a, b) => a + (b - mean) ** 2, 0) / perLoop.length);
    const runs = options.repeat === 1 ? "1 run" : `${options.repeat} runs`;
    const each = loops === 1 ? "1 loop each" : `${loops.toLocaleString("en-US")} loops each`;
    host.stream("stdout", `${duration(mean)} ± ${duration(std)} per loop (mean ± std. dev. of ${runs}, ${each})\n`, execution);
    return ok;
  } catch (error) {
    return { status: "error", error };
  }
}
