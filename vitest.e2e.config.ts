import { defineConfig } from "vitest/config";

// End-to-end tests in real editors (Neovim, code-server + Chromium). They need
// `node scripts/e2e-setup.mjs` and a build; one at a time, each starts its own editor.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 120_000,
    // test/e2e/vscode.test.ts runs only here (not under the default config).
    env: { FLASH_E2E_CONFIG: "1" },
  },
});
