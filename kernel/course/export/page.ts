// One lesson page: its cells (tags honoured as Jupyter Book does), header, and previous/next navigation.
import { hasTag, type Cell, type CodeCell } from "../notebook/types.ts";
import type { Course, Lesson } from "./course-model.ts";
import { HIDDEN_TESTS, notebookLanguage, type Edition } from "./edition.ts";
import { highlight } from "./highlight.ts";
import { html, raw, type Raw } from "./html.ts";
import { launchUrl } from "./launch-link.ts";
import { document, footer, topbar } from "./layout.ts";
import { renderMarkdown, type MarkdownEnv, type PageHeading } from "./markdown.ts";
import { renderOutputs } from "./output-html.ts";
import { sanitizeHtml } from "./sanitize.ts";
import { SEARCH_INDEX_SCRIPT, SEARCH_SCRIPT } from "./search-options.ts";
import { sidebar } from "./sidebar.ts";

export interface PageLinks {
  /** The edition's index page, relative to the page. */
  home: string;
  /** The same lesson in the other edition, when the site has both. */
  otherEdition?: { edition: Edition; href: string };
  /** Site landing page when editions live in subfolders. */
  landing?: string;
  /** The edition's notebook beside the page, for the download link. */
  notebook?: string;
  /** Whether the search scripts are beside the page (a site has them; a print-only page does not). */
  search?: boolean;
}

/** Collapsed, as Jupyter Book shows `hide-*` cells: present in the page, one click away. */
function toggle(summary: string, content: string): string {
  return `<details class="toggle"><summary>${summary}</summary>${content}</details>`;
}

function codeInput(cell: CodeCell, language: string): string {
  const badge = hasTag(cell, "exercise")
    ? `<span class="badge badge-exercise">Exercise · your turn</span>`
    : hasTag(cell, "solution")
      ? `<span class="badge badge-solution">Solution</span>`
      : hasTag(cell, HIDDEN_TESTS)
        ? `<span class="badge badge-solution">Hidden tests · for grading</span>`
        : hasTag(cell, "raises-exception")
          ? `<span class="badge badge-raises">Raises an error on purpose</span>`
          : "";
  const prompt = cell.execution_count === null ? "In [ ]" : `In [${cell.execution_count}]`;
  return (
    `<div class="cell-input"><div class="cell-bar"><span class="prompt">${prompt}</span>${badge}</div>` +
    `<pre class="code"><code class="hljs language-${language.replace(/[^\w+-]/g, "")}">${highlight(cell.source.replace(/\n$/, ""), language)}</code></pre></div>`
  );
}

function renderCode(cell: CodeCell, language: string, env: MarkdownEnv): string {
  const source = cell.source.trim();
  if (!source && cell.outputs.length === 0) return "";
  let input = hasTag(cell, "remove-input") || !source ? "" : codeInput(cell, language);
  if (input && hasTag(cell, "hide-input")) input = toggle("Show code", input);
  let outputs = hasTag(cell, "remove-output") || cell.outputs.length === 0 ? "" : renderOutputs(cell.outputs, `c${cell.id}`, env);
  if (outputs) outputs = `<div class="cell-outputs">${outputs}</div>`;
  if (outputs && hasTag(cell, "hide-output")) outputs = toggle("Show output", outputs);
  if (!input && !outputs) return "";
  const kind = hasTag(cell, "exercise") ? " exercise" : hasTag(cell, "solution") ? " solution" : "";
  const body = input + outputs;
  return `<section class="cell code-cell${kind}" id="cell-${cell.id}">${hasTag(cell, "hide-cell") ? toggle("Show cell", body) : body}</section>`;
}

function renderText(cell: Cell, env: MarkdownEnv): string {
  let body: string;
  if (cell.cell_type === "markdown") {
    body = renderMarkdown(cell.source, { ...env, attachments: cell.attachments });
  } else {
    // Raw cells reach a page only when they say they are HTML or Markdown (nbconvert's raw_mimetype).
    const format = String(cell.metadata.format ?? cell.metadata.raw_mimetype ?? "");
    if (format === "text/markdown") body = renderMarkdown(cell.source, env);
    else if (format === "text/html") body = sanitizeHtml(cell.source);
    else return "";
  }
  if (!body.trim()) return "";
  const exercise = hasTag(cell, "exercise") ? " exercise" : "";
  const hidden = hasTag(cell, "hide-cell") || hasTag(cell, "hide-input");
  return `<section class="cell text-cell prose${exercise}" id="cell-${cell.id}">${hidden ? toggle("Show more", body) : body}</section>`;
}

