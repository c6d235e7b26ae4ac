// Writes the HTML course: one edition into a folder, or both as student/ and instructor/ under a landing page.
import { OutputFolder } from "../output-folder.ts";
import type { Course } from "./course-model.ts";
import { forEdition, type Edition } from "./edition.ts";
import { renderEditionIndex, renderLanding } from "./index-page.ts";
import { renderLessonPage } from "./page.ts";

/** The course as one edition sees it (solutions swapped for exercises in the student edition). */
export function courseForEdition(course: Course, edition: Edition): Course {
  return { ...course, lessons: course.lessons.map((lesson) => ({ ...lesson, notebook: forEdition(lesson.notebook, edition) })) };
}

function writeEdition(course: Course, edition: Edition, out: OutputFolder, dir: string | undefined): string[] {
  const both = dir !== undefined;
  const view = courseForEdition(course, edition);
  const other: Edition = edition === "student" ? "instructor" : "student";
  const written: string[] = [];
  const write = (name: string, text: string) => written.push(out.write(dir ? `${dir}/${name}` : name, text));
  write("index.html", renderEditionIndex(view, edition, both ? { otherEdition: `../${other}/index.html`, landing: "../index.html" } : {}));
  view.lessons.forEach((lesson, index) => {
    const links = both
      ? { home: "index.html", landing: "../index.html", otherEdition: { edition: other, href: `../${other}/${lesson.name}.html` } }
      : { home: "index.html" };
    write(`${lesson.name}.html`, renderLessonPage(view, index, edition, links));
  });
  return written;
}

/**
 * Writes the site and returns the files written. One edition: `out/index.html` and `out/<lesson>.html`.
 * Both: `out/index.html` (landing), `out/student/...` and `out/instructor/...`, each a complete site.
 */
export function writeSite(course: Course, out: string, editions: readonly Edition[]): string[] {
  const folder = new OutputFolder(out);
  if (editions.length === 1) return writeEdition(course, editions[0], folder, undefined);
  return [folder.write("index.html", renderLanding(course)), ...editions.flatMap((edition) => writeEdition(course, edition, folder, edition))];
}
