// One project folder, kept scanned: a warm probe, the module results, and the
// current model. Saves are coalesced; the newest request wins and cancels stale
// work; never two scans of one folder at once. Editor-independent.
import { join } from "node:path";
import { collectProjectFiles, scanModules } from "../files/collectFiles";
import { validateLocalImports } from "../files/localImports";
import { ScanMirror } from "../files/scanMirror";
import type { Hello, ModuleResult } from "../probe/probeMessages";
import { runProbeScan, type DeployRequest, type ProbeScanOutcome } from "../probe/runProbeScan";
import { WarmProbeHost } from "../probe/warmProbeHost";
import { assembleScan } from "../scan/assembleScan";
import { mergeResults, modulesToRescan } from "../scan/incremental";
import type { ScanResult } from "../scan/scanResult";

export interface SessionOptions {
  root: string;
  python: string;
  timeoutSeconds: number;
  /** Memory limit of the scanning process in MB (flash.scan.memoryLimitMB). */
  memoryLimitMB?: number;
  /** Extra patterns (gitignore syntax) of modules not to scan in the editor. */
  exclude?: (rel: string) => boolean;
  /** Fork scans from a warm interpreter (POSIX); otherwise a fresh process per scan. */
  warm?: boolean;
  log?: (line: string) => void;
  onStatus?: (state: "starting" | "scanning" | "ready" | "error", message: string) => void;
  onProgress?: (done: number, total: number) => void;
}

type Work = { full: boolean; files: Set<string> };

export class SessionError extends Error {
  constructor(message: string, readonly kind: string) {
    super(message);
  }
}

export class ProjectSession {
  scan: ScanResult | null = null;
  hello: Hello | null = null;
  /** What the last scan imported and how long it took (for the log and benchmarks). */
  lastRun: { modules: string[]; full: boolean; ms: number } | null = null;
  /** Set when the folder cannot be scanned at all (no runpod_flash …). */
  problem: SessionError | null = null;
  private results = new Map<string, ModuleResult>();
  private files: string[] = [];
  private modules: string[] = [];
  private host: WarmProbeHost | null = null;
  private pending: Work | null = null;
  private running: { work: Work; abort: AbortController; done: Promise<void> } | null = null;
  private idle: (() => void)[] = [];
  private listeners: ((scan: ScanResult) => void)[] = [];
  private preloaded = false;
  private restarts = 0;
  private disposed = false;
  private readonly mirror: ScanMirror;

  constructor(readonly options: SessionOptions) {
    this.mirror = ScanMirror.for(options.root);
  }

  onModel(listener: (scan: ScanResult) => void): void {
    this.listeners.push(listener);
  }

