// The ten lessons graded as a teacher would: the student edition handed back untouched scores 0 on every exercise,
// the instructor edition full marks, and every exercise has hidden tests worth points.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportCourse } from "../../kernel/course/export/command.ts";
import { gradeAll } from "../../kernel/course/grade/command.ts";
import type { SubmissionReport } from "../../kernel/course/grade/grade-submission.ts";
import { gradingPlan } from "../../kernel/course/grade/plan.ts";
import { parseNotebook } from "../../kernel/course/notebook/read.ts";
import { repoRoot } from "../support/kernel.ts";

const lessonsDir = join(repoRoot, "notebooks");
const lessons = readdirSync(lessonsDir).filter((name) => /^\d\d-.*\.ipynb$/.test(name)).sort();
let dir: string;
const graded = new Map<string, SubmissionReport>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "looplab-grade-lessons-"));
  exportCourse({ inputs: [lessonsDir], out: join(dir, "handed-back"), format: "ipynb", edition: "both" });
  const { reports } = await gradeAll({
    submissions: [join(dir, "handed-back")],
    source: lessonsDir,
    out: join(dir, "grades"),
    timeoutS: 120,
    // The lessons test's gentlest scale: their timing checks hold under it on a loaded machine.
    timeScale: 2,
    jobs: 2,
  });
  for (const report of reports) graded.set(`${report.student}/${report.lesson}`, report);
}, 600_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(lessons)("%s", (file) => {
  const name = file.replace(/\.ipynb$/, "");

  it("has hidden tests, worth points, for each of its exercises", () => {
    const source = readFileSync(join(lessonsDir, file), "utf8");
    const plan = gradingPlan(parseNotebook(source));
    const announced = [...source.matchAll(/\*\*Exercise \d/g)].length;
    expect(plan.exercises).toHaveLength(announced);
    for (const exercise of plan.exercises) expect(exercise.points, exercise.name).toBeGreaterThan(0);
  });

  it("scores 0 on every exercise for the unmodified student edition", () => {
    const report = graded.get(`student/${name}`)!;
    expect(report.problem).toBeUndefined();
    expect(report.exercises.length).toBeGreaterThan(0);
    for (const exercise of report.exercises) {
      expect(exercise.points, `${exercise.name}: ${exercise.message}`).toBe(0);
      expect(exercise.message, exercise.name).toBeTruthy();
    }
  });

  it("gives the instructor edition full marks", () => {
    const report = graded.get(`instructor/${name}`)!;
    const failing = report.exercises.filter((e) => e.status !== "passed").map((e) => `${e.name}: ${e.message}`);
    expect(failing).toEqual([]);
    expect(report.score).toBe(report.maxScore);
    expect(report.maxScore).toBeGreaterThan(0);
  });
});
