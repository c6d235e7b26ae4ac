// The notebooks the front-end tests open: every lesson in notebooks/, and a small generated TypeScript notebook
// that exercises the kernel's features on its own (so these tests mean something before and beside the lessons).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../support/jupyter.ts";

export interface NotebookCell {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  metadata: { tags?: string[]; [key: string]: unknown };
  execution_count?: number | null;
  outputs?: Array<{ output_type: string; data?: Record<string, unknown>; ename?: string; evalue?: string; [key: string]: unknown }>;
}

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: { kernelspec?: { name: string; display_name: string; language?: string }; [key: string]: unknown };
  cells: NotebookCell[];
}

export const lessonsDir = join(repoRoot, "notebooks");

/** The lessons' file names, in course order (their names start with a number). */
export function lessonFiles(): string[] {
  return readdirSync(lessonsDir).filter((name) => name.endsWith(".ipynb")).sort();
}

/** Reads a notebook with nbformat's multi-line strings (stored as lists of lines) joined back into strings. */
export function readNotebook(path: string): Notebook {
  const notebook = JSON.parse(readFileSync(path, "utf8")) as Notebook;
  const joined = (value: unknown) => (Array.isArray(value) && value.every((line) => typeof line === "string") ? value.join("") : value);
  for (const cell of notebook.cells) {
    cell.source = joined(cell.source) as string;
    for (const output of cell.outputs ?? []) {
      if ("text" in output) output.text = joined(output.text);
      if (output.data) for (const mime of Object.keys(output.data)) output.data[mime] = joined(output.data[mime]);
    }
  }
  return notebook;
}

export function sourceOf(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

export function tagsOf(cell: NotebookCell): string[] {
  return cell.metadata.tags ?? [];
}

const code = (source: string, tags: string[] = []): NotebookCell => ({
  cell_type: "code",
  source,
  metadata: tags.length ? { tags } : {},
  execution_count: null,
  outputs: [],
});

/** A notebook of the kind a learner writes: types, top-level await, output, rich display, a timeline. */
export function demoNotebook(): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: "looplab", display_name: "TypeScript (LoopLab)", language: "typescript" },
      language_info: { name: "typescript" },
    },
    cells: [
      { cell_type: "markdown", source: "# Front-end check\nA few cells of TypeScript.", metadata: {} },
      code('interface Point {\n  x: number;\n  y: number;\n}\nconst origin: Point = { x: 3, y: 4 };\nMath.hypot(origin.x, origin.y)'),
      code('console.log("hello from LoopLab");\nconsole.error("a warning on stderr");'),
      code('const waited = await new Promise<string>((resolve) => setTimeout(() => resolve("awaited"), 20));\nwaited'),
      code('display.html("<b>bold</b> from display.html");\ndisplay.markdown("*markdown* too");'),
      code(
        'import { sleep, createTask, timeline } from "looplab";\n' +
          "await timeline(async () => {\n" +
          '  const jobs = [300, 200, 100].map((ms, i) => createTask(() => sleep(ms), { name: `job ${i + 1}` }));\n' +
          "  await Promise.all(jobs);\n" +
          "});",
      ),
      code('throw new Error("expected: this cell is tagged raises-exception");', ["raises-exception"]),
      code("origin.x * 10"),
    ],
  };
}
