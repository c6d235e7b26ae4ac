// Grades one submission: its cells, then the source lesson's hidden tests right after each exercise, in a fresh kernel.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { HIDDEN_TESTS } from "../export/edition.ts";
import { stripAnsi } from "../notebook/ansi.ts";
import { NotebookError, readNotebook } from "../notebook/read.ts";
import { hasTag, type Cell, type CodeCell, type ErrorOutput, type Notebook } from "../notebook/types.ts";
import { executeNotebook } from "../run/execute-notebook.ts";
import type { KernelProcess } from "../run/kernel-process.ts";
import type { GradingPlan } from "./plan.ts";

export interface TestResult {
  cellId: string;
  points: number;
  maxPoints: number;
  passed: boolean;
  /** Why it failed: the failing check's message, a timeout, a dead kernel. */
  message?: string;
}

export type ExerciseStatus = "passed" | "partly passed" | "failed" | "missing" | "ungraded";

export interface ExerciseResult {
  name: string;
  cellId: string;
  points: number;
  maxPoints: number;
  status: ExerciseStatus;
  message?: string;
  tests: TestResult[];
}

export interface SubmissionReport {
  submission: string;
  student: string;
  /** The source lesson's name (file name without .ipynb), when one matched. */
  lesson?: string;
  score: number;
  maxScore: number;
  /** Set when the whole submission scored zero before any test ran: unreadable, no matching lesson, no kernel. */
  problem?: string;
  exercises: ExerciseResult[];
  ms: number;
}

export interface GradeOptions {
  timeoutS: number;
  timeScale?: number;
  onKernel?: (kernel: KernelProcess | undefined) => void;
  onCell?: (number: number, total: number) => void;
}

export interface Graded {
  report: SubmissionReport;
  /** The submission as it ran, hidden tests included, with their outputs (for the HTML report). */
  executed?: Notebook;
}

/** The cell's error; the last one, since a timeout or a dead kernel is recorded after what the kernel said. */
function errorOf(cell: Cell | undefined): ErrorOutput | undefined {
  return cell?.cell_type === "code" ? cell.outputs.findLast((o): o is ErrorOutput => o.output_type === "error") : undefined;
}

function oneLine(error: { ename: string; evalue: string }): string {
  return stripAnsi(`${error.ename}: ${error.evalue}`).replace(/\s+/g, " ").trim();
}

/** A fresh copy of a hidden-test cell to run: its outputs are the grader's, not the source's. */
function testCell(cell: CodeCell): CodeCell {
  return { ...structuredClone(cell), outputs: [], execution_count: null };
}

/**
 * The notebook to run: the submission's own cells (any hidden-tests cell it carries is dropped, the source's
 * are the ones that count), each exercise followed by the source's hidden tests for it. Exercises whose cell
 * the submission lacks are returned as missing; their tests are not run.
 */
export function withHiddenTests(submission: Notebook, plan: GradingPlan): { notebook: Notebook; missing: Set<string> } {
  const testIds = new Set(plan.exercises.flatMap((e) => e.tests.map((t) => t.cell.id)));
  const own = submission.cells.filter((cell) => !hasTag(cell, HIDDEN_TESTS) && !testIds.has(cell.id));
  const present = new Set(own.filter((cell) => cell.cell_type === "code").map((cell) => cell.id));
  const byCell = new Map(plan.exercises.map((e) => [e.cellId, e]));
  const cells = own.flatMap((cell) => {
    const exercise = cell.cell_type === "code" ? byCell.get(cell.id) : undefined;
    return exercise ? [cell, ...exercise.tests.map((t) => testCell(t.cell))] : [cell];
  });
  const missing = new Set(plan.exercises.filter((e) => !present.has(e.cellId)).map((e) => e.cellId));
  return { notebook: { ...submission, cells }, missing };
}

function zero(plan: GradingPlan | undefined, base: Omit<SubmissionReport, "score" | "maxScore" | "exercises">, reason: string): SubmissionReport {
  const exercises = (plan?.exercises ?? []).map(
    (e): ExerciseResult => ({ name: e.name, cellId: e.cellId, points: 0, maxPoints: e.points, status: "failed", message: reason, tests: [] }),
  );
  return { ...base, score: 0, maxScore: plan?.points ?? 0, problem: reason, exercises };
}

