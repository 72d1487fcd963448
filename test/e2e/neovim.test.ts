// A second real LSP client: Neovim 0.7's built-in client, headless, talks to
// dist/server.js over stdio and reads our diagnostic back. Proves the server speaks
// plain LSP to an editor we did not write. Needs `nvim` (scripts/e2e-setup.mjs).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DIST_SERVER, FLASH_PYTHON, makeSandbox, requireFile, type E2eSandbox } from "./e2ePaths";

const LUA_SCRIPT = join(__dirname, "nvimDiagnostics.lua");

/** One entry of `vim.diagnostic.get(bufnr)` as Neovim 0.7 encodes it (0-based, byte columns). */
interface NvimDiagnostic {
  lnum: number;
  col: number;
  end_lnum: number;
  end_col: number;
  severity: number;
  message: string;
  source?: string;
  code?: string;
  user_data?: { lsp?: { code?: string } };
}

interface NvimResult {
  arrived: boolean;
  elapsed_ms: number;
  filetype: string;
  diagnostics: NvimDiagnostic[];
}

/** Opens `file` in headless Neovim with our server attached; returns what Neovim saw. */
function diagnosticsInNeovim(sandbox: E2eSandbox, file: string): NvimResult {
  const out = join(sandbox.root, "nvim-diagnostics.json");
  const r = spawnSync("nvim", ["--headless", "--clean", "-c", `luafile ${LUA_SCRIPT}`], {
    cwd: sandbox.workspace,
    encoding: "utf8",
    timeout: 90_000,
    env: {
      ...process.env,
      ...sandbox.env,
      FLASH_PYTHON,
      FLASH_E2E_SERVER: DIST_SERVER,
      FLASH_E2E_ROOT: sandbox.workspace,
      FLASH_E2E_FILE: file,
      FLASH_E2E_OUT: out,
      FLASH_E2E_TIMEOUT_MS: "60000",
    },
  });
  if (r.error) throw r.error;
  expect(r.status, `nvim exited with ${r.status ?? r.signal}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return JSON.parse(readFileSync(out, "utf8")) as NvimResult;
}

describe("Neovim (headless, built-in LSP client)", () => {
  const sandboxes: E2eSandbox[] = [];
  afterAll(() => sandboxes.forEach((s) => s.remove()));

  it("shows the syntax error of summarizer.py on line 7 with source flash and code syntax", () => {
    requireFile(DIST_SERVER, "run `node scripts/build.mjs`");
    requireFile(FLASH_PYTHON, "run `node scripts/setup.mjs`");
    const nvim = spawnSync("nvim", ["--version"], { encoding: "utf8" });
    if (nvim.error) throw new Error("nvim is not installed: run `node scripts/e2e-setup.mjs`");

    const sandbox = makeSandbox("nvim");
    sandboxes.push(sandbox);
    const result = diagnosticsInNeovim(sandbox, join(sandbox.workspace, "summarizer.py"));

    expect(result.arrived).toBe(true);
    expect(result.filetype).toBe("python");
    // `async def summarize(text: str) -> str` lacks its colon: Python points past "str".
    expect(
      result.diagnostics.map((d) => ({
        lnum: d.lnum,
        col: d.col,
        end_lnum: d.end_lnum,
        end_col: d.end_col,
        severity: d.severity,
        message: d.message,
        source: d.source,
        code: d.code ?? d.user_data?.lsp?.code,
      })),
    ).toEqual([
      {
        lnum: 6,
        col: 36,
        end_lnum: 6,
        end_col: 37,
        severity: 1, // vim.diagnostic.severity.ERROR
        message: "SyntaxError: expected ':' (summarizer.py, line 7)",
        source: "flash",
        code: "syntax",
      },
    ]);
  });
});
