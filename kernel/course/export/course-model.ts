// What a course is made of: the lessons (notebooks in file order) with their titles and summaries, and a title.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { readNotebook } from "../notebook/read.ts";
import type { Notebook } from "../notebook/types.ts";
import { parseLaunchLink, type LaunchLink } from "./launch-link.ts";
import { headingAndSummary } from "./markdown.ts";

export interface Lesson {
  /** Path of the .ipynb it came from. */
  path: string;
  /** Folder its Markdown's relative image links point into: the notebook's own, unless the export says otherwise. */
  folder: string;
  /** File name without .ipynb: the stem of every exported file of this lesson. */
  name: string;
  /** 1-based position in the course. */
  number: number;
  title: string;
  /** The title without a "Lesson 3 ·" prefix, for places that show the number already (cards, pager). */
  shortTitle: string;
  summary: string;
  notebook: Notebook;
}

export interface Course {
  title: string;
  description: string;
  lessons: Lesson[];
  /** course.json's "launch": a link to open each lesson on the course's JupyterHub or JupyterLab. */
  launch?: LaunchLink;
}

/** File names compare like people read them: "2-x" before "10-x". */
const byName = new Intl.Collator("en", { numeric: true, sensitivity: "base" }).compare;

/** The notebooks named by the arguments: files as given, folders by their *.ipynb in name order. */
export function findNotebooks(inputs: readonly string[]): string[] {
  const found: string[] = [];
  for (const input of inputs) {
    if (!existsSync(input)) throw new Error(`${input} does not exist`);
    if (statSync(input).isDirectory()) {
      const names = readdirSync(input).filter((name) => name.endsWith(".ipynb") && !name.startsWith(".")).sort(byName);
      found.push(...names.map((name) => join(input, name)));
    } else {
      found.push(input);
    }
  }
  return [...new Set(found.map((p) => resolve(p)))];
}

function titleCase(name: string): string {
  return name.replace(/[-_]+/g, " ").replace(/\b\w/g, (c) => c.toUpperCase()).trim();
}

/** Course title, description and launch link: course.json beside the notebooks, else the folder's name. */
export function courseInfo(folder: string): { title: string; description: string; launch?: LaunchLink } {
  const file = join(folder, "course.json");
  if (existsSync(file)) {
    try {
      const json = JSON.parse(readFileSync(file, "utf8")) as { title?: unknown; description?: unknown; launch?: unknown };
      const launch = parseLaunchLink(json.launch);
      if (typeof launch === "string") process.stderr.write(`looplab: ignoring the launch link of ${file}: ${launch}\n`);
      if (typeof json.title === "string" && json.title.trim()) {
        const description = typeof json.description === "string" ? json.description : "";
        return { title: json.title.trim(), description, ...(typeof launch === "object" ? { launch } : {}) };
      }
    } catch (error) {
      process.stderr.write(`looplab: ignoring ${file}: ${(error as Error).message}\n`);
    }
  }
  // "notebooks" or "lessons" say nothing about the course; the project folder above usually does.
  let at = resolve(folder);
  while (/^(notebooks?|lessons?|src|build|dist|out)$/i.test(basename(at)) && dirname(at) !== at) at = dirname(at);
  const name = basename(at);
  return { title: titleCase(name) || "Course", description: "" };
}

export function lessonFrom(path: string, number: number): Lesson {
  const notebook = readNotebook(path);
  const markdown = notebook.cells.filter((cell) => cell.cell_type === "markdown").map((cell) => cell.source);
  const { title, summary } = headingAndSummary(markdown);
  const name = basename(path, extname(path));
  const metaTitle = typeof notebook.metadata.title === "string" ? notebook.metadata.title : "";
  const full = title || metaTitle || titleCase(name.replace(/^\d+[-_ ]*/, ""));
  const shortTitle = full.replace(/^(lesson|chapter|part|unit)\s+\d+\s*[·:.\-–—|]\s*/i, "") || full;
  return { path, folder: dirname(path), name, number, title: full, shortTitle, summary, notebook };
}

/** Reads every notebook (a corrupt one throws a NotebookError naming it) into a course. */
export function loadCourse(inputs: readonly string[], title?: string, courseDir?: string): Course {
  const paths = findNotebooks(inputs);
  const folder = courseDir ?? (inputs.length === 1 && statSync(inputs[0]).isDirectory() ? inputs[0] : dirname(paths[0] ?? "."));
  const info = courseInfo(folder);
  const lessons = paths.map((path, index) => lessonFrom(path, index + 1));
  // Two lessons from different folders may share a file name; their pages must not.
  const seen = new Map<string, number>();
  for (const lesson of lessons) {
    const count = (seen.get(lesson.name) ?? 0) + 1;
    seen.set(lesson.name, count);
    if (count > 1) lesson.name = `${lesson.name}-${count}`;
  }
  return { title: title ?? info.title, description: info.description, lessons, ...(info.launch ? { launch: info.launch } : {}) };
}
