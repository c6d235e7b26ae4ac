// `looplab export`: notebooks or a folder of them -> an HTML course site, Markdown, or hand-out notebooks.
import { join, relative, resolve } from "node:path";
import { oneOf, parseCommand } from "../../cli-args.ts";
import { NotebookError } from "../notebook/read.ts";
import { loadCourse, type Course } from "./course-model.ts";
import type { Edition } from "./edition.ts";
import { writeMarkdown } from "./markdown-export.ts";
import { writeNotebooks } from "./notebook-export.ts";
import { PdfUnavailable, writePdfs } from "./pdf.ts";
import { writeSite } from "./site.ts";

export type Format = "html" | "md" | "ipynb" | "pdf";
export type EditionChoice = Edition | "both";

const USAGE = `usage: looplab export NOTEBOOK...|DIR --out DIR [--edition instructor|student|both] [--format html|md|ipynb|pdf] [--title TEXT]

  --out DIR        where to write (created if needed)
  --format F       html (default): a course site with index.html, a sidebar, search, and each lesson's
                   notebook beside its page; publish the folder as it is
                   md: Markdown per lesson, images beside it in <lesson>_files/
                   ipynb: notebooks to hand out, every output cleared
                   pdf: <lesson>.pdf per lesson and course.pdf, printed by Chromium (LOOPLAB_CHROMIUM
                   names it when it is not in /usr/bin)
  --edition E      instructor keeps solutions; student replaces "solution" cells and BEGIN/END SOLUTION
                   regions with "// Your solution here", leaves out cells tagged "hidden-tests" (no solution
                   in any file written); both writes student/ and instructor/ side by side for your own use
                   (html adds a landing index.html); publish student/ alone.
                   Default: both for html, instructor for md and pdf, student for ipynb.
  --title TEXT     course title (default: "title" in course.json beside the notebooks, else the folder name)
`;

export interface ExportOptions {
  inputs: string[];
  out: string;
  format: Format;
  edition: EditionChoice;
  title?: string;
  /** Folder whose course.json (or name) gives the course title; default: the folder of the notebooks. */
  courseDir?: string;
  /** Folder the lessons' relative image links point into; default: each notebook's own folder. */
  imagesDir?: string;
}

export interface ExportResult {
  files: string[];
  lessons: number;
  /** The page to open (html) or the index file (md), or the output folder (ipynb). */
  entry: string;
}

const DEFAULT_EDITION: Record<Format, EditionChoice> = { html: "both", md: "instructor", ipynb: "student", pdf: "instructor" };

function prepare(options: ExportOptions): { course: Course; editions: Edition[] } {
  const course = loadCourse(options.inputs, options.title, options.courseDir);
  if (course.lessons.length === 0) throw new Error(`no notebooks found in ${options.inputs.join(", ")}`);
  if (options.imagesDir) for (const lesson of course.lessons) lesson.folder = resolve(options.imagesDir);
  return { course, editions: options.edition === "both" ? ["student", "instructor"] : [options.edition] };
}

/** Exports a course as html, md or ipynb; throws NotebookError for a damaged notebook, Error for a missing input. */
export function exportCourse(options: ExportOptions & { format: Exclude<Format, "pdf"> }): ExportResult {
  const { course, editions } = prepare(options);
  switch (options.format) {
    case "html":
      return { files: writeSite(course, options.out, editions), lessons: course.lessons.length, entry: join(options.out, "index.html") };
    case "md":
      return {
        files: writeMarkdown(course, options.out, editions),
        lessons: course.lessons.length,
        entry: editions.length > 1 ? options.out : join(options.out, "index.md"),
      };
    case "ipynb":
      return { files: writeNotebooks(course, options.out, editions), lessons: course.lessons.length, entry: options.out };
  }
}

/** Prints every lesson and the whole course to PDF; throws PdfUnavailable without Chromium, before writing anything. */
export async function exportPdf(options: ExportOptions, chromiumPath?: string): Promise<ExportResult> {
  const { course, editions } = prepare(options);
  const files = await writePdfs(course, options.out, editions, chromiumPath);
  return { files, lessons: course.lessons.length, entry: options.out };
}

/** What the export wrote and, for a site with both editions, which folder is the one to publish. */
function summary(options: ExportOptions, result: ExportResult, ms: number): string {
  const lessons = `${result.lessons} lesson${result.lessons === 1 ? "" : "s"}`;
  let text = `exported ${lessons} (${options.format}, ${options.edition}) in ${ms} ms: ${relative(process.cwd(), result.entry) || "."}\n`;
  if (options.format === "html" && options.edition === "both") {
    const folder = (edition: Edition) => relative(process.cwd(), join(options.out, edition)) || edition;
    text += `publish ${folder("student")}/ to learners as it is (no solutions in it); ${folder("instructor")}/ holds the solutions\n`;
  }
  return text;
}

export async function main(argv: string[]): Promise<number> {
  const options = parseCommand(
    "export",
    USAGE,
    {
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: "string", short: "o" },
        edition: { type: "string" },
        format: { type: "string", short: "f" },
        title: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    },
    ({ values, positionals }): ExportOptions => {
      if (positionals.length === 0) throw new Error("give at least one notebook or folder");
      if (!values.out) throw new Error("--out DIR is required");
      const format = oneOf(values.format, ["html", "md", "ipynb", "pdf"] as const, "format") ?? "html";
      const edition = oneOf(values.edition, ["instructor", "student", "both"] as const, "edition") ?? DEFAULT_EDITION[format];
      return { inputs: positionals, out: values.out, format, edition, title: values.title };
    },
  );
  if (typeof options === "number") return options;
  const started = performance.now();
  try {
    const result = options.format === "pdf" ? await exportPdf(options) : exportCourse({ ...options, format: options.format });
    process.stdout.write(summary(options, result, Math.round(performance.now() - started)));
    return 0;
  } catch (error) {
    if (error instanceof PdfUnavailable) {
      process.stderr.write(`looplab export: ${error.message}\n`);
      return 1;
    }
    // A corrupt notebook or a missing folder is the user's to fix: one clear line, no stack trace.
    const known = error instanceof NotebookError || (error as NodeJS.ErrnoException).code === undefined;
    process.stderr.write(`looplab export: ${known ? (error as Error).message : String((error as Error).stack ?? error)}\n`);
    return 1;
  }
}
