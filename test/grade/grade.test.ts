// `looplab grade` on a small course, through the real command and kernel: the student edition scores 0, the
// instructor edition full marks, and broken or hostile submissions (an endless loop, process.exit(), a deleted
// exercise cell, a corrupt file) score zero where they fail, with the reason, without stopping the run.
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportCourse } from "../../kernel/course/export/command.ts";
import type { SubmissionReport } from "../../kernel/course/grade/grade-submission.ts";
import { code, markdown, notebook } from "../export/fixture.ts";
import { run } from "../support/jupyter.ts";
import { launcher } from "../support/kernel.ts";

const ADD = ["function add(a: number, b: number): number {", "  // BEGIN SOLUTION", "  return a + b;", "  // END SOLUTION", "}"].join("\n");
const PAUSE = "async function pause(): Promise<string> {\n  await sleep(1000);\n  return 'rested';\n}";

const lesson = notebook([
  markdown("# Sums and pauses"),
  code('import { check, sleep } from "looplab";', [], [], null),
  markdown("**Exercise 1: add.** Write `add(a, b)`."),
  { ...code(ADD, [], [], null), id: "ex-add" },
  code('check("Exercise 1", (t) => t.equal(add(1, 2), 3, "add(1, 2)"));', [], [], null),
  { ...code('import { check } from "looplab";\ncheck("Exercise 1, hidden", (t) => t.equal(add(20, 22), 42, "add(20, 22)"));', [], ["hidden-tests"], null), id: "test-add", metadata: { tags: ["hidden-tests"], points: 2 } },
  markdown("**Exercise 2: pause.** Write `pause()`, which waits one second."),
  { ...code(PAUSE, [], ["solution"], null), id: "ex-pause" },
  { ...code('import { check } from "looplab";\nawait check("Exercise 2, hidden", async (t) => {\n  t.equal(await t.took(() => pause(), 1000, "pause()", { within: 500 }), "rested", "its answer");\n});', [], ["hidden-tests"], null), id: "test-pause" },
]);

let dir: string;
let source: string;
let sourceHash: string;
let reports: Map<string, SubmissionReport>;
let graded: { code: number | null; stdout: string; stderr: string };

const hashOf = (folder: string) =>
  createHash("sha256")
    .update(readdirSync(folder).sort().map((name) => name + readFileSync(join(folder, name), "utf8")).join("\0"))
    .digest("hex");

/** A student's copy of the student edition with one cell's source replaced (or the cell removed). */
function edited(student: Record<string, unknown> | string, cellId: string, source: string | null): string {
  const copy = (typeof student === "string" ? JSON.parse(student) : structuredClone(student)) as { cells: { id: string; source: string | string[] }[] };
  copy.cells = source === null ? copy.cells.filter((c) => c.id !== cellId) : copy.cells.map((c) => (c.id === cellId ? { ...c, source } : c));
  return JSON.stringify(copy);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "looplab-grade-"));
  source = join(dir, "lessons");
  mkdirSync(source);
  writeFileSync(join(source, "01-sums.ipynb"), JSON.stringify(lesson));
  sourceHash = hashOf(source);
  exportCourse({ inputs: [source], out: join(dir, "editions"), format: "ipynb", edition: "both" });
  const student = JSON.parse(readFileSync(join(dir, "editions", "student", "01-sums.ipynb"), "utf8"));
  const subs = join(dir, "submissions");
  const put = (who: string, text: string) => {
    mkdirSync(join(subs, who), { recursive: true });
    writeFileSync(join(subs, who, "01-sums.ipynb"), text);
  };
  put("unchanged", JSON.stringify(student));
  put("teacher", readFileSync(join(dir, "editions", "instructor", "01-sums.ipynb"), "utf8"));
  put("looper", edited(edited(student, "ex-add", "function add(a: number, b: number) { return a + b; }\nwhile (true) {}"), "ex-pause", PAUSE));
  put("quitter", edited(edited(student, "ex-add", ADD), "ex-pause", `${PAUSE}\nprocess.exit(0);`));
  put("killer", edited(edited(student, "ex-add", ADD), "ex-pause", `${PAUSE}\nprocess.kill(process.pid, "SIGKILL");`));
  put("deleter", edited(edited(student, "ex-pause", PAUSE), "ex-add", null));
  put("corrupt", '{"nbformat": 4, "cells": [');
  writeFileSync(join(subs, "=HYPERLINK(1)_01-sums.ipynb"), edited(edited(student, "ex-add", ADD), "ex-pause", PAUSE));
  graded = await run(process.execPath, [launcher, "grade", subs, "--source", source, "--out", join(dir, "grades"), "--timeout", "4", "--jobs", "2"], { cwd: dir, timeoutMs: 170_000 });
  reports = new Map();
  for (const who of readdirSync(join(dir, "grades"))) {
    if (who.endsWith(".csv") || who.endsWith(".html")) continue;
    reports.set(who, JSON.parse(readFileSync(join(dir, "grades", who, "01-sums.json"), "utf8")));
  }
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const points = (who: string) => reports.get(who)!.exercises.map((e) => e.points);

