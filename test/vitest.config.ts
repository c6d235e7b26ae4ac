// vitest settings: unit tests run in-process; integration tests start real kernel processes, so they get time.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: new URL("..", import.meta.url).pathname,
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two cores: more parallel kernels than that only makes timing-sensitive tests flaky.
    maxWorkers: 2,
    reporters: ["default"],
  },
});
