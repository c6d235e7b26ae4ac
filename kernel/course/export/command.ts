// `looplab export`: notebooks or a folder of them -> an HTML course site, Markdown, or hand-out notebooks.
import { join, relative, resolve } from "node:path";
import { oneOf, parseCommand } from "../../cli-args.ts";
import { NotebookError } from "../notebook/read.ts";
import { loadCourse } from "./course-model.ts";
import type { Edition } from "./edition.ts";
import { writeMarkdown } from "./markdown-export.ts";
import { writeNotebooks } from "./notebook-export.ts";
import { writeSite } from "./site.ts";

export type Format = "html" | "md" | "ipynb";
export type EditionChoice = Edition | "both";

const USAGE = `usage: looplab export NOTEBOOK...|DIR --out DIR [--edition instructor|student|both] [--format html|md|ipynb] [--title TEXT]

  --out DIR        where to write (created if needed)
  --format F       html (default): a self-contained course site with index.html
                   md: Markdown per lesson, images beside it in <lesson>_files/
                   ipynb: notebooks to hand out, every output cleared
  --edition E      instructor keeps solutions; student replaces "solution" cells and BEGIN/END SOLUTION
                   regions with "// Your solution here" and leaves out cells tagged "hidden-tests";
                   both writes student/ and instructor/ side by side (html adds a landing index.html).
                   Default: both for html, instructor for md, student for ipynb.
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

const DEFAULT_EDITION: Record<Format, EditionChoice> = { html: "both", md: "instructor", ipynb: "student" };

/** Exports a course; throws NotebookError for a damaged notebook, Error for a missing input. */
export function exportCourse(options: ExportOptions): ExportResult {
  const course = loadCourse(options.inputs, options.title, options.courseDir);
  if (course.lessons.length === 0) throw new Error(`no notebooks found in ${options.inputs.join(", ")}`);
  if (options.imagesDir) for (const lesson of course.lessons) lesson.folder = resolve(options.imagesDir);
  const editions: Edition[] = options.edition === "both" ? ["student", "instructor"] : [options.edition];
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
      const format = oneOf(values.format, ["html", "md", "ipynb"] as const, "format") ?? "html";
      const edition = oneOf(values.edition, ["instructor", "student", "both"] as const, "edition") ?? DEFAULT_EDITION[format];
      return { inputs: positionals, out: values.out, format, edition, title: values.title };
    },
  );
  if (typeof options === "number") return options;
  const started = performance.now();
  try {
    const result = exportCourse(options);
    const ms = Math.round(performance.now() - started);
    process.stdout.write(`exported ${result.lessons} lesson${result.lessons === 1 ? "" : "s"} (${options.format}, ${options.edition}) in ${ms} ms: ${relative(process.cwd(), result.entry) || "."}\n`);
    return 0;
  } catch (error) {
    // A corrupt notebook or a missing folder is the user's to fix: one clear line, no stack trace.
    const known = error instanceof NotebookError || (error as NodeJS.ErrnoException).code === undefined;
    process.stderr.write(`looplab export: ${known ? (error as Error).message : String((error as Error).stack ?? error)}\n`);
    return 1;
  }
}