  /** Asks for a rescan of `files` (saved), or of everything; resolves when the model reflects it. */
  request(files: string[] | "full"): Promise<void> {
    const work = this.pending ?? { full: false, files: new Set<string>() };
    if (files === "full") work.full = true;
    else for (const f of files) work.files.add(f);
    this.pending = work;
    // The newest request wins: stale work in flight is cancelled and folded in.
    if (this.running) {
      for (const f of this.running.work.files) work.files.add(f);
      work.full ||= this.running.work.full;
      this.running.abort.abort();
    } else {
      queueMicrotask(() => this.pump());
    }
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private async pump(): Promise<void> {
    if (this.running || !this.pending || this.disposed) return;
    const work = this.pending;
    this.pending = null;
    const abort = new AbortController();
    const done = this.exclusive(() => this.execute(work, abort.signal)).catch((e) => {
      this.options.log?.(`scan failed: ${(e as Error).stack ?? e}`);
      this.options.onStatus?.("error", (e as Error).message);
    });
    this.running = { work, abort, done };
    await done;
    this.running = null;
    if (this.pending) return this.pump();
    const waiting = this.idle;
    this.idle = [];
    waiting.forEach((resolve) => resolve());
    if (work.full) this.indexedOnce = false;
    else for (const f of work.files) this.unindexed.add(f);
    void this.preloadOnce().then(() => this.indexSources()).then(() => this.prepareImportCheck());
  }

  private async execute(work: Work, signal: AbortSignal): Promise<void> {
    const full = work.full || !this.scan;
    if (full) {
      this.files = await collectProjectFiles(this.options.root);
      this.modules = scanModules(this.files).filter((m) => !this.options.exclude?.(m));
    }
    const targets = full ? this.modules : modulesToRescan(work.files, this.modules, this.scan!.moduleImports);
    if (!full && targets.length === 0) return;
    this.options.onStatus?.("scanning", full ? `scanning ${this.modules.length} modules` : `rescanning ${targets.join(", ")}`);
    const started = performance.now();
    if (!full) await this.mirror.sync(work.files.size ? [...work.files].filter((f) => this.files.includes(f)) : [], false);
    const outcome = await this.runProbe(targets, signal, undefined, this.files, full);
    if (signal.aborted || !outcome) return;
    this.results = full ? mergeResults(new Map(), outcome.results, this.modules) : mergeResults(this.results, outcome.results, this.modules);
    this.scan = assembleScan({
      root: this.options.root,
      files: this.files,
      modules: this.modules,
      hello: outcome.hello!,
      results: [...this.results.values()],
      durationMs: performance.now() - started,
      output: outcome.output,
    });
    this.thirdParty = outcome.thirdPartyImports ?? this.thirdParty;
    this.lastRun = { modules: targets, full, ms: performance.now() - started };
    // Views first, then "ready": whoever waits for ready sees the new model.
    for (const l of this.listeners) l(this.scan);
    this.options.onStatus?.("ready", `${this.scan.functions.length} functions, ${this.scan.failures.length} failures`);
  }

  private thirdParty: string[] = [];
  /** The warm parent has parsed the whole file list since it started or the last full scan. */
  private indexedOnce = false;
  /** Files saved since the warm parent last parsed them. */
  private unindexed = new Set<string>();
  private lock: Promise<unknown> = Promise.resolve();

  /** Runs `fn` when no scan of this folder is running, and keeps scans out meanwhile. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /** Runs the probe over `modules`; null when cancelled or when the folder cannot be scanned. */
  async runProbe(
    modules: string[],
    signal?: AbortSignal,
    deployRequest?: (r: ModuleResult[], hello: Hello) => DeployRequest | null,
    projectFiles: string[] = this.files,
    /** Full scans sync the whole mirror and report third-party imports; a save syncs what changed. */
    full = true,
  ): Promise<ProbeScanOutcome | null> {
    const host = await this.warmHost();
    if (full) await this.mirror.sync(projectFiles);
    const outcome = await runProbeScan({
      python: this.options.python,
      root: this.mirror.dir,
      cwd: this.options.root,
      modules,
      projectFiles,
      timeoutSeconds: this.options.timeoutSeconds,
      memoryLimitMB: this.options.memoryLimitMB,
      signal,
      open: host?.open,
      deployRequest,
      reportImports: full && !this.preloaded,
      log: this.options.log,
      onProgress: (done, total) => this.options.onProgress?.(done, total),
    });
    if (outcome.fatal?.kind === "cancelled") return null;
    if (outcome.fatal) {
      this.problem = new SessionError(outcome.fatal.message, outcome.fatal.kind);
      this.options.onStatus?.("error", outcome.fatal.message);
      return null;
    }
    if (outcome.hello) this.hello = outcome.hello;
    return outcome;
  }

  /** The files and modules of the last full scan (what a manifest build ships). */
  get projectFiles(): { files: string[]; modules: string[] } {
    return { files: this.files, modules: this.modules };
  }

  private async warmHost(): Promise<WarmProbeHost | null> {
    if (this.options.warm === false || process.platform === "win32") return null;
    if (this.host?.alive) return this.host;
    if (this.host) {
      // Back-off: 0.5 s, 1 s, 2 s … 30 s between restarts of a dying warm probe.
      const delay = Math.min(30_000, 500 * 2 ** this.restarts++);
      this.options.log?.(`warm probe exited; restarting in ${delay} ms`);
      this.options.onStatus?.("starting", "restarting the Python probe");
      await new Promise((r) => setTimeout(r, delay));
    }
    this.options.onStatus?.("starting", `starting ${this.options.python}`);
    this.host = new WarmProbeHost(this.options.python, this.options.root, this.options.log);
    this.preloaded = false;
    this.indexedOnce = false;
    try {
      this.hello = await this.host.start();
      this.problem = null;
      return this.host;
    } catch (e) {
      const kind = (e as { kind?: string }).kind ?? "start";
      this.problem = new SessionError(
        kind === "sdk-missing"
          ? `runpod_flash cannot be imported by ${this.options.python}: ${(e as Error).message}`
          : (e as Error).message,
        kind,
      );
      this.host.dispose();
      throw this.problem;
    }
  }

  private async preloadOnce(): Promise<void> {
    if (this.preloaded || !this.host?.alive || this.host.busy || this.thirdParty.length === 0) return;
    this.preloaded = true;
    const { loaded, failed } = await this.host.preload(this.thirdParty);
    this.options.log?.(`preloaded ${loaded.length} modules${failed.length ? `; not: ${failed.map((f) => `${f.module} (${f.error})`).join(", ")}` : ""}`);
  }

  /**
   * While idle: the warm parent parses and compiles what the next scan will import;
   * after a save, only the saved files (the parent checks the rest when a full scan ran).
   */
  private async indexSources(): Promise<void> {
    if (!this.host?.alive || this.host.busy || this.running || this.pending) return;
    const complete = !this.indexedOnce;
    const changed = complete ? this.files : [...this.unindexed].filter((f) => this.files.includes(f));
    const paths = changed.filter((f) => f.endsWith(".py")).map((f) => join(this.mirror.dir, f));
    if (!complete && paths.length === 0) return;
    const sent = [...this.unindexed];
    this.unindexed.clear();
    this.indexedOnce = true; // a full scan meanwhile sets it back
    const done = await this.host.index(paths, complete);
    if (!done) {
      // Busy or gone: the next quiet moment sends them again.
      if (complete) this.indexedOnce = false;
      for (const f of sent) this.unindexed.add(f);
      return;
    }
    if (done.parsed > 0) this.options.log?.(`indexed ${done.parsed} changed of ${done.files} files in ${done.ms.toFixed(0)} ms`);
  }

  /**
   * Once, while idle after the first scan: Build manifest's import check parses every
   * shipped file (in TypeScript, as the CLI parses them in Python); parses are kept
   * per file content, so doing it now spares the user's first Build manifest that work.
   */
  private async prepareImportCheck(): Promise<void> {
    if (this.importCheckPrepared || this.disposed || !this.scan || this.running || this.pending) return;
    this.importCheckPrepared = true;
    const started = performance.now();
    await validateLocalImports(this.options.root, this.files).catch(() => null);
    this.options.log?.(`prepared the import check of ${this.files.length} files in ${(performance.now() - started).toFixed(0)} ms`);
  }

  private importCheckPrepared = false;

  dispose(): void {
    this.disposed = true;
    this.running?.abort.abort();
    this.host?.dispose();
    void this.mirror.dispose();
  }
}
