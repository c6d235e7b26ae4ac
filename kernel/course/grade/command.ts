// `looplab grade`: run submissions through the kernel with the source lessons' hidden tests; a report each and a class CSV.
import { existsSync, readdirSync, statSync } from "node:fs";
import { OutputFolder } from "../output-folder.ts";
import { basename, dirname, join, resolve } from "node:path";
import { parseCommand, positiveNumber } from "../../cli-args.ts";
import { findNotebooks } from "../export/course-model.ts";
import { readNotebook } from "../notebook/read.ts";
import type { KernelProcess } from "../run/kernel-process.ts";
import { shown } from "../run/command.ts";
import { seconds } from "../run/progress.ts";
import { classCsv } from "./class-csv.ts";
import { gradeSubmission, type SubmissionReport } from "./grade-submission.ts";
import { gradingPlan, type GradingPlan } from "./plan.ts";
import { classIndexHtml, reportHtml, reportJson } from "./report.ts";

const USAGE = `usage: looplab grade SUBMISSION...|DIR... --source DIR [--out DIR] [--timeout S] [--time-scale F] [--jobs N]

Grades student notebooks. Each one runs top to bottom in a fresh LoopLab kernel, with the hidden tests
(cells tagged hidden-tests) of its source lesson run right after the exercise they follow; a test cell that
ends without an error earns its points (cell metadata "points", default 1). A submission is matched to the
source lesson whose file name it ends with (alice/03-tasks.ipynb, bob-03-tasks.ipynb); the student is the
rest of the name, or the folder. Folders are searched for *.ipynb.
  --source DIR     the lessons with their hidden tests (read, never written)
  --out DIR        reports: DIR/<student>/<lesson>.json and .html, DIR/grades.csv and DIR/index.html
                   (default grades/)
  --timeout S      interrupt a cell after S seconds; its exercise scores 0 (default 60)
  --time-scale F   run runtime sleeps F times faster; checks judge nominal time (default 2: a busy
                   machine's lateness is multiplied by F on the nominal clock, so keep it gentle)
  --jobs N         grade N submissions at once, each in its own kernel (default 2)
A submission that cannot be read, matches no lesson, loops forever or stops its kernel gets zero for what it
could not show, with the reason in its report; the other submissions are graded all the same. Exit code 0
once every submission has its report, 1 when the source lessons cannot be read, 2 for a usage error.
`;

export interface GradeCommandOptions {
  submissions: string[];
  source: string;
  out: string;
  timeoutS: number;
  timeScale: number;
  jobs: number;
}

interface SourceLesson {
  name: string;
  plan: GradingPlan;
}

/** Every .ipynb named or inside the folders named (recursively, checkpoints skipped), in the order given. */
function submissionFiles(inputs: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    if (!statSync(path).isDirectory()) return void found.push(resolve(path));
    for (const name of readdirSync(path).sort()) {
      if (name.startsWith(".")) continue;
      const child = join(path, name);
      if (statSync(child).isDirectory() || name.endsWith(".ipynb")) walk(child);
    }
  };
  for (const input of inputs) {
    if (!existsSync(input)) throw new Error(`${input} does not exist`);
    walk(input);
  }
  return [...new Set(found)];
}

/** The lesson a submission is for and whose it is: the longest lesson name the file name ends with. */
export function matchSubmission(path: string, lessons: readonly SourceLesson[]): { lesson?: SourceLesson; student: string } {
  const file = basename(path);
  const lesson = [...lessons].sort((a, b) => b.name.length - a.name.length).find((l) => file.toLowerCase().endsWith(`${l.name}.ipynb`.toLowerCase()));
  const prefix = lesson ? file.slice(0, file.length - `${lesson.name}.ipynb`.length).replace(/[-_. ]+$/, "") : file.replace(/\.ipynb$/i, "");
  const student = (lesson && prefix) || basename(dirname(path));
  return { lesson, student };
}

/** A name safe as one path segment. */
function segment(name: string): string {
  const safe = name.replace(/[^\w.-]+/g, "_").replace(/^\.+/, "_");
  return safe || "_";
}

/** Kernels grading now, so Ctrl+C can stop them. */
const current = new Set<KernelProcess>();

