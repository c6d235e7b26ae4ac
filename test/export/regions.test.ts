// Solution regions, prompts and hidden tests through both editions: the site pages, the hand-out notebooks, and
// the region rules themselves (property-based: no solution line ever reaches the student).
import fc from "fast-check";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportCourse } from "../../kernel/course/export/command.ts";
import { forEdition } from "../../kernel/course/export/edition.ts";
import { studentSource } from "../../kernel/course/export/regions.ts";
import { NotebookError, parseNotebook } from "../../kernel/course/notebook/read.ts";
import { code, markdown, notebook, stream } from "./fixture.ts";

const REGION_CELL = [
  "async function job(i: number): Promise<string> {",
  "  // BEGIN SOLUTION",
  "  await sleep(1000);",
  "  return `regionSecret ${i}`;",
  "  // END SOLUTION",
  "}",
  "// BEGIN PROMPT",
  "// const total = a + b; // the buggy starter",
  "// END PROMPT",
  "const results = await gather(job(1), job(2));",
].join("\n");

const lesson = notebook([
  markdown("# Regions\n\n**Exercise 1.** Write `job(i)`."),
  code(REGION_CELL, [stream("stdout", "region-output-text\n")], [], 4),
  code('check("Exercise 1", (t) => t.equal(results, ["a", "b"]));', [stream("stdout", "Exercise 1: all 1 passed\n")], [], 5),
  code('check("hidden", (t) => t.equal(hiddenSecretValue, 3));', [stream("stdout", "hidden-output-text\n")], ["hidden-tests"], 6),
  code("const wholeCellSecret = 1;", [], ["solution"], 7),
]);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "looplab-regions-"));
  writeFileSync(join(dir, "01-regions.ipynb"), JSON.stringify(lesson));
  exportCourse({ inputs: [join(dir, "01-regions.ipynb")], out: join(dir, "site"), format: "html", edition: "both" });
  exportCourse({ inputs: [join(dir, "01-regions.ipynb")], out: join(dir, "nb"), format: "ipynb", edition: "both" });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const read = (...parts: string[]) => readFileSync(join(dir, ...parts), "utf8");

describe("student edition", () => {
  it("keeps the starter code around a solution region, indented hole included, and uncomments prompts", () => {
    const handout = parseNotebook(read("nb", "student", "01-regions.ipynb"));
    const cell = handout.cells[1];
    expect(cell.source).toBe(
      [
        "async function job(i: number): Promise<string> {",
        "  // Your solution here",
        "}",
        "const total = a + b; // the buggy starter",
        "const results = await gather(job(1), job(2));",
      ].join("\n"),
    );
    expect(cell.metadata.tags).toContain("exercise");
    expect(cell.cell_type === "code" && cell.outputs).toEqual([]);
  });

  it("keeps visible checks without the outputs they showed on the solution", () => {
    const visible = parseNotebook(read("nb", "student", "01-regions.ipynb")).cells[2];
    expect(visible.source).toContain('check("Exercise 1"');
    expect(visible.cell_type === "code" && visible.outputs).toEqual([]);
    expect(read("site", "student", "01-regions.html")).not.toContain("all 1 passed");
    expect(read("site", "instructor", "01-regions.html")).toContain("all 1 passed");
  });

  it("keeps visible checks, drops hidden tests and whole-cell solutions, in the notebooks and on the pages", () => {
    const handout = read("nb", "student", "01-regions.ipynb");
    const page = read("site", "student", "01-regions.html");
    for (const text of [handout, page]) {
      expect(text).toContain("Exercise 1");
      for (const secret of ["regionSecret", "region-output-text", "hiddenSecretValue", "hidden-output-text", "wholeCellSecret", "BEGIN SOLUTION", "BEGIN PROMPT"]) {
        expect(text).not.toContain(secret);
      }
    }
    expect(page).toMatch(/<section class="cell code-cell exercise"[\s\S]*?Your solution here/);
    expect(parseNotebook(handout).cells.map((c) => c.metadata.tags ?? [])).toEqual([[], ["exercise"], [], ["exercise"]]);
  });
});

describe("instructor edition", () => {
  it("keeps everything: regions with their markers, hidden tests, solutions", () => {
    const handout = parseNotebook(read("nb", "instructor", "01-regions.ipynb"));
    expect(handout.cells.map((c) => c.source)).toEqual(parseNotebook(JSON.stringify(lesson)).cells.map((c) => c.source));
    const page = read("site", "instructor", "01-regions.html");
    for (const kept of ["regionSecret", "region-output-text", "hiddenSecretValue", "wholeCellSecret"]) expect(page).toContain(kept);
  });
});

describe("region rules", () => {
  it("refuses a region that is never closed, closed without opening, or nested, naming the cell and line", () => {
    const broken = (source: string) => () => forEdition(parseNotebook(JSON.stringify(notebook([code(source)]))), "student");
    expect(broken("a\n// BEGIN SOLUTION\nb")).toThrow(NotebookError);
    expect(broken("a\n// BEGIN SOLUTION\nb")).toThrow(/cell 1 \(id [\w-]+\), line 2: BEGIN SOLUTION is never closed/);
    expect(broken("// END SOLUTION")).toThrow(/line 1: END SOLUTION without a BEGIN SOLUTION/);
    expect(broken("// BEGIN SOLUTION\n// BEGIN PROMPT\n// END PROMPT\n// END SOLUTION")).toThrow(/line 2: BEGIN PROMPT inside the BEGIN SOLUTION of line 1/);
    // The instructor edition is the source itself: never refused.
    expect(forEdition(parseNotebook(JSON.stringify(notebook([code("// BEGIN SOLUTION")]))), "instructor").cells).toHaveLength(1);
  });

  it("hands out a prompt alone in place of the solution region right after it (a 'fix this' exercise)", () => {
    const fixThis = ["const a = 1;", "// BEGIN PROMPT", "// const total = a + b;", "// END PROMPT", "// BEGIN SOLUTION", "const total = a + (await b);", "// END SOLUTION", "total"].join("\n");
    expect(studentSource(fixThis, "typescript", "c")).toBe("const a = 1;\nconst total = a + b;\ntotal");
  });

  it("uses # for Python notebooks", () => {
    expect(studentSource("def f():\n    # BEGIN SOLUTION\n    return 1\n    # END SOLUTION", "python", "c")).toBe("def f():\n    # Your solution here");
  });

  it("never hands out a solution line, and keeps every other line in order", () => {
    const line = fc.stringMatching(/^[a-z ();=]{0,12}$/);
    const block = fc.record({ starter: fc.array(line, { maxLength: 3 }), solution: fc.array(line.map((s) => `SECRET${s}`), { maxLength: 3 }), indent: fc.constantFrom("", "  ", "\t") });
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 4 }), (blocks) => {
        const source = blocks.flatMap((b) => [...b.starter, `${b.indent}// BEGIN SOLUTION`, ...b.solution, `${b.indent}// END SOLUTION`]).join("\n");
        const expected = blocks.flatMap((b) => [...b.starter, `${b.indent}// Your solution here`]).join("\n");
        const student = studentSource(source, "typescript", "cell");
        expect(student).toBe(expected);
        expect(student).not.toContain("SECRET");
      }),
      { numRuns: 300 },
    );
  });
});
