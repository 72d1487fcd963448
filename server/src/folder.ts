// One workspace folder on the server: its settings, interpreter, session and what
// it last published.
import { fileURLToPath } from "node:url";
import { relative, sep } from "node:path";
import type { FlashSettings } from "../../shared/src/protocol/flashProtocol";
import type { EndpointModel } from "../../shared/src/protocol/endpointModel";
import { findInterpreter } from "../../shared/src/python/findInterpreter";
import { ProjectSession } from "../../shared/src/project/projectSession";
import { toEndpointModel } from "../../shared/src/model/toEndpointModel";
import { ignoreMatcher } from "../../shared/src/files/collectFiles";

export interface FolderHooks {
  log(line: string): void;
  status(folder: Folder, state: "starting" | "scanning" | "ready" | "error", message: string): void;
  progress(folder: Folder, done: number, total: number): void;
}

export class Folder {
  readonly root: string;
  session: ProjectSession | null = null;
  python: string | null = null;
  version = 0;

  constructor(
    readonly uri: string,
    readonly name: string,
    public settings: FlashSettings,
    private readonly hooks: FolderHooks,
  ) {
    this.root = fileURLToPath(uri);
  }

  /** Project-relative POSIX path of a file URI inside this folder, or null. */
  relativePath(uri: string): string | null {
    if (!uri.startsWith("file:")) return null;
    const rel = relative(this.root, fileURLToPath(uri));
    if (!rel || rel.startsWith("..") || rel.includes(":")) return null;
    return rel.split(sep).join("/");
  }

  /** Starts (or restarts, after a settings or interpreter change) the session. */
  start(): ProjectSession | null {
    this.session?.dispose();
    this.session = null;
    const interpreter = findInterpreter(this.root, this.settings.python.path || undefined);
    this.python = interpreter?.path ?? null;
    if (!interpreter) return null;
    let exclude: ((rel: string) => boolean) | undefined;
    try {
      exclude = this.settings.scan.exclude.length ? ignoreMatcher(this.settings.scan.exclude) : undefined;
    } catch (e) {
      this.hooks.log(`[${this.name}] ignoring flash.scan.exclude: ${(e as Error).message}`);
    }
    this.session = new ProjectSession({
      root: this.root,
      python: interpreter.path,
      timeoutSeconds: this.settings.scan.timeoutSeconds,
      memoryLimitMB: this.settings.scan.memoryLimitMB,
      exclude,
      log: (line) => this.hooks.log(`[${this.name}] ${line}`),
      onStatus: (state, message) => this.hooks.status(this, state, message),
      onProgress: (done, total) => this.hooks.progress(this, done, total),
    });
    return this.session;
  }

  model(): EndpointModel {
    const scan = this.session?.scan;
    if (scan) return toEndpointModel(scan, this.uri);
    const base: EndpointModel = {
      folderUri: this.uri, root: this.root, source: "runtime", interpreter: null,
      endpoints: [], crossCalls: [], failures: [], clients: [], scannedAt: 0,
    };
    if (!this.python) return { ...base, problem: { kind: "no-interpreter", message: "No Python interpreter found for this folder: set flash.python.path or create a .venv." } };
    const problem = this.session?.problem;
    if (problem?.kind === "sdk-missing")
      return { ...base, problem: { kind: "sdk-missing", message: problem.message, installCommand: `"${this.python}" -m pip install runpod-flash` } };
    if (problem) return { ...base, problem: { kind: "scan-failed", message: problem.message } };
    return base;
  }

  dispose(): void {
    this.session?.dispose();
    this.session = null;
  }
}