describe("looplab grade", () => {
  it("finishes the whole class and says where the CSV is", () => {
    expect(graded.stderr).toBe("");
    expect(graded.code).toBe(0);
    expect(graded.stdout).toMatch(/graded 8 submissions in .*\(1 could not be graded: see their reports\): .*grades\.csv/);
    expect([...reports.keys()].sort()).toEqual(["_HYPERLINK_1_", "corrupt", "deleter", "killer", "looper", "quitter", "teacher", "unchanged"]);
  });

  it("gives the unmodified student edition 0 per exercise and the instructor edition full marks", () => {
    expect(points("unchanged")).toEqual([0, 0]);
    expect(reports.get("unchanged")!.exercises[0].message).toMatch(/Exercise 1, hidden: add\(20, 22\): expected 42, got undefined/);
    expect(reports.get("unchanged")!.exercises[1].message).toMatch(/pause is not defined/);
    expect(reports.get("teacher")).toMatchObject({ score: 3, maxScore: 3 });
    expect(reports.get("teacher")!.exercises.map((e) => [e.name, e.status])).toEqual([["Exercise 1: add", "passed"], ["Exercise 2: pause", "passed"]]);
  });

  it("zeroes an endless loop's exercise with the timeout and grades the next one", () => {
    expect(points("looper")).toEqual([0, 1]);
    expect(reports.get("looper")!.exercises[0].message).toMatch(/the exercise cell itself failed: TimeoutError: the cell did not finish within 4 s/);
  });

  it("zeroes the exercise that calls process.exit() and keeps the kernel for the rest", () => {
    expect(points("quitter")).toEqual([2, 0]);
    expect(reports.get("quitter")!.exercises[1].message).toMatch(/process\.exit/);
  });

  it("zeroes the exercise whose cell kills its kernel, keeping the points earned before", () => {
    expect(points("killer")).toEqual([2, 0]);
    expect(reports.get("killer")!.exercises[1].message).toMatch(/DeadKernelError: the kernel process exited \(SIGKILL\)/);
  });

  it("zeroes a deleted exercise cell as missing", () => {
    expect(points("deleter")).toEqual([0, 1]);
    expect(reports.get("deleter")!.exercises[0]).toMatchObject({ status: "missing", message: expect.stringContaining("ex-add") });
  });

  it("zeroes a corrupt file with the reason", () => {
    expect(reports.get("corrupt")).toMatchObject({ score: 0, maxScore: 3, problem: expect.stringMatching(/cannot be read: .*not valid JSON/) });
  });

  it("writes one CSV row per submission, formula-looking names made inert", () => {
    const rows = parse(readFileSync(join(dir, "grades", "grades.csv"), "utf8"), { columns: true }) as Record<string, string>[];
    const byStudent = Object.fromEntries(rows.map((r) => [r.student, r]));
    expect(Object.keys(rows[0])).toEqual(["student", "lesson", "score", "max_score", "exercise 1", "exercise 2", "problem", "submission"]);
    expect(byStudent.teacher).toMatchObject({ lesson: "01-sums", score: "3", max_score: "3", "exercise 1": "2", "exercise 2": "1", problem: "" });
    expect(byStudent.unchanged).toMatchObject({ score: "0", "exercise 1": "0", "exercise 2": "0" });
    expect(byStudent.corrupt.problem).toMatch(/not valid JSON/);
    expect(byStudent["'=HYPERLINK(1)"]).toMatchObject({ score: "3" });
  });

  it("writes an HTML report with the failing check's message and the outputs as they ran", () => {
    const page = readFileSync(join(dir, "grades", "unchanged", "01-sums.html"), "utf8");
    expect(page).toContain("0 of 3 points");
    expect(page).toContain("add(20, 22): expected 42, got undefined");
    expect(page).toContain("FAIL  add(20, 22)");
    expect(page).not.toMatch(/<script/i);
  });

  it("writes a class index linking every report", () => {
    const index = readFileSync(join(dir, "grades", "index.html"), "utf8");
    for (const who of reports.keys()) expect(index).toContain(`href="${who}/01-sums.html"`);
    expect(index).toMatch(/teacher<\/td><td><a [^>]+>01-sums<\/a><\/td><td>3 \/ 3/);
  });

  it("never changes the source lessons", () => {
    expect(hashOf(source)).toBe(sourceHash);
  });
});
