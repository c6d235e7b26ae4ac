// The course's front pages: an edition's lesson list, and the landing page linking both editions.
import type { Course, Lesson } from "./course-model.ts";
import type { Edition } from "./edition.ts";
import { html, raw, type Raw } from "./html.ts";
import { document, footer, topbar } from "./layout.ts";
import { editionLabel } from "./page.ts";
import { SEARCH_INDEX_SCRIPT, SEARCH_SCRIPT } from "./search-options.ts";
import { searchBox } from "./sidebar.ts";

function lessonCard(lesson: Lesson, prefix: string, extra?: Raw): Raw {
  return html`<li class="card">
  <a class="card-link" href="${prefix}${lesson.name}.html">
    <span class="card-number" aria-hidden="true">${String(lesson.number).padStart(2, "0")}</span>
    <span class="card-body">
      <span class="card-title">${lesson.shortTitle}</span>
      ${lesson.summary ? html`<span class="card-summary">${lesson.summary}</span>` : ""}
    </span>
  </a>${extra ?? ""}
</li>`;
}

function hero(course: Course, eyebrow: string): Raw {
  return html`<section class="hero">
  <p class="eyebrow">${eyebrow}</p>
  <h1>${course.title}</h1>
  ${course.description ? html`<p class="lede">${course.description}</p>` : ""}
</section>`;
}

function count(n: number): string {
  return `${n} lesson${n === 1 ? "" : "s"}`;
}

/** index.html of one edition: a card per lesson, in course order. */
export function renderEditionIndex(course: Course, edition: Edition, links: { otherEdition?: string; landing?: string; search?: boolean }): string {
  const other = links.otherEdition ? { href: links.otherEdition, label: `Switch to ${editionLabel(edition === "student" ? "instructor" : "student").toLowerCase()}` } : undefined;
  const body = html`${raw(topbar(course.title, "index.html", edition, other))}
<main class="page home">
${hero(course, `${editionLabel(edition)} · ${count(course.lessons.length)}`)}
${links.search ? searchBox() : ""}
<ol class="cards">
${course.lessons.map((lesson) => lessonCard(lesson, ""))}
</ol>
</main>
${raw(footer(links.landing))}`;
  const scripts = links.search ? [SEARCH_INDEX_SCRIPT, SEARCH_SCRIPT] : [];
  return document({ title: `${course.title} · ${editionLabel(edition)}`, description: course.description, body: body.html, scripts });
}

/**
 * The landing page when both editions are exported, for the teacher's own machine: it links both, so it is
 * never the page to publish. It says which folder is (student/), and links no instructor page beside a lesson.
 */
export function renderLanding(course: Course): string {
  const body = html`${raw(topbar(course.title, "index.html", undefined))}
<main class="page home">
${hero(course, count(course.lessons.length))}
<div class="editions">
  <a class="edition-card" href="student/index.html">
    <span class="edition edition-student">Student</span>
    <span class="edition-card-title">Student edition</span>
    <span class="card-summary">Every lesson with its exercises left for you to solve.</span>
  </a>
  <a class="edition-card" href="instructor/index.html">
    <span class="edition edition-instructor">Instructor</span>
    <span class="edition-card-title">Instructor edition</span>
    <span class="card-summary">The same lessons with worked solutions and their outputs.</span>
  </a>
</div>
<p class="publish-note"><strong>To publish:</strong> put the <code>student/</code> folder on the web as it is; it holds no
solutions and links nothing outside itself. Keep <code>instructor/</code> (solutions) and this page for yourself.</p>
<h2 class="section-title">Lessons</h2>
<ol class="cards">
${course.lessons.map((lesson) => lessonCard(lesson, "student/"))}
</ol>
</main>
${raw(footer())}`;
  return document({ title: course.title, description: course.description, body: body.html });
}
