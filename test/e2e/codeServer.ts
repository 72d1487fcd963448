// A fresh code-server 4.100.3 per run (../shared/recipes/vscode-e2e.md): its own
// user-data, extensions and HOME folders, our extension installed, killed by its PID
// (and its process group) at the end, because the extension host outlives the browser.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, createWriteStream, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { DIST_CLIENT, EDITOR_DIR, REPO_ROOT, requireFile, type E2eSandbox } from "./e2ePaths";
import { waitFor } from "./poll";

const CODE_SERVER = join(EDITOR_DIR, "node_modules", "code-server", "out", "node", "entry.js");

/** User settings that keep the welcome page, banners and update checks out of the screenshots. */
const USER_SETTINGS = {
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "extensions.ignoreRecommendations": true,
  "update.mode": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "chat.disableAIFeatures": true,
  "files.autoSave": "off",
};

export interface CodeServerOptions {
  sandbox: E2eSandbox;
  /** false: start without --disable-workspace-trust, so the folder opens in Restricted Mode. */
  trusted: boolean;
  /** Extra environment for code-server; the extension host and our server inherit it. */
  env: NodeJS.ProcessEnv;
  /** code-server's own output goes here. */
  logFile: string;
}

interface ProcessRow {
  pid: number;
  ppid: number;
  args: string;
}

