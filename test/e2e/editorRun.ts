// One end-to-end run: a fresh code-server on a sandboxed workspace, a fresh Chromium
// profile, the workbench opened on the folder. stop() closes both and keeps the
// editor's logs next to the screenshots in test-results/e2e/.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CodeServer } from "./codeServer";
import { RESULTS_DIR, type E2eSandbox } from "./e2ePaths";
import { launchChromium, type BrowserContext } from "./playwright";
import { Workbench } from "./workbench";

export interface EditorRunOptions {
  /** Prefix of this run's screenshots and logs, e.g. "trusted". */
  name: string;
  sandbox: E2eSandbox;
  trusted: boolean;
  env: NodeJS.ProcessEnv;
}

export class EditorRun {
  /** Milliseconds from start() to each named step, written to `<name>-timings.json`. */
  private readonly laps: Record<string, number> = {};
  /** When the workbench was up (epoch ms). */
  readonly readyAt = Date.now();

  private constructor(
    private readonly started: number,
    private readonly o: EditorRunOptions,
    readonly codeServer: CodeServer,
    private readonly browser: BrowserContext,
    readonly workbench: Workbench,
  ) {}

  static async start(o: EditorRunOptions): Promise<EditorRun> {
    const started = Date.now();
    mkdirSync(RESULTS_DIR, { recursive: true });
    // This run's artifacts from an earlier run would mislead a reviewer.
    for (const old of readdirSync(RESULTS_DIR).filter((f) => f.startsWith(`${o.name}-`))) rmSync(join(RESULTS_DIR, old), { recursive: true, force: true });
    const codeServer = await CodeServer.start({ sandbox: o.sandbox, trusted: o.trusted, env: o.env, logFile: join(RESULTS_DIR, `${o.name}-code-server.log`) });
    let browser: BrowserContext | undefined;
    try {
      browser = await launchChromium(join(o.sandbox.root, "chromium-profile"));
      const workbench = await Workbench.open(browser, codeServer.folderUrl(o.sandbox.workspace), RESULTS_DIR, o.name);
      const run = new EditorRun(started, o, codeServer, browser, workbench);
      run.lap("workbench ready");
      return run;
    } catch (e) {
      await browser?.close().catch(() => undefined);
      await codeServer.stop();
      throw e;
    }
  }

  /** Records that step `name` is done, now. */
  lap(name: string): number {
    this.laps[name] = Date.now() - this.started;
    return this.laps[name];
  }

  /** Closes the browser, kills code-server and everything it started, keeps the logs. */
  async stop(): Promise<void> {
    await this.workbench.shot("last").catch(() => undefined);
    await this.browser.close().catch(() => undefined);
    await this.codeServer.stop();
    this.lap("stopped");
    const record = { extension: this.codeServer.installedAs, msFromStart: this.laps };
    writeFileSync(join(RESULTS_DIR, `${this.o.name}-timings.json`), `${JSON.stringify(record, null, 2)}\n`);
    const logs = join(this.codeServer.userDataDir, "logs");
    if (existsSync(logs)) cpSync(logs, join(RESULTS_DIR, `${this.o.name}-logs`), { recursive: true });
  }
}
