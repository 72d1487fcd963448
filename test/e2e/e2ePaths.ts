// Where the end-to-end tests find the built server, the editor install and the fixture,
// and fresh temp copies of the fixture workspace (a run never writes into the repository).
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/paths";

export { REPO_ROOT };
export const DIST_SERVER = join(REPO_ROOT, "dist", "server.js");
export const DIST_CLIENT = join(REPO_ROOT, "dist", "client.js");
export const E2E_WORKSPACE_FIXTURE = join(REPO_ROOT, "test", "fixtures", "e2e", "workspace");
/** Where scripts/e2e-setup.mjs installs code-server and playwright-core. */
export const EDITOR_DIR = join(REPO_ROOT, "test", "e2e", ".editor");
/** Screenshots and logs a reviewer can look at (ignored by git); FLASH_E2E_RESULTS moves them. */
export const RESULTS_DIR = process.env.FLASH_E2E_RESULTS ?? join(REPO_ROOT, "test-results", "e2e");

/** The interpreter with runpod-flash the server is told to use (FLASH_PYTHON). */
export const FLASH_PYTHON = process.env.FLASH_TEST_PYTHON ?? join(REPO_ROOT, ".tools", "venv", "bin", "python");

/** Fails with the command that fixes it, instead of a confusing error later. */
export function requireFile(path: string, fix: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: ${fix}`);
}

/** A temp folder holding `workspace/` (a copy of the fixture) and `home/` (HOME, XDG). */
export interface E2eSandbox {
  root: string;
  workspace: string;
  home: string;
  /** HOME and XDG folders inside the sandbox, so editors write nothing outside it. */
  env: NodeJS.ProcessEnv;
  remove(): void;
}

export function makeSandbox(prefix: string): E2eSandbox {
  // Real path: the server and Python report resolved paths.
  const root = realpathSync(mkdtempSync(join(tmpdir(), `flash-e2e-${prefix}-`)));
  const workspace = join(root, "workspace");
  const home = join(root, "home");
  cpSync(E2E_WORKSPACE_FIXTURE, workspace, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_DATA_HOME: join(home, ".local", "share"),
    XDG_STATE_HOME: join(home, ".local", "state"),
    XDG_CACHE_HOME: join(home, ".cache"),
  };
  for (const dir of [home, env.XDG_CONFIG_HOME!, env.XDG_DATA_HOME!, env.XDG_STATE_HOME!, env.XDG_CACHE_HOME!]) mkdirSync(dir, { recursive: true });
  return { root, workspace, home, env, remove: () => rmSync(root, { recursive: true, force: true }) };
}
