// The course sidebar of a lesson page: the search box, every lesson, and the current lesson's sections.
import type { Course } from "./course-model.ts";
import { html, type Raw } from "./html.ts";
import type { PageHeading } from "./markdown.ts";

/** The search box; it stays hidden until the external search script has loaded the index (class search-ready). */
export function searchBox(): Raw {
  return html`<div class="search" role="search">
  <input type="search" id="site-search" placeholder="Search the course" aria-label="Search the course" autocomplete="off" spellcheck="false">
  <ol class="search-results" id="search-results" aria-live="polite" hidden></ol>
</div>`;
}

/**
 * Lessons in course order; under the current one its second-level headings. On a phone the list is one tap
 * away (a closed <details>), on a wide screen it stands open beside the text.
 */
export function sidebar(course: Course, current: number, headings: readonly PageHeading[]): Raw {
  const sections = headings.filter((h) => h.level === 2);
  const lessons = course.lessons.map((lesson, index) => {
    const here = index === current;
    const link = html`<a href="${lesson.name}.html"${here ? html` aria-current="page"` : ""}><span class="sidebar-number">${lesson.number}</span><span>${lesson.shortTitle}</span></a>`;
    if (!here) return html`<li>${link}</li>`;
    const list = sections.length ? html`<ol class="sidebar-sections">${sections.map((h) => html`<li><a href="#${h.slug}">${h.text}</a></li>`)}</ol>` : "";
    return html`<li class="current">${link}${list}</li>`;
  });
  return html`<aside class="sidebar" aria-label="Course">
${searchBox()}
<details class="sidebar-contents">
  <summary>Course contents <span class="sidebar-where">lesson ${course.lessons[current].number} of ${course.lessons.length}</span></summary>
  <nav aria-label="Lessons"><ol class="sidebar-lessons">${lessons}</ol></nav>
</details>
</aside>`;
}
