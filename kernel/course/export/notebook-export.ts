// The ipynb format: notebooks to hand out, outputs cleared, solutions removed in the student edition.
import { writeNotebook } from "../notebook/write.ts";
import { OutputFolder } from "../output-folder.ts";
import type { Course } from "./course-model.ts";
import { forEdition, withoutOutputs, type Edition } from "./edition.ts";

/** Writes each lesson as a clean nbformat 4.5 notebook (kernelspec and language_info kept). */
export function writeNotebooks(course: Course, out: string, editions: readonly Edition[]): string[] {
  const folder = new OutputFolder(out);
  return editions.flatMap((edition) =>
    course.lessons.map((lesson) => {
      if (editions.length > 1) folder.folder(edition);
      const file = folder.resolve(editions.length > 1 ? `${edition}/${lesson.name}.ipynb` : `${lesson.name}.ipynb`);
      writeNotebook(file, withoutOutputs(forEdition(lesson.notebook, edition)));
      return file;
    }),
  );
}
