// `looplab course` (npm start): lessons run through the kernel into build/, both editions exported to site/.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { code, markdown, notebook, writeCourse } from "../export/fixture.ts";
import { run } from "../support/jupyter.ts";
import { launcher } from "../support/kernel.ts";

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "looplab-course-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function course(cwd: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // Below the test's own timeout, so a hang fails with what the course printed so far.
  return run(process.execPath, [launcher, "course", ...args], { cwd, timeoutMs: 25_000 });
}

const lessons = {
  "01-first.ipynb": notebook([markdown("# First steps\n\nPrint something.\n\n![diagram](diagram.svg)"), code("console.log('hello from the kernel')", [], [], null)]),
  "02-second.ipynb": notebook([
    markdown("# Second\n\nA result and an exercise."),
    code("6 * 7", [], [], null),
    code("const answer = 'solution-only';\nanswer", [], ["solution"], null),
  ]),
};

it("runs every lesson into build/notebooks, exports both editions to site/, and prints index.html", async () => {
  const folder = writeCourse(dir, lessons);
  const before = readFileSync(join(folder, "01-first.ipynb"), "utf8");
  const ran = await course(dir);
  expect(ran.stderr).toBe("");
  expect(ran.code).toBe(0);
  expect(ran.stdout.trim().split("\n").at(-1)).toBe(join(dir, "site", "index.html"));
  // The lessons themselves are not rewritten; the executed copies are in build/.
  expect(readFileSync(join(folder, "01-first.ipynb"), "utf8")).toBe(before);
  expect(readFileSync(join(dir, "build", "notebooks", "01-first.ipynb"), "utf8")).toContain("hello from the kernel");
  const student = readFileSync(join(dir, "site", "student", "02-second.html"), "utf8");
  const instructor = readFileSync(join(dir, "site", "instructor", "02-second.html"), "utf8");
  expect(student).toContain("Out[1]");
  expect(student).not.toContain("solution-only");
  expect(instructor).toMatch(/Out\[2\]<\/span><pre class="out-text">&#39;solution-only&#39;/);
  expect(readFileSync(join(dir, "site", "index.html"), "utf8")).toContain("<h1>Async TypeScript</h1>");
  // The image beside the lesson is not in build/, yet the page shows it (inlined from the lessons' folder).
  const svg = readFileSync(join(folder, "diagram.svg")).toString("base64");
  expect(readFileSync(join(dir, "site", "student", "01-first.html"), "utf8")).toContain(`src="data:image/svg+xml;base64,${svg}"`);
});

it("still exports the course when a lesson fails, and exits 1", async () => {
  const other = mkdtempSync(join(tmpdir(), "looplab-course-fail-"));
  try {
    const folder = writeCourse(other, lessons);
    writeFileSync(join(folder, "03-broken.ipynb"), JSON.stringify(notebook([markdown("# Broken"), code("throw new Error('lesson bug')", [], [], null)])));
    const ran = await course(other);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain("Error: lesson bug");
    expect(ran.stderr).toContain("1 lesson failed");
    expect(existsSync(join(other, "site", "student", "03-broken.html"))).toBe(true);
    expect(existsSync(join(other, "site", "student", "01-first.html"))).toBe(true);
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
});

it("rejects a bad --jobs, --timeout or --time-scale with one line and the usage, exit code 2, running nothing", async () => {
  const other = mkdtempSync(join(tmpdir(), "looplab-course-flags-"));
  try {
    writeCourse(other, lessons);
    for (const [flag, value] of [["--jobs", "x"], ["--timeout", "soon"], ["--time-scale", "x"], ["--jobs", "0"], ["--timeout", "0"]]) {
      const ran = await course(other, flag, value);
      expect(ran.code, `${flag} ${value}`).toBe(2);
      expect(ran.stdout).toBe("");
      const [first, second, third] = ran.stderr.split("\n");
      expect(first).toBe(`looplab course: ${flag} must be a positive number, not '${value}'`);
      expect(second).toBe("");
      expect(third).toMatch(/^usage: looplab course /);
      expect(ran.stderr).not.toMatch(/\n\s+at /);
    }
    expect(existsSync(join(other, "build"))).toBe(false);
    expect(existsSync(join(other, "site"))).toBe(false);
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
});
