// `looplab run`: execute notebooks through the real kernel and save their outputs as nbformat 4.5.
import { basename, join, relative, resolve } from "node:path";
import { parseCommand, positiveNumber } from "../../cli-args.ts";
import { stripAnsi } from "../notebook/ansi.ts";
import { NotebookError, readNotebook } from "../notebook/read.ts";
import { writeNotebook } from "../notebook/write.ts";
import { executeNotebook, type Failure } from "./execute-notebook.ts";
import type { KernelProcess } from "./kernel-process.ts";
import { createProgress, seconds, type Progress } from "./progress.ts";

const USAGE = `usage: looplab run NOTEBOOK... [--output-dir DIR | --inplace] [--timeout S] [--allow-errors] [--time-scale F] [--jobs N]

Runs every code cell of each notebook, in order, in a fresh LoopLab kernel and saves the outputs.
  --output-dir DIR   write the executed notebooks into DIR (same file names)
  --inplace          overwrite the notebooks themselves
                     (with neither, the notebooks are only executed: a check that they run)
  --timeout S        interrupt a cell after S seconds and count it as failed
  --allow-errors     record errors and keep going; exit code 0
  --time-scale F     run runtime sleeps and timeouts F times faster (LOOPLAB_TIME_SCALE)
  --jobs N           run N notebooks at once, each in its own kernel (default 1)
Cells tagged raises-exception may fail. Any other error stops that notebook and makes the exit code 1.
`;

export interface RunOptions {
  notebooks: string[];
  outputDir?: string;
  inplace: boolean;
  timeoutS?: number;
  allowErrors: boolean;
  timeScale?: number;
  /** How many notebooks run at once (each in its own kernel); default 1. */
  jobs?: number;
}

export interface NotebookReport {
  path: string;
  written?: string;
  ok: boolean;
  failure?: Failure;
  /** Set when the notebook could not be read or the kernel could not start. */
  problem?: string;
  ms: number;
}

/** Where the executed copy of `path` goes; undefined means "execute only". */
export function targetOf(path: string, options: Pick<RunOptions, "outputDir" | "inplace">): string | undefined {
  if (options.inplace) return path;
  return options.outputDir ? join(options.outputDir, basename(path)) : undefined;
}

/** The failing cell and its error, as a person reading a terminal wants to see them. */
export function describeFailure(path: string, failure: Failure): string {
  const source = failure.source.replace(/\n$/, "").split("\n").map((line, i) => `  ${String(i + 1).padStart(3)} | ${line}`).join("\n");
  const traceback = failure.error.traceback.length > 0 ? failure.error.traceback.join("\n") : `${failure.error.ename}: ${failure.error.evalue}`;
  const count = failure.executionCount === null ? "" : ` (In [${failure.executionCount}])`;
  return `\n${path}: cell ${failure.cellNumber}${count} failed:\n${source}\n\n${traceback}\n`;
}

/** A path as the user would type it: relative when below the working directory, absolute otherwise. */
export function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") ? rel : path;
}

/** Kernels running now, so Ctrl+C can stop them all. */
const current = new Set<KernelProcess>();

async function runOne(path: string, options: RunOptions, progress: Progress): Promise<NotebookReport> {
  const started = performance.now();
  const name = shown(path);
  progress.notebook(name);
  let kernel: KernelProcess | undefined;
  try {
    const source = readNotebook(path);
    const result = await executeNotebook(path, source, {
      timeoutS: options.timeoutS,
      allowErrors: options.allowErrors,
      timeScale: options.timeScale,
      onCell: (n, total) => progress.cell(name, n, total),
      onKernel: (k) => {
        if (kernel) current.delete(kernel);
        kernel = k;
        if (k) current.add(k);
      },
    });
    const ok = !result.failure || options.allowErrors;
    const target = targetOf(path, options);
    // A notebook that stopped on an error is not saved: a half-run notebook must not replace a good one.
    if (ok && target) writeNotebook(target, result.notebook);
    const report: NotebookReport = { path, ok, failure: result.failure, written: ok ? target : undefined, ms: performance.now() - started };
    if (result.failure && !options.allowErrors) {
      const text = describeFailure(name, result.failure);
      progress.note(process.stderr.isTTY ? text : stripAnsi(text));
    }
    const where = report.written ? ` -> ${shown(report.written)}` : "";
    const errors = result.failure && options.allowErrors ? " (with errors)" : "";
    progress.done(name, `${ok ? "ok    " : "FAILED"} ${name}  ${result.cellsRun} cells  ${seconds(report.ms)}${errors}${where}`);
    return report;
  } catch (error) {
    const problem = error instanceof NotebookError ? error.message : `${name}: ${(error as Error).message}`;
    progress.done(name, `FAILED ${name}  ${problem}`);
    return { path, ok: false, problem, ms: performance.now() - started };
  }
}

/**
 * Runs the notebooks, each in a kernel of its own, `jobs` at a time (lessons mostly wait on timers, so two
 * at once nearly halve the time); reports come back in the order of `options.notebooks`. Never throws for a
 * bad notebook: it is reported instead.
 */
export async function runNotebooks(options: RunOptions, progress: Progress = createProgress()): Promise<NotebookReport[]> {
  // Ctrl+C: stop the kernels now (they are in process groups of their own, so they did not get the signal).
  const onSigint = () => {
    for (const kernel of current) kernel.kill();
    progress.stop();
    process.stderr.write("\nlooplab run: interrupted\n");
    process.exit(130);
  };
  process.once("SIGINT", onSigint);
  const reports: NotebookReport[] = new Array(options.notebooks.length);
  let next = 0;
  const worker = async () => {
    while (next < options.notebooks.length) {
      const index = next++;
      reports[index] = await runOne(options.notebooks[index], options, progress);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs ?? 1, options.notebooks.length)) }, worker));
  } finally {
    process.removeListener("SIGINT", onSigint);
    progress.stop();
  }
  return reports;
}

export async function main(argv: string[]): Promise<number> {
  const options = parseCommand(
    "run",
    USAGE,
    {
      args: argv,
      allowPositionals: true,
      options: {
        "output-dir": { type: "string", short: "o" },
        inplace: { type: "boolean" },
        timeout: { type: "string" },
        "allow-errors": { type: "boolean" },
        "time-scale": { type: "string" },
        jobs: { type: "string", short: "j" },
        help: { type: "boolean", short: "h" },
      },
    },
    ({ values, positionals }): RunOptions => {
      if (positionals.length === 0) throw new Error("give at least one notebook");
      if (values.inplace && values["output-dir"]) throw new Error("use either --output-dir or --inplace, not both");
      return {
        notebooks: positionals.map((p) => resolve(p)),
        outputDir: values["output-dir"],
        inplace: values.inplace ?? false,
        timeoutS: positiveNumber(values.timeout, "timeout"),
        allowErrors: values["allow-errors"] ?? false,
        timeScale: positiveNumber(values["time-scale"], "time-scale"),
        jobs: Math.floor(positiveNumber(values.jobs, "jobs") ?? 1),
      };
    },
  );
  if (typeof options === "number") return options;
  const started = performance.now();
  const reports = await runNotebooks(options);
  const failed = reports.filter((r) => !r.ok).length;
  if (reports.length > 1) {
    const summary = failed === 0 ? `all ${reports.length} notebooks ran` : `${failed} of ${reports.length} notebooks failed`;
    process.stdout.write(`${summary} in ${seconds(performance.now() - started)}\n`);
  }
  return failed === 0 ? 0 : 1;
}
