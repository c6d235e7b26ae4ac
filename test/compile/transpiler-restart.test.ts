// esbuild's service dies when Jupyter interrupts the kernel's process group; the next TypeScript cell must still compile.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { compileCell, isComplete } from "../../kernel/compile/index.ts";

/** The esbuild service processes this test process started. */
function esbuildChildren(): number[] {
  let pids: string[];
  try {
    pids = execFileSync("pgrep", ["-P", String(process.pid)], { encoding: "utf8" }).trim().split("\n");
  } catch {
    return [];
  }
  return pids.map(Number).filter((pid) => {
    try {
      return execFileSync("ps", ["-o", "comm=", "-p", String(pid)], { encoding: "utf8" }).trim() === "esbuild";
    } catch {
      return false;
    }
  });
}

describe("esbuild service restart", () => {
  it("compiles TypeScript again after SIGINT killed the service", async () => {
    await compileCell("const rsBefore: number = 1", { filename: "before" });
    const services = esbuildChildren();
    expect(services.length).toBeGreaterThan(0);
    for (const pid of services) process.kill(pid, "SIGINT");
    // Wait until the service is really gone (it exits on the signal).
    for (let i = 0; i < 100 && esbuildChildren().some((pid) => services.includes(pid)); i++) await new Promise((r) => setTimeout(r, 20));
    const cell = await compileCell("const rsAfter: number = 2;\nrsAfter", { filename: "after" });
    expect(cell.declared).toEqual(["rsAfter"]);
    expect(isComplete("interface RsOpen {").status).toBe("incomplete");
  });
});