export class CodeServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly userDataDir: string,
    readonly extensionsDir: string,
    readonly installedAs: string,
  ) {}

  get pid(): number {
    return this.child.pid!;
  }

  static async start(o: CodeServerOptions): Promise<CodeServer> {
    requireFile(CODE_SERVER, "run `node scripts/e2e-setup.mjs`");
    const userDataDir = join(o.sandbox.root, "user-data");
    const extensionsDir = join(o.sandbox.root, "extensions");
    mkdirSync(join(userDataDir, "User"), { recursive: true });
    mkdirSync(extensionsDir, { recursive: true });
    writeFileSync(join(userDataDir, "User", "settings.json"), `${JSON.stringify(USER_SETTINGS, null, 2)}\n`);
    const env = codeServerEnv(o);
    const installedAs = installExtension(extensionsDir, userDataDir, env);

    const port = await freePort();
    const args = [
      CODE_SERVER,
      "--bind-addr", `127.0.0.1:${port}`,
      "--auth", "none",
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-getting-started-override",
      ...(o.trusted ? ["--disable-workspace-trust"] : []),
      "--user-data-dir", userDataDir,
      "--extensions-dir", extensionsDir,
      o.sandbox.workspace,
    ];
    const log = createWriteStream(o.logFile);
    // detached: its own process group, so stop() reaches the extension host and the
    // language server too.
    const child = spawn(process.execPath, args, { cwd: o.sandbox.root, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    const url = `http://127.0.0.1:${port}`;
    const server = new CodeServer(child, url, userDataDir, extensionsDir, installedAs);
    // Detached, so a test runner that exits without stop() would leave it running.
    process.once("exit", server.killGroupNow);
    try {
      await waitFor("code-server /healthz", async () => {
        if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}; see ${o.logFile}`);
        return (await fetch(`${url}/healthz`)).ok;
      }, { timeoutMs: 30_000, intervalMs: 100 });
    } catch (e) {
      await server.stop();
      throw e;
    }
    return server;
  }

  /** The workbench URL for a folder. */
  folderUrl(folder: string): string {
    return `${this.url}/?folder=${encodeURIComponent(folder)}`;
  }

  /** Every live process started by this code-server (extension host, language server, Python). */
  descendants(): ProcessRow[] {
    const rows = processTable();
    const found: ProcessRow[] = [];
    const parents = new Set([this.pid]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const row of rows) {
        if (parents.has(row.ppid) && !parents.has(row.pid)) {
          parents.add(row.pid);
          found.push(row);
          grew = true;
        }
      }
    }
    return found;
  }

  private readonly killGroupNow = (): void => {
    try {
      process.kill(-this.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  };

  /** Ends code-server, its process group and any descendant that left the group, by PID. */
  async stop(): Promise<void> {
    process.off("exit", this.killGroupNow);
    const stragglers = this.descendants().map((p) => p.pid);
    const signal = (sig: NodeJS.Signals) => {
      try {
        process.kill(-this.pid, sig);
      } catch {
        /* group already gone */
      }
      for (const pid of stragglers) {
        try {
          process.kill(pid, sig);
        } catch {
          /* already gone */
        }
      }
    };
    signal("SIGTERM");
    const alive = () => [this.pid, ...stragglers].some(isAlive);
    try {
      await waitFor("code-server and its children to exit", () => !alive(), { timeoutMs: 5_000 });
    } catch {
      signal("SIGKILL");
      await waitFor("code-server and its children to die", () => !alive(), { timeoutMs: 5_000 });
    }
  }
}

/** code-server's environment: ours, minus what would leak the test runner or a host VS Code. */
function codeServerEnv(o: CodeServerOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(VSCODE_|VITEST|ELECTRON_)/.test(k) || k === "NODE_ENV" || k === "NODE_OPTIONS" || k === "TEST") continue;
    env[k] = v;
  }
  return { ...env, ...o.sandbox.env, ...o.env };
}

/**
 * Installs our extension into `extensionsDir`. A .vsix from `npm run package` is used
 * when FLASH_E2E_VSIX names one, or when `<name>-<version>.vsix` is newer than
 * dist/client.js; otherwise the repository itself (package.json + dist/) is linked as
 * `<publisher>.<name>-<version>`, so the test always runs the current build.
 */
function installExtension(extensionsDir: string, userDataDir: string, env: NodeJS.ProcessEnv): string {
  // FLASH_E2E_EXTENSION_DIR: another extension folder (to debug the harness itself).
  const root = process.env.FLASH_E2E_EXTENSION_DIR ?? REPO_ROOT;
  const client = process.env.FLASH_E2E_EXTENSION_DIR ? join(root, "package.json") : DIST_CLIENT;
  requireFile(client, "run `node scripts/build.mjs` (the VS Code client is bundled to dist/client.js)");
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { publisher: string; name: string; version: string };
  const id = `${pkg.publisher}.${pkg.name}-${pkg.version}`;
  const defaultVsix = join(root, `${pkg.name}-${pkg.version}.vsix`);
  const vsix =
    process.env.FLASH_E2E_VSIX ??
    (existsSync(defaultVsix) && statSync(defaultVsix).mtimeMs >= statSync(client).mtimeMs ? defaultVsix : undefined);
  if (vsix && process.env.FLASH_E2E_EXTENSION !== "folder") {
    const r = spawnSync(process.execPath, [CODE_SERVER, "--user-data-dir", userDataDir, "--extensions-dir", extensionsDir, "--install-extension", vsix], {
      env,
      encoding: "utf8",
      timeout: 60_000,
    });
    if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
    return `vsix ${vsix}`;
  }
  const target = join(extensionsDir, id);
  if (process.env.FLASH_E2E_EXTENSION === "copy") {
    // A copy of what the extension needs at run time; the rest of the repository stays out.
    for (const entry of ["package.json", "dist", "README.md", "LICENSE", "client/media"]) {
      if (existsSync(join(root, entry))) cpSync(join(root, entry), join(target, entry), { recursive: true });
    }
    return `copy ${target}`;
  }
  symlinkSync(root, target, "dir");
  return `link ${target} -> ${root}`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function processTable(): ProcessRow[] {
  const r = spawnSync("ps", ["-eo", "pid=,ppid=,args="], { encoding: "utf8" });
  return r.stdout
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] }));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !processTable().some((p) => p.pid === pid && /<defunct>/.test(p.args));
  } catch {
    return false;
  }
}
