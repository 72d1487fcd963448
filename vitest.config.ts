import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Real editors run one at a time under vitest.e2e.config.ts.
    exclude: [...configDefaults.exclude, "test/e2e/**"],
    // Integration tests start real Python processes; two cores, so keep it modest.
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
