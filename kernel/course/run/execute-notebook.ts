// Executes one notebook in a fresh kernel process, cell by cell over ZeroMQ, recording outputs as Jupyter does.
import { dirname, resolve } from "node:path";
import type { Exchange } from "../client.ts";
import { hasTag, type CodeCell, type ErrorOutput, type Notebook } from "../notebook/types.ts";
import type { Message } from "../../wire/message.ts";
import { KernelProcess } from "./kernel-process.ts";
import { NotebookRecorder, type CellRecorder } from "./recorder.ts";

export interface ExecuteOptions {
  /** Seconds one cell may run before it is interrupted and counted as failed; none by default. */
  timeoutS?: number;
  /** Record errors and go on (like nbconvert --allow-errors) instead of stopping at the first one. */
  allowErrors?: boolean;
  /** LOOPLAB_TIME_SCALE for the kernel: runtime sleeps run that many times faster, times stay nominal. */
  timeScale?: number;
  /** Called before each code cell runs (1-based number of m non-empty code cells). */
  onCell?: (number: number, total: number) => void;
  /** Called with the kernel once it runs, so a Ctrl+C handler can kill it. */
  onKernel?: (kernel: KernelProcess | undefined) => void;
}

export interface Failure {
  /** 1-based index among all cells of the notebook. */
  cellNumber: number;
  /** Its execution count (the In [n] the traceback names), when it got one. */
  executionCount: number | null;
  source: string;
  /** The error the kernel reported, or why the cell never finished. */
  error: ErrorOutput | { ename: string; evalue: string; traceback: string[] };
}

export interface ExecuteResult {
  notebook: Notebook;
  /** The first error that stopped the notebook (or, with allowErrors, the first one recorded). */
  failure?: Failure;
  cellsRun: number;
}

const KERNELSPEC = { name: "looplab", display_name: "TypeScript (LoopLab)", language: "typescript" };

function parentId(message: Message): string {
  return (message.parent_header as { msg_id?: string }).msg_id ?? "";
}

/** The notebook with fresh outputs; the input notebook object is not modified. */
export async function executeNotebook(path: string, source: Notebook, options: ExecuteOptions = {}): Promise<ExecuteResult> {
  const notebook: Notebook = structuredClone(source);
  // A batch run stops listening at each cell's reply: the reply waits for the cell's type diagnostics.
  const env: Record<string, string> = { LOOPLAB_TYPECHECK_BEFORE_REPLY: "1", ...(options.timeScale ? { LOOPLAB_TIME_SCALE: String(options.timeScale) } : {}) };
  const kernel = await KernelProcess.start({ cwd: dirname(resolve(path)), env });
  options.onKernel?.(kernel);
  const recorder = new NotebookRecorder();
  // Output can arrive after a cell's reply (background tasks): route every message to the cell that caused it.
  const routes = new Map<string, CellRecorder>();
  const early = new Map<string, Message[]>();
  const unsubscribe = kernel.client.onIopub((message) => {
    const id = parentId(message);
    const route = routes.get(id);
    if (route) route.feed(message);
    else if (id) early.set(id, [...(early.get(id) ?? []), message]);
  });
  try {
    const info = await kernel.client.request("shell", "kernel_info_request", {});
    const languageInfo = info.reply.content.language_info;
    if (typeof languageInfo === "object" && languageInfo !== null) notebook.metadata.language_info = languageInfo as Notebook["metadata"]["language_info"];
    notebook.metadata.kernelspec ??= KERNELSPEC;

    const codeCells = notebook.cells.filter((cell): cell is CodeCell => cell.cell_type === "code");
    let failure: Failure | undefined;
    let ran = 0;
    // Empty cells are left alone, as nbclient does (no execution count, no request), so the progress total skips them too.
    const toRun = codeCells.filter((cell) => cell.source.trim()).length;
    for (const cell of codeCells) {
      cell.outputs = [];
      cell.execution_count = null;
    }
    for (const cell of codeCells) {
      if (!cell.source.trim()) continue;
      options.onCell?.(++ran, toRun);
      const cellRecorder = recorder.cell(cell);
      const attach = (message: Message) => {
        const id = parentId(message);
        if (routes.has(id)) return;
        routes.set(id, cellRecorder);
        for (const m of early.get(id) ?? []) cellRecorder.feed(m);
        early.delete(id);
      };
      const outcome = await runCell(kernel, cell.source, attach, options.timeoutS);
      if (outcome.exchange) {
        attach(outcome.exchange.reply);
        const count = outcome.exchange.reply.content.execution_count;
        if (typeof count === "number") cell.execution_count = count;
      }
      const error = outcome.problem ?? (outcome.exchange?.reply.content.status === "error" ? replyError(outcome.exchange, cell) : undefined);
      if (!error) continue;
      if (outcome.problem) cell.outputs.push({ output_type: "error", ...outcome.problem });
      if (hasTag(cell, "raises-exception") && !outcome.problem) continue;
      failure ??= { cellNumber: notebook.cells.indexOf(cell) + 1, executionCount: cell.execution_count, source: cell.source, error };
      if (!options.allowErrors || !kernel.running) break;
    }
    return { notebook, failure, cellsRun: ran };
  } finally {
    unsubscribe();
    options.onKernel?.(undefined);
    await kernel.stop();
  }
}

function replyError(exchange: Exchange, cell: CodeCell): Failure["error"] {
  const recorded = cell.outputs.find((o): o is ErrorOutput => o.output_type === "error");
  if (recorded) return recorded;
  const c = exchange.reply.content;
  return { ename: String(c.ename ?? "Error"), evalue: String(c.evalue ?? ""), traceback: Array.isArray(c.traceback) ? c.traceback.map(String) : [] };
}

interface CellOutcome {
  exchange?: Exchange;
  /** Why the cell has no normal reply: it timed out or the kernel died. */
  problem?: { ename: string; evalue: string; traceback: string[] };
}

async function runCell(kernel: KernelProcess, code: string, attach: (m: Message) => void, timeoutS: number | undefined): Promise<CellOutcome> {
  const request = kernel.client.execute(code, { stopOnError: true, onIopub: attach });
  const died = kernel.exited.then((code) => ({ died: code }));
  const first = await Promise.race([request.then((exchange) => ({ exchange })), died, ...(timeoutS ? [delay(timeoutS * 1000, { timedOut: true as const })] : [])]);
  if ("exchange" in first) return first;
  if ("died" in first) return { problem: deadKernel(first.died, kernel) };
  // Timed out: interrupt like Jupyter does, and give the kernel a moment to report how the cell ended.
  kernel.interrupt();
  const after = await Promise.race([request.then((exchange) => ({ exchange })), died, delay(10_000, { stuck: true as const })]);
  const message = `the cell did not finish within ${timeoutS} s (--timeout) and was interrupted`;
  if ("exchange" in after) return { exchange: after.exchange, problem: { ename: "TimeoutError", evalue: message, traceback: [`TimeoutError: ${message}`] } };
  if ("died" in after) return { problem: deadKernel(after.died, kernel) };
  kernel.kill();
  return { problem: { ename: "TimeoutError", evalue: `${message}; it ignored the interrupt, so the kernel was stopped`, traceback: [] } };
}

function deadKernel(code: number | string | null, kernel: KernelProcess): { ename: string; evalue: string; traceback: string[] } {
  const log = kernel.log().trim().split("\n").slice(-10);
  return { ename: "DeadKernelError", evalue: `the kernel process exited (${code}) while the cell ran`, traceback: log };
}

function delay<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms).unref());
}
