// Runs Jupyter's conformance suite (Debian's jupyter_kernel_test) against the installed LoopLab kernelspec:
// every test of KernelTests must pass, none may be skipped.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { installedKernel, python, repoRoot, requireOrSkip, run, type JupyterHome } from "../support/jupyter.ts";
import { join } from "node:path";

/** Every test jupyter_kernel_test 0.4.5's KernelTests defines; test_looplab_kernel.py gives each a sample. */
const suite = [
  "test_kernel_info",
  "test_execute_stdout",
  "test_execute_stderr",
  "test_completion",
  "test_is_complete",
  "test_pager",
  "test_error",
  "test_execute_result",
  "test_display_data",
  "test_history",
  "test_inspect",
  "test_clear_output",
] as const;

/** Tests deliberately left without a sample (see test_looplab_kernel.py): they must be skipped, not fail. */
const notOffered = new Set<string>(["test_pager"]);

interface Outcome {
  /** "ok", "FAIL", "ERROR", "skipped '...'", for the test and each of its subtests. */
  verdicts: string[];
  /** The failure reports unittest printed for this test. */
  reports: string[];
}

/** Reads `python -m unittest -v` output: one line per test, indented lines per subtest, then failure reports. */
function parseVerbose(output: string): Map<string, Outcome> {
  const outcomes = new Map<string, Outcome>();
  const get = (name: string) => {
    let outcome = outcomes.get(name);
    if (!outcome) outcomes.set(name, (outcome = { verdicts: [], reports: [] }));
    return outcome;
  };
  for (const line of output.split("\n")) {
    const match = /^\s*(test_\w+) \([\w.]+\)(?: \((.*)\))? \.\.\. ?(.*)$/.exec(line);
    if (match && match[3]) get(match[1]).verdicts.push(match[2] ? `${match[3]} [${match[2]}]` : match[3]);
  }
  for (const block of output.split(/^={50,}$/m).slice(1)) {
    const head = /^(FAIL|ERROR): (test_\w+)/m.exec(block);
    if (head) get(head[2]).reports.push(block.split(/^-{50,}\nRan /m)[0].trim());
  }
  return outcomes;
}

describe("jupyter_kernel_test (Debian's python3-jupyter-kernel-test)", () => {
  if (!requireOrSkip("kernel-test", "jupyter-client")) return;

  let home: JupyterHome;
  let outcomes: Map<string, Outcome>;
  let output = "";

  beforeAll(async () => {
    home = await installedKernel();
    const finished = await run(python, ["-m", "unittest", "-v", "test_looplab_kernel"], {
      cwd: join(repoRoot, "test/conformance"),
      env: home.env,
      timeoutMs: 180_000,
    });
    output = finished.stdout + finished.stderr;
    outcomes = parseVerbose(output);
    if (finished.code !== 0) console.error(output);
  }, 200_000);

  afterAll(async () => {
    await home?.remove();
  });

  test("runs the whole KernelTests suite and no test of its own", () => {
    expect(output).toMatch(new RegExp(`^Ran ${suite.length} tests? in `, "m"));
    expect([...outcomes.keys()].sort()).toEqual([...suite].sort());
  });

  test.each(suite.filter((name) => !notOffered.has(name)))("%s passes", (name) => {
    const outcome = outcomes.get(name);
    expect(outcome, `${name} did not run:\n${output}`).toBeDefined();
    const problems = outcome!.verdicts.filter((verdict) => verdict !== "ok");
    expect(problems, outcome!.reports.join("\n\n") || output).toEqual([]);
    expect(outcome!.reports.join("\n\n")).toBe("");
  });

  test.each([...notOffered])("%s is skipped (no sample: LoopLab does not offer what it tests)", (name) => {
    expect(outcomes.get(name)?.verdicts).toEqual(["skipped ''"]);
  });
});
