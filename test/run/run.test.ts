// `looplab run` end to end: the real CLI starts the real kernel process and writes nbformat 4.5 notebooks.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { code, markdown, notebook } from "../export/fixture.ts";
import { schemaErrors, schemaMissing } from "../export/schema.ts";
import { run } from "../support/jupyter.ts";
import { launcher } from "../support/kernel.ts";

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "looplab-run-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `looplab run ...` as a user runs it (stdout is a pipe here, so progress is one plain line per notebook). */
function looplab(...args: string[]): Promise<Ran> {
  return run(process.execPath, [launcher, "run", ...args], { cwd: dir });
}

const SCRIPT = "/usr/bin/script";
const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/** `looplab run PATH` with stdout on a pseudo-terminal (util-linux `script`), as a person at a terminal runs it. */
function onTerminal(path: string): Promise<Ran> {
  const command = [process.execPath, launcher, "run", path].map(quote).join(" ");
  return run(SCRIPT, ["-qec", command, "/dev/null"], { cwd: dir });
}

function write(name: string, cells: Record<string, unknown>[]): string {
  const path = join(dir, name);
  const nb = notebook(cells) as { metadata: Record<string, unknown> };
  writeFileSync(path, JSON.stringify({ ...nb, metadata: {} }));
  return path;
}

/** Code cells without saved outputs, as a teacher writes them before running. */
const cell = (source: string, tags: string[] = []) => code(source, [], tags, null);

type Cell = { cell_type: string; source: string[]; outputs: { output_type: string; [k: string]: unknown }[]; execution_count: number | null };
const load = (path: string) => JSON.parse(readFileSync(path, "utf8")) as { nbformat_minor: number; metadata: Record<string, { name: string }>; cells: Cell[] };

function expectValid(text: string, skip: (reason: string) => void): void {
  const reason = schemaMissing();
  if (reason) return skip(reason);
  expect(schemaErrors(text)).toEqual([]);
}

