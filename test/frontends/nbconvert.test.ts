// nbclient through `jupyter nbconvert --to notebook --execute`: every lesson (and a generated notebook) runs
// with the installed LoopLab kernelspec, the way a course is executed in CI or with papermill.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { installedKernel, jupyter, requireOrSkip, run, type JupyterHome } from "../support/jupyter.ts";
import { demoNotebook, lessonFiles, lessonsDir, readNotebook, tagsOf, writeNotebook, type CodeCell, type Notebook } from "./notebooks.ts";

/** Executes one notebook with nbconvert into outDir and returns the executed notebook. */
async function execute(home: JupyterHome, input: string, outDir: string, env: NodeJS.ProcessEnv = home.env): Promise<Notebook> {
  const finished = await run(
    jupyter,
    ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=120", "--output-dir", outDir, input],
    { env, timeoutMs: 170_000 },
  );
  const output = join(outDir, basename(input));
  expect(finished.code, `nbconvert failed on ${basename(input)}:\n${finished.stderr}`).toBe(0);
  expect(existsSync(output), finished.stderr).toBe(true);
  return readNotebook(output);
}

/** What nbclient leaves behind when every cell ran: a count on every code cell, errors only where expected. */
function expectAllCellsRan(notebook: Notebook) {
  const code = notebook.cells.filter((cell): cell is CodeCell => cell.cell_type === "code");
  expect(code.length).toBeGreaterThan(0);
  for (const [index, cell] of code.entries()) {
    const where = `code cell ${index + 1}:\n${cell.source}`;
    expect(cell.execution_count, where).toBeTypeOf("number");
    const errors = cell.outputs.filter((output) => output.output_type === "error");
    if (tagsOf(cell).includes("raises-exception")) expect(errors.length, `${where}\nis tagged raises-exception`).toBe(1);
    else expect(errors, where).toEqual([]);
  }
  expect(notebook.metadata.kernelspec?.name).toBe("looplab");
  expect(notebook.metadata.language_info?.name).toBe("typescript");
}

describe("jupyter nbconvert --execute (Debian's jupyter-nbconvert + python3-nbclient)", () => {
  if (!requireOrSkip("nbconvert", "nbclient")) return;

  let home: JupyterHome;
  let outDir: string;
  beforeAll(async () => {
    home = await installedKernel();
    outDir = join(home.dir, "executed");
    await mkdir(outDir, { recursive: true });
  });
  afterAll(async () => {
    await home?.remove();
  });

  test("a generated TypeScript notebook runs: results, streams, rich display, a timeline, an expected error", async () => {
    const input = join(home.dir, "demo.ipynb");
    writeNotebook(input, demoNotebook());
    const notebook = await execute(home, input, outDir);
    expectAllCellsRan(notebook);
    const outputs = notebook.cells.map((cell) => (cell.cell_type === "code" ? cell.outputs : []));
    const dataOf = (output: (typeof outputs)[number][number]) => ("data" in output ? output.data : {});
    expect(outputs[1]).toMatchObject([{ output_type: "execute_result", data: { "text/plain": "5" } }]);
    expect(outputs[2]).toMatchObject([
      { output_type: "stream", name: "stdout", text: "hello from LoopLab\n" },
      { output_type: "stream", name: "stderr", text: "a warning on stderr\n" },
    ]);
    expect(outputs[3]).toMatchObject([{ output_type: "execute_result", data: { "text/plain": "'awaited'" } }]);
    expect(outputs[4].map((output) => Object.keys(dataOf(output)))).toEqual([
      expect.arrayContaining(["text/html"]),
      expect.arrayContaining(["text/markdown"]),
    ]);
    const timelineSvg = outputs[5].flatMap((output) => Object.entries(dataOf(output))).find(([mime]) => mime === "image/svg+xml");
    expect(String(timelineSvg?.[1] ?? "")).toContain("job 1");
    expect(outputs[6]).toMatchObject([{ output_type: "error", ename: "Error" }]);
    expect(outputs[7]).toMatchObject([{ output_type: "execute_result", data: { "text/plain": "30" } }]);
  }, 180_000);

  const lessons = lessonFiles();
  test("there are lessons to run", () => {
    expect(lessons.length).toBeGreaterThan(0);
  });
  test.for(lessons)("lesson %s runs without an error", { timeout: 180_000 }, async (name) => {
    // At installedKernel()'s 4x: the lessons' checks hold what the text promises ("all answers after about a
    // second"), and at 20x a local HTTP round trip alone reads as a second of nominal time.
    expectAllCellsRan(await execute(home, join(lessonsDir, name), outDir));
  });
});
