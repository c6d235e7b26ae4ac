// The two editions of a course: instructor keeps every cell; student gets exercises with their starter code and no hidden tests.
import { hasTag, tagsOf, type Cell, type Notebook } from "../notebook/types.ts";
import { commentFor, hasRegions, studentSource } from "./regions.ts";

export type Edition = "instructor" | "student";

/** Cells with this tag hold the checks a grader runs; the student edition leaves them out. */
export const HIDDEN_TESTS = "hidden-tests";

/** Tags that would hide an exercise from the learner who must fill it in; an exercise is always shown. */
const HIDING_TAGS = new Set(["solution", "hide-input", "hide-output", "hide-cell", "remove-input", "remove-output"]);

/** The comment a student sees in place of a solution, in the notebook's language. */
export function placeholderFor(language: string): string {
  return `${commentFor(language)} Your solution here\n`;
}

export function notebookLanguage(notebook: Notebook): string {
  const info = notebook.metadata.language_info?.name ?? notebook.metadata.kernelspec?.language;
  return typeof info === "string" && info ? info : "typescript";
}

/** A cell the learner must complete: tagged `solution` (the whole cell), or holding solution or prompt regions. */
export function isExercise(cell: Cell): boolean {
  return hasTag(cell, "solution") || (cell.cell_type === "code" && hasRegions(cell.source));
}

function exerciseFrom(cell: Cell, language: string, index: number): Cell {
  const tags = [...tagsOf(cell).filter((t) => !HIDING_TAGS.has(t)), "exercise"];
  const metadata = { ...cell.metadata, tags };
  if (cell.cell_type === "code") {
    // Markers win over the tag: a `solution` cell with regions keeps the starter code around its holes.
    const source = hasRegions(cell.source) ? studentSource(cell.source, language, `cell ${index + 1} (id ${cell.id})`) : placeholderFor(language);
    return { cell_type: "code", id: cell.id, source, metadata, execution_count: null, outputs: [] };
  }
  return { cell_type: cell.cell_type, id: cell.id, source: "*Your answer here.*\n", metadata } as Cell;
}

/** The notebook as the given edition sees it; the input is never modified. Throws NotebookError for a broken region. */
export function forEdition(notebook: Notebook, edition: Edition): Notebook {
  if (edition === "instructor") return notebook;
  const language = notebookLanguage(notebook);
  // Code right after an exercise (its visible check, say) ran on the solution: its saved outputs would show
  // the learner "all passed" and the solution's results, so they go, up to the next Markdown cell.
  let afterExercise = false;
  const cells = notebook.cells.flatMap((cell, index): Cell[] => {
    if (hasTag(cell, HIDDEN_TESTS)) return [];
    if (isExercise(cell)) {
      afterExercise = true;
      return [exerciseFrom(cell, language, index)];
    }
    if (cell.cell_type === "markdown") afterExercise = false;
    return [afterExercise && cell.cell_type === "code" ? { ...cell, outputs: [], execution_count: null } : cell];
  });
  return { ...notebook, cells };
}

/** A notebook to hand out: every output gone and every execution count null, metadata (kernelspec) kept. */
export function withoutOutputs(notebook: Notebook): Notebook {
  const cells = notebook.cells.map((cell): Cell => (cell.cell_type === "code" ? { ...cell, outputs: [], execution_count: null } : cell));
  return { ...notebook, cells };
}
