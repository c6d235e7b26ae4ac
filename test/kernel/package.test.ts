// The npm package as a user gets it: `npm pack`, unpacked into an app's node_modules, `looplab install` from
// there, and the kernel that kernel.json names runs cells that import "looplab" from a notebook elsewhere.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, startKernel, type TestKernel } from "../support/kernel.ts";

let dir: string;
let app: string;
let spec: { argv: string[]; display_name: string; env: Record<string, string> };
let kernel: TestKernel | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "looplab-package-"));
  // --ignore-scripts: `npm test` has built dist/ already; rebuilding here would swap it under other tests.
  const pack = spawnSync("npm", ["pack", "--ignore-scripts", "--pack-destination", dir], { cwd: repoRoot, encoding: "utf8" });
  expect(pack.status, pack.stderr).toBe(0);
  const tarball = readdirSync(dir).find((name) => name.endsWith(".tgz"));
  expect(tarball).toBeDefined();
  app = join(dir, "app");
  const installed = join(app, "node_modules", "looplab");
  mkdirSync(installed, { recursive: true });
  const untar = spawnSync("tar", ["-xzf", join(dir, tarball!), "-C", installed, "--strip-components=1"], { encoding: "utf8" });
  expect(untar.status, untar.stderr).toBe(0);
  // The registry is out of reach in tests: the package's dependencies come from this checkout, linked where
  // npm would have put them.
  const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  for (const name of Object.keys(manifest.dependencies)) {
    // A scoped name (@resvg/resvg-js, @types/node) lives one folder deeper.
    mkdirSync(dirname(join(app, "node_modules", name)), { recursive: true });
    symlinkSync(join(repoRoot, "node_modules", name), join(app, "node_modules", name), "dir");
  }
  const install = spawnSync(process.execPath, [join(installed, "kernel/bin/looplab.js"), "install", "--prefix", join(dir, "prefix")], { encoding: "utf8" });
  expect(install.status, install.stderr).toBe(0);
  spec = JSON.parse(readFileSync(join(dir, "prefix/share/jupyter/kernels/looplab/kernel.json"), "utf8"));
}, 60_000);

afterAll(async () => {
  await kernel?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the installed package", () => {
  it("packs the built kernel and runtime, the lessons and the README, and no tests", () => {
    const installed = join(app, "node_modules", "looplab");
    for (const file of ["kernel/dist/cli.js", "runtime/dist/index.js", "kernel/assets/logo-64x64.png", "README.md", "notebooks/01-why-async.ipynb"]) {
      expect(() => readFileSync(join(installed, file)), file).not.toThrow();
    }
    expect(() => readdirSync(join(installed, "test"))).toThrow();
  });

  it("writes a kernelspec that starts the installed copy, not the checkout", () => {
    expect(spec.display_name).toBe("TypeScript (LoopLab)");
    expect(spec.argv).toContain(join(app, "node_modules", "looplab", "kernel/dist/start.js"));
    expect(spec.argv.at(-1)).toBe("{connection_file}");
  });

  it("runs TypeScript cells that import the runtime from a notebook directory of their own", async () => {
    const notebookDir = mkdtempSync(join(dir, "notebook-"));
    kernel = await startKernel({ argv: spec.argv, specEnv: spec.env, cwd: notebookDir });
    const run = await kernel.execute(`
import { gather, sleep } from "looplab";
interface Named { name: string }
const named: Named[] = await gather(sleep(20, { name: "slow" }), sleep(5, { name: "fast" }));
named.map((n) => n.name)`);
    expect(run.error).toBeUndefined();
    expect(run.result?.["text/plain"]).toBe("[ 'slow', 'fast' ]");
    // The process is the installed copy's launcher; cells get the runtime that copy ships.
    const launcher = await kernel.execute("process.argv[1]");
    expect(launcher.result?.["text/plain"]).toBe(`'${join(app, "node_modules", "looplab", "kernel/dist/start.js")}'`);
    // The installed runtime finds its rasterizer (a native dependency outside the bundle): charts carry a PNG.
    const chart = await kernel.execute(`import { timeline } from "looplab";\nconst tl = await timeline(() => sleep(10), { live: false });\ntl`);
    expect(chart.error).toBeUndefined();
    expect(Buffer.from(String(chart.result?.["image/png"]), "base64").subarray(1, 4).toString()).toBe("PNG");
  }, 60_000);

  it("type-checks cells with the installed copy's checker, looplab's and node:'s types included", async () => {
    const late = new Promise<string>((resolve) => {
      const stop = kernel!.client.onIopub((m) => {
        if (m.header.msg_type === "stream" && String(m.content.text).includes("(TS")) {
          stop();
          resolve(String(m.content.text).replace(/\u001b\[[0-9;]*m/g, ""));
        }
      });
    });
    await kernel!.execute('import { sleep } from "looplab";\nimport { readFileSync } from "node:fs";\nconst pause: string = sleep(1);\nconst size: string = readFileSync("x").length');
    const text = await late;
    expect(text).toContain("line 3, col 7: Type 'Promise<void>' is not assignable to type 'string'.");
    expect(text).toContain("line 4, col 7: Type 'number' is not assignable to type 'string'. (TS2322)");
  }, 60_000);
});