describe("looplab run", () => {
  it("records every kind of output and writes a valid nbformat 4.5 notebook", async (ctx) => {
    const source = write("outputs.ipynb", [
      markdown("# Outputs"),
      cell("console.log('one'); console.log('two'); console.error('warned')"),
      cell("const shown = display('first version', { displayId: 'status' });\n40 + 2"),
      cell("shown.update('second version')"),
      cell("display.html('<b>bold</b>'); void display.svg('<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>')"),
      cell("console.log('gone'); clearOutput({ wait: true }); console.log('kept')"),
      cell("throw new RangeError('expected')", ["raises-exception"]),
      cell(""),
      cell("process.env.LOOPLAB_TIME_SCALE ?? 'unset'"),
    ]);
    const original = readFileSync(source, "utf8");
    const ran = await looplab(source, "--output-dir", join(dir, "out"), "--time-scale", "50");
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/^ok +outputs\.ipynb {2}7 cells {2}[\d.]+ s -> out\/outputs\.ipynb\n$/);
    expect(readFileSync(source, "utf8")).toBe(original);

    const text = readFileSync(join(dir, "out", "outputs.ipynb"), "utf8");
    const nb = load(join(dir, "out", "outputs.ipynb"));
    expect(nb.nbformat_minor).toBe(5);
    expect(nb.metadata.kernelspec.name).toBe("looplab");
    expect(nb.metadata.language_info.name).toBe("typescript");
    const cells = nb.cells.filter((c) => c.cell_type === "code");
    expect(cells.map((c) => c.execution_count)).toEqual([1, 2, 3, 4, 5, 6, null, 7]);

    expect(cells[0].outputs).toEqual([
      { output_type: "stream", name: "stdout", text: ["one\n", "two\n"] },
      { output_type: "stream", name: "stderr", text: ["warned\n"] },
    ]);
    // The update from cell 3 rewrote the display shown by cell 2.
    expect(cells[1].outputs.map((o) => o.output_type)).toEqual(["display_data", "execute_result"]);
    expect(JSON.stringify(cells[1].outputs[0])).toContain("second version");
    expect(cells[1].outputs[1]).toMatchObject({ execution_count: 2, data: { "text/plain": ["42"] } });
    expect(cells[2].outputs).toEqual([]);
    expect(cells[3].outputs.map((o) => Object.keys(o.data as object).sort())).toEqual([["text/html", "text/plain"], ["image/svg+xml", "text/plain"]]);
    expect(cells[4].outputs).toEqual([{ output_type: "stream", name: "stdout", text: ["kept\n"] }]);
    expect(cells[5].outputs[0]).toMatchObject({ output_type: "error", ename: "RangeError", evalue: "expected" });
    expect(cells[6].outputs).toEqual([]);
    expect(cells[7].outputs[0]).toMatchObject({ data: { "text/plain": ["'50'"] } });
    expectValid(text, (reason) => ctx.skip(reason));
  });

  it("stops a notebook at an unexpected error, shows the cell and its error, exits 1, and runs the next notebook", async () => {
    const broken = write("broken.ipynb", [cell("console.log('before')"), cell("const n = 1;\nthrow new Error('unexpected failure')"), cell("console.log('never')")]);
    const fine = write("fine.ipynb", [cell("'fine'")]);
    const ran = await looplab(broken, fine, "--output-dir", join(dir, "out-fail"));
    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(/^FAILED broken\.ipynb {2}2 cells/m);
    expect(ran.stdout).toMatch(/^ok +fine\.ipynb {2}1 cells/m);
    expect(ran.stdout).toMatch(/^1 of 2 notebooks failed in [\d.]+ s$/m);
    expect(ran.stderr).toContain("broken.ipynb: cell 2 (In [2]) failed:");
    expect(ran.stderr).toContain("    2 | throw new Error('unexpected failure')");
    expect(ran.stderr).toContain("Error: unexpected failure");
    expect(ran.stderr).not.toContain("\u001b[");
    // A half-run notebook is not saved; the good one is.
    expect(existsSync(join(dir, "out-fail", "broken.ipynb"))).toBe(false);
    expect(existsSync(join(dir, "out-fail", "fine.ipynb"))).toBe(true);
  });

  it("keeps going with --allow-errors and saves the errors", async (ctx) => {
    const path = write("allowed.ipynb", [cell("throw new Error('recorded')"), cell("'after'")]);
    const ran = await looplab(path, "--inplace", "--allow-errors");
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain("(with errors)");
    const text = readFileSync(path, "utf8");
    const cells = load(path).cells;
    expect(cells[0].outputs[0]).toMatchObject({ output_type: "error", evalue: "recorded" });
    expect(cells[1].outputs[0]).toMatchObject({ output_type: "execute_result", data: { "text/plain": ["'after'"] } });
    expectValid(text, (reason) => ctx.skip(reason));
  });

  it("interrupts a cell that outlives --timeout and fails the notebook", async () => {
    const path = write("slow.ipynb", [cell("await new Promise((resolve) => setTimeout(resolve, 60_000))"), cell("'unreached'")]);
    const ran = await looplab(path, "--timeout", "1");
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain("did not finish within 1 s");
  });

  it("routes output that arrives after a cell finished to the cell that started the work", async () => {
    const path = write("late.ipynb", [cell("setTimeout(() => console.log('late line'), 300);\n'started'"), cell("await new Promise((r) => setTimeout(r, 1000));\n'waited'")]);
    const ran = await looplab(path, "--inplace");
    expect(ran.code).toBe(0);
    const cells = load(path).cells;
    expect(cells[0].outputs).toContainEqual({ output_type: "stream", name: "stdout", text: ["late line\n"] });
    expect(JSON.stringify(cells[1].outputs)).not.toContain("late line");
  });

  it("kills the kernel when interrupted with Ctrl+C", async () => {
    const pidFile = join(dir, "kernel.pid");
    const path = write("forever.ipynb", [cell("import { writeFileSync } from 'node:fs';\nwriteFileSync('kernel.pid', String(process.pid));\nawait new Promise(() => {})")]);
    const child = spawn(process.execPath, [launcher, "run", path], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c) => (stderr += c));
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    let exited = false;
    void closed.then(() => (exited = true));
    while (!existsSync(pidFile) && !exited) await new Promise((r) => setTimeout(r, 50));
    expect(exited, stderr).toBe(false);
    const pid = Number(readFileSync(pidFile, "utf8"));
    child.kill("SIGINT");
    expect(await closed).toBe(130);
    expect(stderr).toContain("interrupted");
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 40 && alive(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive()).toBe(false);
  });

  it("reports a corrupt notebook in one line and exits 1", async () => {
    const path = join(dir, "corrupt.ipynb");
    writeFileSync(path, '{"nbformat": 4, "cells": [');
    const ran = await looplab(path);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(/^FAILED corrupt\.ipynb .*corrupt\.ipynb is not valid JSON/);
    expect(ran.stderr).toBe("");
  });

  it("on a terminal, redraws one live line with the cell count (empty cells not counted) and the elapsed time", async (ctx) => {
    // util-linux `script` gives the CLI a pseudo-terminal as stdout, as when a person runs it.
    if (!existsSync(SCRIPT)) return ctx.skip(`${SCRIPT} (util-linux) is not installed, so there is no pseudo-terminal to run under`);
    const path = write("live.ipynb", [cell(""), cell("await new Promise((r) => setTimeout(r, 600))"), cell("  \n"), cell("'done'")]);
    const ran = await onTerminal(path);
    expect(ran.code).toBe(0);
    // Each redraw returns to the line start and clears it; the line names the notebook, the cell and the time so far.
    expect(ran.stdout).toContain("\r\x1b[2K▶ live.ipynb  starting kernel");
    expect(ran.stdout).toMatch(/\r\x1b\[2K▶ live\.ipynb {2}cell 1\/2 {2}\d+\.\d s/);
    expect(ran.stdout).toMatch(/\r\x1b\[2K▶ live\.ipynb {2}cell 2\/2 {2}\d+\.\d s/);
    expect(ran.stdout).not.toMatch(/cell \d\/4/);
    // The elapsed time moves while the 600 ms cell runs (the line is redrawn every 200 ms).
    const times = new Set([...ran.stdout.matchAll(/cell 1\/2 {2}(\d+\.\d) s/g)].map((m) => m[1]));
    expect(times.size).toBeGreaterThan(1);
    // The live line is replaced by the notebook's summary line.
    expect(ran.stdout).toMatch(/\r\x1b\[2Kok +live\.ipynb {2}2 cells {2}[\d.]+ s\r?\n$/);
  });

  it("without a terminal, prints one plain line per notebook and no redraws", async () => {
    const first = write("plain-1.ipynb", [cell("1"), cell("")]);
    const second = write("plain-2.ipynb", [cell("2")]);
    const ran = await looplab(first, second);
    expect(ran.code).toBe(0);
    expect(ran.stdout).not.toContain("\r");
    expect(ran.stdout).not.toContain("\x1b");
    expect(ran.stdout.split("\n")).toEqual([
      expect.stringMatching(/^ok +plain-1\.ipynb {2}1 cells {2}[\d.]+ s$/),
      expect.stringMatching(/^ok +plain-2\.ipynb {2}1 cells {2}[\d.]+ s$/),
      expect.stringMatching(/^all 2 notebooks ran in [\d.]+ s$/),
      "",
    ]);
  });

  it("rejects bad usage with exit code 2", async () => {
    expect((await looplab()).code).toBe(2);
    const both = await looplab("x.ipynb", "--inplace", "--output-dir", "out");
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("either --output-dir or --inplace");
    expect((await looplab("x.ipynb", "--timeout", "soon")).stderr).toContain("--timeout must be a positive number");
  });
});
