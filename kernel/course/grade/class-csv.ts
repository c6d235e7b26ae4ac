// The class's grades as one CSV: a row per submission, a column per exercise (by its number in the lesson).
import { stringify } from "csv-stringify/sync";
import type { SubmissionReport } from "./grade-submission.ts";

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start) gets a leading apostrophe:
 * student names come from file names, which anyone can choose (OWASP's CSV injection advice).
 */
function inert(value: string | number): string | number {
  return typeof value === "string" && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function classCsv(reports: readonly SubmissionReport[]): string {
  const width = Math.max(0, ...reports.map((r) => r.exercises.length));
  const exerciseColumns = Array.from({ length: width }, (_, i) => `exercise ${i + 1}`);
  const header = ["student", "lesson", "score", "max_score", ...exerciseColumns, "problem", "submission"];
  const rows = reports.map((r) => [
    r.student,
    r.lesson ?? "",
    r.score,
    r.maxScore,
    ...exerciseColumns.map((_, i) => (r.exercises[i] ? r.exercises[i].points : "")),
    r.problem ?? "",
    r.submission,
  ]);
  return stringify([header, ...rows.map((row) => row.map(inert))]);
}
