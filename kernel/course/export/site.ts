// Writes the HTML course: one edition into a folder, or both as student/ and instructor/ under a landing page.
import { serializeNotebook } from "../notebook/write.ts";
import { OutputFolder } from "../output-folder.ts";
import type { Course } from "./course-model.ts";
import { forEdition, withoutOutputs, type Edition } from "./edition.ts";
import { renderEditionIndex, renderLanding } from "./index-page.ts";
import { renderLessonPage } from "./page.ts";
import { searchIndexScript } from "./search-index.ts";
import { SEARCH_INDEX_SCRIPT, SEARCH_SCRIPT } from "./search-options.ts";
import { searchScript } from "./search-script.ts";

/** The course as one edition sees it (solutions swapped for exercises in the student edition). */
export function courseForEdition(course: Course, edition: Edition): Course {
  return { ...course, lessons: course.lessons.map((lesson) => ({ ...lesson, notebook: forEdition(lesson.notebook, edition) })) };
}

function writeEdition(course: Course, edition: Edition, out: OutputFolder, dir: string | undefined): string[] {
  // The student folder never links out of itself, even beside the instructor's: it is the one to publish, and
  // a published copy must neither point at the solutions nor at pages that are not there.
  const linked = dir !== undefined && edition === "instructor";
  const view = courseForEdition(course, edition);
  const other: Edition = edition === "student" ? "instructor" : "student";
  const written: string[] = [];
  const write = (name: string, text: string) => written.push(out.write(dir ? `${dir}/${name}` : name, text));
  write("index.html", renderEditionIndex(view, edition, linked ? { otherEdition: `../${other}/index.html`, landing: "../index.html", search: true } : { search: true }));
  view.lessons.forEach((lesson, index) => {
    const links = linked
      ? { home: "index.html", landing: "../index.html", otherEdition: { edition: other, href: `../${other}/${lesson.name}.html` } }
      : { home: "index.html" };
    write(`${lesson.name}.html`, renderLessonPage(view, index, edition, { ...links, notebook: `${lesson.name}.ipynb`, search: true }));
    // The learner's copy is a hand-out (outputs cleared, to be run); the teacher's keeps what the page shows.
    write(`${lesson.name}.ipynb`, serializeNotebook(edition === "student" ? withoutOutputs(lesson.notebook) : lesson.notebook));
  });
  write(SEARCH_INDEX_SCRIPT, searchIndexScript(view));
  write(SEARCH_SCRIPT, searchScript());
  return written;
}

/**
 * Writes the site and returns the files written. One edition: `out/index.html` and `out/<lesson>.html`, each
 * lesson's notebook and the search scripts beside them: a folder to publish as it is. Both:
 * `out/index.html` (landing, for local use), `out/student/...` (the same as the student edition alone) and
 * `out/instructor/...`, whose pages link their student twins.
 */
export function writeSite(course: Course, out: string, editions: readonly Edition[]): string[] {
  const folder = new OutputFolder(out);
  if (editions.length === 1) return writeEdition(course, editions[0], folder, undefined);
  return [folder.write("index.html", renderLanding(course)), ...editions.flatMap((edition) => writeEdition(course, edition, folder, edition))];
}
