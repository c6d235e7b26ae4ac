// The whole course as one printable document: a title page, then every lesson starting on a page of its own.
import type { Course } from "./course-model.ts";
import type { Edition } from "./edition.ts";
import { html, raw } from "./html.ts";
import { document } from "./layout.ts";
import { editionLabel, renderCells } from "./page.ts";

/** One HTML page holding every lesson of the edition's course, for `looplab export --format pdf`. */
export function renderCourseBook(course: Course, edition: Edition): string {
  const lessons = course.lessons.map((lesson) => {
    const cells = renderCells(lesson);
    return html`<section class="book-lesson" id="lesson-${lesson.name}">
<main class="page lesson">
  <p class="eyebrow">Lesson ${lesson.number} of ${course.lessons.length}</p>
  <article class="notebook">
${raw(cells.html)}
  </article>
</main>
</section>`;
  });
  const body = html`<section class="book-title page home">
<p class="eyebrow">${editionLabel(edition)}</p>
<h1>${course.title}</h1>
${course.description ? html`<p class="lede">${course.description}</p>` : ""}
<ol class="book-contents">${course.lessons.map((lesson) => html`<li>${lesson.shortTitle}</li>`)}</ol>
</section>
${lessons}`;
  return document({ title: `${course.title} · ${editionLabel(edition)}`, description: course.description, body: body.html });
}
