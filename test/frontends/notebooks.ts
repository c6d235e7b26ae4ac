// The notebooks the front-end tests open: every lesson in notebooks/, and a small generated TypeScript notebook
// that exercises the kernel's features on its own (so these tests mean something before and beside the lessons).
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { CodeCell, Notebook } from "../../kernel/course/notebook/types.ts";
import { repoRoot } from "../support/jupyter.ts";

// The kernel's own notebook model: sources and outputs joined into strings when read, written as Jupyter does.
export { readNotebook } from "../../kernel/course/notebook/read.ts";
export { tagsOf, type CodeCell, type Notebook } from "../../kernel/course/notebook/types.ts";
export { writeNotebook } from "../../kernel/course/notebook/write.ts";

export const lessonsDir = join(repoRoot, "notebooks");

/** The lessons' file names, in course order (their names start with a number). */
export function lessonFiles(): string[] {
  return readdirSync(lessonsDir).filter((name) => name.endsWith(".ipynb")).sort();
}

const code = (id: string, source: string, tags: string[] = []): CodeCell => ({
  cell_type: "code",
  id,
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
      { cell_type: "markdown", id: "intro", source: "# Front-end check\nA few cells of TypeScript.", metadata: {} },
      code("hypot", 'interface Point {\n  x: number;\n  y: number;\n}\nconst origin: Point = { x: 3, y: 4 };\nMath.hypot(origin.x, origin.y)'),
      code("streams", 'console.log("hello from LoopLab");\nconsole.error("a warning on stderr");'),
      code("await", 'const waited = await new Promise<string>((resolve) => setTimeout(() => resolve("awaited"), 20));\nwaited'),
      code("display", 'display.html("<b>bold</b> from display.html");\ndisplay.markdown("*markdown* too");'),
      code(
        "timeline",
        'import { sleep, createTask, timeline } from "looplab";\n' +
          "await timeline(async () => {\n" +
          '  const jobs = [300, 200, 100].map((ms, i) => createTask(() => sleep(ms), { name: `job ${i + 1}` }));\n' +
          "  await Promise.all(jobs);\n" +
          "});",
      ),
      code("raises", 'throw new Error("expected: this cell is tagged raises-exception");', ["raises-exception"]),
      code("after-error", "origin.x * 10"),
    ],
  };
}