export async function gradeAll(options: GradeCommandOptions, log: (line: string) => void = () => {}): Promise<{ reports: SubmissionReport[]; csv: string }> {
  const lessons: SourceLesson[] = findNotebooks([options.source]).map((path) => ({ name: basename(path, ".ipynb"), plan: gradingPlan(readNotebook(path)) }));
  if (lessons.length === 0) throw new Error(`no lessons (*.ipynb) in ${options.source}`);
  const files = submissionFiles(options.submissions);
  const reports: SubmissionReport[] = new Array(files.length);
  const pages: string[] = new Array(files.length);
  const used = new Set<string>();
  const out = new OutputFolder(options.out);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const index = next++;
      const file = files[index];
      const { lesson, student } = matchSubmission(file, lessons);
      let kernel: KernelProcess | undefined;
      const { report, executed } = await gradeSubmission(file, student, lesson, {
        timeoutS: options.timeoutS,
        timeScale: options.timeScale,
        onKernel: (k) => {
          if (kernel) current.delete(kernel);
          kernel = k;
          if (k) current.add(k);
        },
      });
      reports[index] = report;
      let stem = `${segment(student)}/${segment(lesson?.name ?? basename(file, ".ipynb"))}`;
      for (let n = 2; used.has(stem); n++) stem = `${segment(student)}/${segment(lesson?.name ?? basename(file, ".ipynb"))}-${n}`;
      used.add(stem);
      pages[index] = `${stem.split("/").map(encodeURIComponent).join("/")}.html`;
      // Through the output folder: no name a submission brings, and no link planted in --out, writes elsewhere.
      out.write(`${stem}.json`, reportJson(report));
      out.write(`${stem}.html`, reportHtml(report, executed));
      const why = report.problem ?? report.exercises.find((e) => e.status !== "passed")?.message;
      log(`${String(report.score).padStart(3)} / ${String(report.maxScore).padEnd(3)} ${student}  ${lesson?.name ?? basename(file)}  ${seconds(report.ms)}${why ? `  (${why.slice(0, 140)})` : ""}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, files.length)) }, worker));
  const csv = classCsv(reports);
  out.write("grades.csv", csv);
  out.write("index.html", classIndexHtml(reports.map((report, i) => ({ report, href: pages[i] }))));
  return { reports, csv };
}

export async function main(argv: string[]): Promise<number> {
  const options = parseCommand(
    "grade",
    USAGE,
    {
      args: argv,
      allowPositionals: true,
      options: {
        source: { type: "string" },
        out: { type: "string", short: "o" },
        timeout: { type: "string" },
        "time-scale": { type: "string" },
        jobs: { type: "string", short: "j" },
        help: { type: "boolean", short: "h" },
      },
    },
    ({ values, positionals }): GradeCommandOptions => {
      if (positionals.length === 0) throw new Error("give at least one submission or folder of submissions");
      if (!values.source) throw new Error("--source DIR (the lessons with their hidden tests) is required");
      return {
        submissions: positionals,
        source: resolve(values.source),
        out: resolve(values.out ?? "grades"),
        timeoutS: positiveNumber(values.timeout, "timeout") ?? 60,
        timeScale: positiveNumber(values["time-scale"], "time-scale") ?? 2,
        jobs: Math.floor(positiveNumber(values.jobs, "jobs") ?? 2),
      };
    },
  );
  if (typeof options === "number") return options;
  const onSigint = () => {
    for (const kernel of current) kernel.kill();
    process.stderr.write("\nlooplab grade: interrupted\n");
    process.exit(130);
  };
  process.once("SIGINT", onSigint);
  const started = performance.now();
  try {
    const { reports } = await gradeAll(options, (line) => process.stdout.write(`${line}\n`));
    const zeros = reports.filter((r) => r.problem).length;
    const note = zeros > 0 ? ` (${zeros} could not be graded: see their reports)` : "";
    process.stdout.write(`graded ${reports.length} submission${reports.length === 1 ? "" : "s"} in ${seconds(performance.now() - started)}${note}: ${shown(join(options.out, "grades.csv"))}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`looplab grade: ${(error as Error).message}\n`);
    return 1;
  } finally {
    process.removeListener("SIGINT", onSigint);
  }
}
