// The cell compiler proven on real code: test262's parser tests and npm packages' TypeScript, against plain Node.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/kernel.ts";
import type { CorpusReport } from "./check-corpus.ts";

let report: CorpusReport;

beforeAll(async () => {
  // Bundled like the compile bench, so the corpus runs in a plain Node process of its own.
  const outfile = join(repoRoot, "node_modules/.cache/looplab-test/check-corpus.mjs");
  await build({
    entryPoints: [join(repoRoot, "test/corpus/check-corpus.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outfile,
    logLevel: "warning",
  });
  report = JSON.parse(execFileSync(process.execPath, [outfile], { cwd: repoRoot, encoding: "utf8", maxBuffer: 64 << 20 }));
  const { counts } = report;
  console.log(
    `corpus: ${counts.scripts} scripts, ${counts.modules} modules (test262), ${counts.typescript} TypeScript files; ` +
      `${counts.compared} scripts run by Node and by the kernel (${counts.hung} loop forever in both), ` +
      `${counts.expectedDifferences} documented differences, in ${report.ms} ms`,
  );
}, 180_000);

describe("the compiler on the corpus", () => {
  it("covers every program test262's parser tests have that Node parses, and real packages' TypeScript", () => {
    expect(report.counts.scripts).toBeGreaterThan(1800);
    expect(report.counts.modules).toBeGreaterThan(70);
    expect(report.counts.typescript).toBeGreaterThan(100);
  });

  it("compiles every file as a cell and as a relative module into JavaScript that parses", () => {
    expect(report.failures).toEqual([]);
  });

  it("gives every script the result plain Node gives it: the same value, the same error, the same hang", () => {
    expect(report.counts.compared).toBe(report.counts.scripts);
    expect(report.differences).toEqual([]);
    // The documented additions stay few: a regression that looks like one would grow this.
    expect(report.counts.expectedDifferences).toBeLessThanOrEqual(3);
  });
});
