// What a source lesson grades: its exercises, each with the hidden-test cells that follow it and their points.
import { HIDDEN_TESTS, isExercise } from "../export/edition.ts";
import { hasTag, type Cell, type CodeCell, type Notebook } from "../notebook/types.ts";

export interface HiddenTest {
  cell: CodeCell;
  /** From the cell's metadata `points` (default 1). */
  points: number;
}

export interface Exercise {
  /** "Exercise 1: read files concurrently", from the Markdown that introduces it, or "Exercise N". */
  name: string;
  /** The id of the cell the learner fills in (kept by the student edition, so a submission has it too). */
  cellId: string;
  tests: HiddenTest[];
  points: number;
}

export interface GradingPlan {
  exercises: Exercise[];
  points: number;
}

/** A cell's `points` metadata when it is a number >= 0, else 1. */
export function pointsOf(cell: Cell): number {
  const points = cell.metadata.points;
  return typeof points === "number" && Number.isFinite(points) && points >= 0 ? points : 1;
}

/** The bold "**Exercise 2: ...**" lead of a Markdown cell, without its closing full stop. */
function exerciseTitle(markdown: string): string | undefined {
  const match = /\*\*(Exercise\b[^*]*?)\.?\*\*/.exec(markdown);
  return match?.[1].trim();
}

/**
 * Exercises in cell order. A hidden-tests cell belongs to the nearest exercise cell above it; an exercise
 * with no hidden tests is listed with 0 points (nothing grades it). Hidden tests above every exercise belong
 * to none and are ignored.
 */
export function gradingPlan(source: Notebook): GradingPlan {
  const exercises: Exercise[] = [];
  let title: string | undefined;
  for (const cell of source.cells) {
    if (cell.cell_type === "markdown") title = exerciseTitle(cell.source) ?? title;
    if (isExercise(cell) && !hasTag(cell, HIDDEN_TESTS)) {
      const named = typeof cell.metadata.exercise === "string" ? cell.metadata.exercise : title;
      const name = named && !exercises.some((e) => e.name === named) ? named : `Exercise ${exercises.length + 1}`;
      exercises.push({ name, cellId: cell.id, tests: [], points: 0 });
    } else if (cell.cell_type === "code" && hasTag(cell, HIDDEN_TESTS) && exercises.length > 0) {
      const exercise = exercises[exercises.length - 1];
      exercise.tests.push({ cell, points: pointsOf(cell) });
      exercise.points += pointsOf(cell);
    }
  }
  return { exercises, points: exercises.reduce((sum, e) => sum + e.points, 0) };
}
