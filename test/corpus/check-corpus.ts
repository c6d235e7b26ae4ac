// The corpus proof, run in a process of its own (corpus programs leave rejected promises nobody handles, which
// a test runner would count against the test): prints one JSON report (CorpusReport) on stdout.
import { Parser } from "acorn";
import { transform } from "esbuild";
import { withLoopChecks } from "../../kernel/exec/loop-check.ts";
import { test262, typescriptSources, type CorpusFile } from "./corpus.ts";
import { compileAsCell, PATIENT_MS, runCompiled, runPlain, type Outcome } from "./differential.ts";

export interface CorpusReport {
  counts: { scripts: number; modules: number; typescript: number; compared: number; hung: number; expectedDifferences: number };
  /** Files the compiler rejected or whose output does not parse: each one a bug. */
  failures: string[];
  /** Scripts whose result under the kernel differs from plain Node's, beyond the documented additions. */
  differences: string[];
  /** Differences that are kernel additions the issue names, with the reason. */
  expected: string[];
  /** Scripts that loop forever under plain Node: a kernel test leaves them out. */
  hung: string[];
  ms: number;
}

const SCRIPT = { ecmaVersion: "latest", sourceType: "script" } as const;

/**
 * A difference that is one of the kernel's documented additions: a cell that is an object literal like
 * `{a: 1}` (Node's REPL reads it so too), and a function's source text, which shows the interrupt check put at
 * the top of its body.
 */
function expectedDifference(file: CorpusFile, plain: Outcome, kernel: Outcome): string | undefined {
  if (/^\s*\{/.test(file.source) && !/;\s*$/.test(file.source)) return "a cell that starts with `{` is an object literal, as in Node's REPL";
  if (plain.kind === "value" && kernel.kind === "value" && kernel.text.replaceAll(" __corpusCheck();", "") === plain.text) {
    return "a function's source text shows the interrupt check";
  }
  return undefined;
}

async function relativeModule(file: CorpusFile): Promise<void> {
  // What the kernel's loader hooks do with a relative module a cell imports (exec/ts.hooks.ts, exec/loop-check.ts).
  let js = file.source;
  if (file.kind === "typescript") js = (await transform(js, { loader: "ts", format: "esm", target: "node20", sourcemap: "inline" })).code;
  const type = file.kind === "script" ? "script" : "module";
  Parser.parse(withLoopChecks(js, type), { ecmaVersion: "latest", sourceType: type, allowHashBang: true, allowReturnOutsideFunction: type === "script" });
}

async function main(): Promise<void> {
  const started = performance.now();
  // Corpus programs start promises that reject with nobody listening; here that is expected.
  process.on("unhandledRejection", () => {});
  const files = [...test262(), ...typescriptSources()];
  const report: CorpusReport = {
    counts: { scripts: 0, modules: 0, typescript: 0, compared: 0, hung: 0, expectedDifferences: 0 },
    failures: [],
    differences: [],
    expected: [],
    hung: [],
    ms: 0,
  };
  for (const file of files) {
    report.counts[file.kind === "script" ? "scripts" : file.kind === "module" ? "modules" : "typescript"]++;
    let compiled;
    try {
      compiled = await compileAsCell(file.source, file.name);
      Parser.parse(compiled.script, SCRIPT);
    } catch (error) {
      report.failures.push(`${file.name} as a cell: ${(error as Error).message}`);
      continue;
    }
    try {
      await relativeModule(file);
    } catch (error) {
      report.failures.push(`${file.name} as a relative module: ${(error as Error).message}`);
    }
    if (file.kind !== "script") continue;
    let plain = runPlain(file.source, compiled.hasResult);
    let kernel = await runCompiled(compiled);
    if ((plain.kind === "hung") !== (kernel.kind === "hung")) {
      // Slow under load, or a real difference: the patient limit decides.
      plain = runPlain(file.source, compiled.hasResult, PATIENT_MS);
      kernel = await runCompiled(compiled, PATIENT_MS);
    }
    report.counts.compared++;
    if (plain.kind === "hung") {
      report.counts.hung++;
      report.hung.push(file.name);
    }
    if (JSON.stringify(plain) === JSON.stringify(kernel)) continue;
    const line = `${file.name}: node ${JSON.stringify(plain)}, kernel ${JSON.stringify(kernel)}, source ${JSON.stringify(file.source.slice(0, 120))}`;
    const reason = expectedDifference(file, plain, kernel);
    if (reason) {
      report.counts.expectedDifferences++;
      report.expected.push(`${line} (${reason})`);
    } else report.differences.push(line);
  }
  report.ms = Math.round(performance.now() - started);
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exit(0);
}

await main();
