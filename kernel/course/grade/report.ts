// A submission's grade report: JSON for tools, and an HTML page (the export's page shell and output renderer).
import { highlight } from "../export/highlight.ts";
import { html, raw, type Raw } from "../export/html.ts";
import { document } from "../export/layout.ts";
import { renderOutputs } from "../export/output-html.ts";
import type { CodeCell, Notebook } from "../notebook/types.ts";
import type { ExerciseResult, SubmissionReport } from "./grade-submission.ts";

export function reportJson(report: SubmissionReport): string {
  return JSON.stringify(report, null, 2) + "\n";
}

function code(cell: CodeCell, label: string): Raw {
  const outputs = cell.outputs.length > 0 ? html`<div class="cell-outputs">${raw(renderOutputs(cell.outputs, `g${cell.id}`, {}))}</div>` : "";
  return html`<section class="cell code-cell"><div class="cell-input"><div class="cell-bar"><span class="prompt">${label}</span></div><pre class="code"><code class="hljs language-typescript">${raw(highlight(cell.source.replace(/\n$/, ""), "typescript"))}</code></pre></div>${outputs}</section>`;
}

/** The exercise's cell as the learner wrote it and the hidden tests as they ran, outputs included. */
function details(exercise: ExerciseResult, cells: Map<string, CodeCell>): Raw | "" {
  const own = cells.get(exercise.cellId);
  const tests = exercise.tests.map((t) => cells.get(t.cellId)).filter((c): c is CodeCell => c !== undefined);
  if (!own && tests.length === 0) return "";
  return html`<details class="toggle"${exercise.status === "passed" ? "" : raw(" open")}><summary>${exercise.name}: the submitted cell and the hidden tests</summary>
${own ? code(own, "Submitted") : ""}
${tests.map((cell) => code(cell, "Hidden test"))}
</details>`;
}

/** The HTML page of one report; `executed` (the notebook as it ran) adds each exercise's cells and outputs. */
export function reportHtml(report: SubmissionReport, executed?: Notebook): string {
  const cells = new Map((executed?.cells ?? []).filter((c): c is CodeCell => c.cell_type === "code").map((c) => [c.id, c]));
  const title = `${report.student}: ${report.lesson ?? "unknown lesson"}`;
  const body = html`<main class="page lesson"><article class="notebook prose">
<p class="eyebrow">Grade report</p>
<h1>${title}</h1>
<p><strong>${report.score} of ${report.maxScore} points</strong> · submission <code>${report.submission}</code> · graded in ${(report.ms / 1000).toFixed(1)} s</p>
${report.problem ? html`<p class="out-error" role="alert">Zero: ${report.problem}</p>` : ""}
<table><thead><tr><th>Exercise</th><th>Points</th><th>Result</th><th>Why</th></tr></thead><tbody>
${report.exercises.map((e) => html`<tr><td>${e.name}</td><td>${e.points} / ${e.maxPoints}</td><td>${e.status}</td><td>${e.message ?? ""}</td></tr>`)}
</tbody></table>
${report.exercises.map((e) => details(e, cells))}
</article></main>`;
  return document({ title: `Grade · ${title}`, body: body.html });
}

/** The class at a glance: one row per submission, linked to its report (`href` relative to the index). */
export function classIndexHtml(rows: readonly { report: SubmissionReport; href: string }[]): string {
  const body = html`<main class="page lesson"><article class="notebook prose">
<p class="eyebrow">Grade reports</p>
<h1>The class</h1>
<p>${rows.length} submission${rows.length === 1 ? "" : "s"} · <a href="grades.csv">grades.csv</a></p>
<table><thead><tr><th>Student</th><th>Lesson</th><th>Points</th><th>Note</th></tr></thead><tbody>
${rows.map(({ report, href }) => html`<tr><td>${report.student}</td><td><a href="${href}">${report.lesson ?? "unknown lesson"}</a></td><td>${report.score} / ${report.maxScore}</td><td>${report.problem ?? ""}</td></tr>`)}
</tbody></table>
</article></main>`;
  return document({ title: "Grade reports", body: body.html });
}
