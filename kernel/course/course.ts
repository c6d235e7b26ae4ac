// `looplab course` (npm start): run every lesson through the kernel into build/, export both editions to site/.
import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseCommand, positiveNumber } from "../cli-args.ts";
import { findNotebooks } from "./export/course-model.ts";
import { exportCourse } from "./export/command.ts";
import { runNotebooks } from "./run/command.ts";

const USAGE = `usage: looplab course [--notebooks DIR] [--build DIR] [--site DIR] [--time-scale F] [--timeout S] [--jobs N]

Runs every DIR/*.ipynb (default notebooks/) through the LoopLab kernel into the build folder (default
build/notebooks/; the lessons themselves are not rewritten), then exports the course, student and instructor
editions, to the site folder (default site/) and prints the path of its index.html. Lessons run two at a
time (--jobs), each cell may take --timeout seconds (default 300). A lesson that fails is reported (exit code
1) and still appears in the site with the outputs saved in its source.
`;

export async function main(argv: string[]): Promise<number> {
  const options = parseCommand(
    "course",
    USAGE,
    {
      args: argv,
      options: {
        notebooks: { type: "string" },
        build: { type: "string" },
        site: { type: "string" },
        "time-scale": { type: "string" },
        timeout: { type: "string" },
        jobs: { type: "string", short: "j" },
        help: { type: "boolean", short: "h" },
      },
    },
    ({ values }) => ({
      source: resolve(values.notebooks ?? "notebooks"),
      build: resolve(values.build ?? join("build", "notebooks")),
      site: resolve(values.site ?? "site"),
      // Checked like `looplab run` does: a typo must not silently become NaN (ignored) or crash the run.
      timeScale: positiveNumber(values["time-scale"], "time-scale"),
      timeoutS: positiveNumber(values.timeout, "timeout") ?? 300,
      jobs: Math.max(1, Math.floor(positiveNumber(values.jobs, "jobs") ?? 2)),
    }),
  );
  if (typeof options === "number") return options;
  const { source, build, site, timeScale, timeoutS, jobs } = options;
  const lessons = existsSync(source) ? findNotebooks([source]) : [];
  if (lessons.length === 0) {
    process.stderr.write(`looplab course: no lessons (*.ipynb) in ${relative(process.cwd(), source) || source}\n`);
    return 1;
  }
  process.stdout.write(`Running ${lessons.length} lesson${lessons.length === 1 ? "" : "s"} through the LoopLab kernel...\n`);
  const started = performance.now();
  const reports = await runNotebooks({ notebooks: lessons, outputDir: build, inplace: false, timeoutS, allowErrors: false, timeScale, jobs });
  const failed = reports.filter((r) => !r.ok);
  if (failed.length > 0) {
    // The course is still exported, so one broken lesson does not hide the nine good ones: a failed
    // lesson appears with the outputs saved in its source notebook.
    process.stderr.write(`\nlooplab course: ${failed.length} lesson${failed.length === 1 ? "" : "s"} failed (shown with their saved outputs): ${failed.map((r) => relative(source, r.path)).join(", ")}\n`);
  }
  // The title and the images the lessons link (diagram.svg beside them) come from the lessons' folder,
  // not from the build folder, which holds only the executed notebooks.
  const built = reports.map((report) => report.written ?? report.path);
  const result = exportCourse({ inputs: built, out: site, format: "html", edition: "both", courseDir: source, imagesDir: source });
  const total = ((performance.now() - started) / 1000).toFixed(1);
  const shown = (edition: string) => relative(process.cwd(), join(site, edition)) || edition;
  process.stdout.write(
    `\nExported ${result.lessons} lessons (student and instructor editions) in ${total} s. ` +
      `Publish ${shown("student")}/ to learners as it is (no solutions in it); ${shown("instructor")}/ holds the solutions. Open:\n${result.entry}\n`,
  );
  return failed.length > 0 ? 1 : 0;
}
