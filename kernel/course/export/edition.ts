// The two editions of a course: instructor keeps every cell; student turns `solution` cells into empty exercises.
import { hasTag, tagsOf, type Cell, type Notebook } from "../notebook/types.ts";

export type Edition = "instructor" | "student";

/** Tags that would hide an exercise from the learner who must fill it in; an exercise is always shown. */
const HIDING_TAGS = new Set(["solution", "hide-input", "hide-output", "hide-cell", "remove-input", "remove-output"]);

/** The comment a student sees in place of a solution, in the notebook's language. */
export function placeholderFor(language: string): string {
  if (/python|bash|shell|^r$|ruby|julia/i.test(language)) return "# Your solution here\n";
  return "// Your solution here\n";
}

export function notebookLanguage(notebook: Notebook): string {
  const info = notebook.metadata.language_info?.name ?? notebook.metadata.kernelspec?.language;
  return typeof info === "string" && info ? info : "typescript";
}

function exerciseFrom(cell: Cell, language: string): Cell {
  const tags = [...tagsOf(cell).filter((t) => !HIDING_TAGS.has(t)), "exercise"];
  const metadata = { ...cell.metadata, tags };
  if (cell.cell_type === "code") {
    return { cell_type: "code", id: cell.id, source: placeholderFor(language), metadata, execution_count: null, outputs: [] };
  }
  return { cell_type: cell.cell_type, id: cell.id, source: "*Your answer here.*\n", metadata } as Cell;
}

/** The notebook as the given edition sees it; the input is never modified. */
export function forEdition(notebook: Notebook, edition: Edition): Notebook {
  if (edition === "instructor") return notebook;
  const language = notebookLanguage(notebook);
  const cells = notebook.cells.map((cell) => (hasTag(cell, "solution") ? exerciseFrom(cell, language) : cell));
  return { ...notebook, cells };
}

/** A notebook to hand out: every output gone and every execution count null, metadata (kernelspec) kept. */
export function withoutOutputs(notebook: Notebook): Notebook {
  const cells = notebook.cells.map((cell): Cell => (cell.cell_type === "code" ? { ...cell, outputs: [], execution_count: null } : cell));
  return { ...notebook, cells };
}
