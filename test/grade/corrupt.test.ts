// Fault injection: damaged submissions (truncated files, wrong structure at any place) never throw out of the
// grader and never reach a kernel; each is a zero with the reader's reason, every exercise listed at 0 points.
import fc from "fast-check";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { forEdition } from "../../kernel/course/export/edition.ts";
import { gradeSubmission } from "../../kernel/course/grade/grade-submission.ts";
import { gradingPlan } from "../../kernel/course/grade/plan.ts";
import { readNotebook } from "../../kernel/course/notebook/read.ts";
import { serializeNotebook } from "../../kernel/course/notebook/write.ts";
import { repoRoot } from "../support/kernel.ts";

const source = readNotebook(join(repoRoot, "notebooks", "03-tasks-and-gather.ipynb"));
const lesson = { name: "03-tasks-and-gather", plan: gradingPlan(source) };
const studentText = serializeNotebook(forEdition(source, "student"));
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "looplab-corrupt-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function gradeText(text: string) {
  const path = join(dir, `${++n}-03-tasks-and-gather.ipynb`);
  writeFileSync(path, text);
  let kernels = 0;
  const graded = await gradeSubmission(path, "someone", lesson, { timeoutS: 5, onKernel: (k) => void (k && kernels++) });
  return { ...graded.report, kernels };
}

function expectZero(report: Awaited<ReturnType<typeof gradeText>>) {
  expect(report.kernels).toBe(0);
  expect(report.score).toBe(0);
  expect(report.maxScore).toBe(lesson.plan.points);
  expect(report.problem).toMatch(/^the submission cannot be read: .*03-tasks-and-gather\.ipynb/);
  expect(report.exercises.map((e) => e.points)).toEqual(lesson.plan.exercises.map(() => 0));
}

it("zeroes a file cut off anywhere", async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: studentText.length - 2 }), async (at) => expectZero(await gradeText(studentText.slice(0, at)))),
    { numRuns: 60 },
  );
});

/** Ways to break a notebook's structure that the reader must refuse, each at a place fast-check picks. */
const damage = fc.oneof(
  fc.record({ kind: fc.constant("nbformat" as const), value: fc.oneof(fc.constant(3), fc.string(), fc.constant(null)) }),
  fc.record({ kind: fc.constant("cells" as const), value: fc.oneof(fc.string(), fc.integer(), fc.dictionary(fc.string(), fc.string())) }),
  fc.record({ kind: fc.constant("cell" as const), index: fc.nat(), value: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.integer())) }),
  fc.record({ kind: fc.constant("cell_type" as const), index: fc.nat(), value: fc.string().filter((s) => !["code", "markdown", "raw"].includes(s)) }),
  fc.record({ kind: fc.constant("not an object" as const), value: fc.oneof(fc.array(fc.integer()), fc.string(), fc.integer()) }),
);

it("zeroes a notebook whose structure is wrong in any of these ways", async () => {
  await fc.assert(
    fc.asyncProperty(damage, async (d) => {
      const notebook = JSON.parse(studentText);
      if (d.kind === "nbformat") notebook.nbformat = d.value;
      else if (d.kind === "cells") notebook.cells = d.value;
      else if (d.kind === "cell") notebook.cells[d.index % notebook.cells.length] = d.value;
      else if (d.kind === "cell_type") notebook.cells[d.index % notebook.cells.length].cell_type = d.value;
      expectZero(await gradeText(JSON.stringify(d.kind === "not an object" ? d.value : notebook)));
    }),
    { numRuns: 80 },
  );
});

it("zeroes a file that is not there or not text", async () => {
  const missing = await gradeSubmission(join(dir, "gone-03-tasks-and-gather.ipynb"), "someone", lesson, { timeoutS: 5 });
  expect(missing.report).toMatchObject({ score: 0, problem: expect.stringMatching(/cannot be read: .* does not exist/) });
  const binary = await gradeText(readFileSync(process.execPath).subarray(0, 4096).toString("latin1"));
  expectZero(binary);
});
