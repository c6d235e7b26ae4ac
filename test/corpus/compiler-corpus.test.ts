// The cell compiler proven on real code: test262's parser tests and npm packages' TypeScript, against plain Node.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { kernelPerFile, repoRoot, resultText } from "../support/kernel.ts";
import type { Exchange } from "../../kernel/course/client.ts";
import type { CorpusReport } from "./check-corpus.ts";
import { test262, typescriptSources } from "./corpus.ts";

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

describe("the corpus through the real kernel over ZeroMQ", () => {
  const kernel = kernelPerFile({ env: { LOOPLAB_TIME_SCALE: "100" } });
  /**
   * The cells share the kernel's globals, so one may loop forever on a name an earlier one declared (`a`,
   * undefined in a fresh context, is defined here): a cell still running after this long is interrupted,
   * which must answer it too. A slow cell interrupted by mistake is answered all the same.
   */
  const PATIENCE_MS = 250;

  it("answers every cell, and calls none a SyntaxError (Node parses them all) nor a fault of its own", async () => {
    const hung = new Set(report.hung);
    const cells = [...test262(), ...typescriptSources()].filter((file) => !hung.has(file.name));
    const unanswered: string[] = [];
    const wrong: string[] = [];
    const statuses = new Map<string, number>();
    let interrupted = 0;
    for (const file of cells) {
      const running = kernel.client.execute(file.source, { stopOnError: false });
      let timer: NodeJS.Timeout | undefined;
      let exchange = await Promise.race([running, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), PATIENCE_MS)))]);
      clearTimeout(timer);
      if (!exchange) {
        interrupted++;
        await kernel.client.request("control", "interrupt_request", {});
        exchange = await Promise.race([running, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), 10_000)))]);
        clearTimeout(timer);
        if (!exchange) {
          unanswered.push(`${file.name}: no reply, even after an interrupt`);
          break;
        }
      }
      const status = String(exchange.reply.content.status);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      const ename = exchange.reply.content.ename;
      if (ename === "SyntaxError" || ename === "KernelError") wrong.push(`${file.name}: ${ename}: ${exchange.reply.content.evalue}`);
      if (exchange.iopub.at(-1)?.content.execution_state !== "idle") unanswered.push(`${file.name}: no idle`);
    }
    console.log(
      `kernel corpus: ${cells.length} cells sent, ${[...statuses.values()].reduce((a, b) => a + b, 0)} answered ` +
        `(${[...statuses].map(([status, n]) => `${n} ${status}`).join(", ")}; ${interrupted} interrupted after ${PATIENCE_MS} ms), ` +
        `${report.hung.length} endless loops left out`,
    );
    expect(unanswered).toEqual([]);
    expect(wrong).toEqual([]);
    // The corpus ran in the kernel's own context: it still computes.
    expect(resultText(await kernel.execute("[1, 2, 3].map((n) => n * 2).join()"))).toBe("'2,4,6'");
  }, 180_000);
});