/** Grades `path` against `plan`; never throws: whatever goes wrong becomes a zero with its reason. */
export async function gradeSubmission(
  path: string,
  student: string,
  lesson: { name: string; plan: GradingPlan } | undefined,
  options: GradeOptions,
): Promise<Graded> {
  const started = performance.now();
  const base = { submission: path, student, lesson: lesson?.name, ms: 0 };
  const done = (report: SubmissionReport, executed?: Notebook): Graded => ({ report: { ...report, ms: Math.round(performance.now() - started) }, executed });
  if (!lesson) return done(zero(undefined, base, `no source lesson matches the file name ${basename(path)}`));
  let submission: Notebook;
  try {
    submission = readNotebook(path);
  } catch (error) {
    const reason = error instanceof NotebookError ? error.message : (error as Error).message;
    return done(zero(lesson.plan, base, `the submission cannot be read: ${reason}`));
  }
  const { notebook, missing } = withHiddenTests(submission, lesson.plan);
  // A folder of its own as the kernel's working directory: whatever the submission writes lands there.
  const workdir = mkdtempSync(join(tmpdir(), "looplab-grade-"));
  let executed: Notebook;
  try {
    const result = await executeNotebook(join(workdir, basename(path)), notebook, {
      timeoutS: options.timeoutS,
      timeScale: options.timeScale,
      allowErrors: true,
      onKernel: options.onKernel,
      onCell: options.onCell,
    });
    executed = result.notebook;
  } catch (error) {
    return done(zero(lesson.plan, base, `the kernel could not run the submission: ${(error as Error).message}`));
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
  const cells = new Map(executed.cells.map((cell) => [cell.id, cell]));
  // Where the kernel stopped, if it did: tests after it never ran, and the report says why.
  const died = executed.cells.map(errorOf).find((e) => e?.ename === "DeadKernelError" || (e?.ename === "TimeoutError" && /kernel was stopped/.test(e.evalue)));
  const exercises = lesson.plan.exercises.map((exercise): ExerciseResult => {
    const common = { name: exercise.name, cellId: exercise.cellId, maxPoints: exercise.points };
    if (missing.has(exercise.cellId)) {
      return { ...common, points: 0, status: "missing", message: `the exercise cell (id ${exercise.cellId}) is not in the submission: deleted or replaced`, tests: [] };
    }
    if (exercise.tests.length === 0) return { ...common, points: 0, status: "ungraded", message: "no hidden tests for this exercise", tests: [] };
    const ownCell = cells.get(exercise.cellId)!;
    const own = errorOf(ownCell);
    const tests = exercise.tests.map((test): TestResult => {
      const ran = cells.get(test.cell.id) as CodeCell | undefined;
      const error = errorOf(ran);
      const result = { cellId: test.cell.id, maxPoints: test.points };
      if (!ran || (ran.execution_count === null && ran.outputs.length === 0)) {
        return { ...result, points: 0, passed: false, message: `not run: ${died ? `the kernel stopped earlier (${oneLine(died)})` : "the notebook stopped before it"}` };
      }
      if (!error) return { ...result, points: test.points, passed: true };
      return { ...result, points: 0, passed: false, message: oneLine(error) };
    });
    // A cell that loops until interrupted, exits or throws is not a working answer, whatever its tests say.
    if (own && !hasTag(ownCell, "raises-exception")) {
      return { ...common, points: 0, status: "failed", message: `the exercise cell itself failed: ${oneLine(own)}`, tests: tests.map((t) => ({ ...t, points: 0 })) };
    }
    const points = tests.reduce((sum, t) => sum + t.points, 0);
    const failedTest = tests.find((t) => !t.passed);
    const status: ExerciseStatus = !failedTest ? "passed" : points > 0 ? "partly passed" : "failed";
    return { ...common, points, status, message: failedTest?.message, tests };
  });
  const score = exercises.reduce((sum, e) => sum + e.points, 0);
  return done({ ...base, score, maxScore: lesson.plan.points, exercises }, executed);
}
