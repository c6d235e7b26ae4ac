// The ipynb format: notebooks to hand out, outputs cleared, solutions removed in the student edition.
import { join } from "node:path";
import { writeNotebook } from "../notebook/write.ts";
import type { Course } from "./course-model.ts";
import { forEdition, withoutOutputs, type Edition } from "./edition.ts";

/** Writes each lesson as a clean nbformat 4.5 notebook (kernelspec and language_info kept). */
export function writeNotebooks(course: Course, out: string, editions: readonly Edition[]): string[] {
  return editions.flatMap((edition) =>
    course.lessons.map((lesson) => {
      const file = join(editions.length > 1 ? join(out, edition) : out, `${lesson.name}.ipynb`);
      writeNotebook(file, withoutOutputs(forEdition(lesson.notebook, edition)));
      return file;
    }),
  );
}