/**
 * Rendered cells, by cell object: both editions share every cell that is not a solution, so the second
 * edition reuses the first one's HTML (highlighting is most of an export's time). The headings a cell
 * rendered are kept too, so the page's contents and later heading ids come out the same.
 */
const rendered = new WeakMap<Cell, { html: string; headings: PageHeading[] }>();

type PageEnv = MarkdownEnv & { slugs: Set<string>; headings: PageHeading[] };

function renderCell(cell: Cell, language: string, env: PageEnv): string {
  const cached = rendered.get(cell);
  if (cached) {
    for (const heading of cached.headings) {
      env.slugs.add(heading.slug);
      env.headings.push(heading);
    }
    return cached.html;
  }
  const before = env.headings.length;
  const html = cell.cell_type === "code" ? renderCode(cell, language, env) : renderText(cell, env);
  rendered.set(cell, { html, headings: env.headings.slice(before) });
  return html;
}

export interface RenderedCells {
  html: string;
  headings: PageHeading[];
}

/** The cells of a lesson as HTML (`remove-cell` cells are gone), and the headings in them. */
export function renderCells(lesson: Lesson): RenderedCells {
  const language = notebookLanguage(lesson.notebook);
  // Always ".html": the cell cache above is keyed by cell alone, so every page must link lessons the same way.
  const env: PageEnv = { baseDir: lesson.folder, notebookLinkExtension: ".html", slugs: new Set(), headings: [] };
  const html = lesson.notebook.cells
    .filter((cell) => !hasTag(cell, "remove-cell"))
    .map((cell) => renderCell(cell, language, env))
    .filter(Boolean)
    .join("\n");
  return { html, headings: env.headings };
}

/** Links to take the lesson away: its notebook beside the page, and the course's hub when it has one. */
function lessonActions(course: Course, lesson: Lesson, edition: Edition, links: PageLinks): Raw | "" {
  const download = links.notebook ? html`<a class="action" href="${links.notebook}" download>Download this notebook (.ipynb)</a>` : "";
  const launch = course.launch ? html`<a class="action" href="${launchUrl(course.launch, lesson.name, edition)}" rel="noopener">${course.launch.label}</a>` : "";
  return download || launch ? html`<p class="lesson-actions">${download}${launch}</p>` : "";
}

function pagerLink(lesson: Lesson | undefined, rel: "prev" | "next"): Raw {
  if (!lesson) return html`<span class="pager-gap"></span>`;
  const label = rel === "prev" ? "← Previous" : "Next →";
  return html`<a class="pager-link pager-${rel}" rel="${rel}" href="${lesson.name}.html"><span class="pager-label">${label}</span><span class="pager-title">${lesson.shortTitle}</span></a>`;
}

export function editionLabel(edition: Edition): string {
  return edition === "student" ? "Student edition" : "Instructor edition";
}

/** A complete, self-contained HTML page for one lesson. */
export function renderLessonPage(course: Course, index: number, edition: Edition, links: PageLinks): string {
  const lesson = course.lessons[index];
  const total = course.lessons.length;
  const cells = renderCells(lesson);
  const body = html`
${raw(topbar(course.title, links.home, edition, links.otherEdition?.href && { href: links.otherEdition.href, label: `Switch to ${editionLabel(links.otherEdition.edition).toLowerCase()}` }, lesson.number / total))}
<div class="with-sidebar">
${sidebar(course, index, cells.headings)}
<main class="page lesson">
  <p class="eyebrow">Lesson ${lesson.number} of ${total}</p>
  ${lessonActions(course, lesson, edition, links)}
  <article class="notebook">
${raw(cells.html)}
  </article>
  <nav class="pager" aria-label="Lessons">
    ${pagerLink(course.lessons[index - 1], "prev")}
    ${pagerLink(course.lessons[index + 1], "next")}
  </nav>
</main>
</div>
${raw(footer(links.landing))}`;
  const scripts = links.search ? [SEARCH_INDEX_SCRIPT, SEARCH_SCRIPT] : [];
  return document({ title: `${lesson.title} · ${course.title}`, description: lesson.summary, body: body.html, scripts });
}
