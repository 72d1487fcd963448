// Restricted Mode: no language server, no interpreter, no user code. The tree shows
// what a static read of the decorators finds (shared/src/static), re-read on change.
import * as vscode from "vscode";
import { staticScanFolder } from "../../shared/src/static/readStaticSources";
import { scanExcludes, workspaceFolders } from "./config";
import { log } from "./logger";
import type { ModelStore } from "./modelStore";

const DEBOUNCE_MS = 300;

export class RestrictedMode implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly generation = new Map<string, number>();

  constructor(private readonly store: ModelStore, private readonly onScanned: () => void) {}

  start(): void {
    log.info("Restricted Mode: reading decorators only; the language server starts once the workspace is trusted");
    const watcher = vscode.workspace.createFileSystemWatcher("**/*.py");
    const changed = (uri: vscode.Uri) => {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (folder) this.schedule(folder);
    };
    this.disposables.push(
      watcher,
      watcher.onDidChange(changed),
      watcher.onDidCreate(changed),
      watcher.onDidDelete(changed),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.scanAll()),
    );
    void this.scanAll();
  }

  async scanAll(): Promise<void> {
    this.store.prune();
    await Promise.all(workspaceFolders().map((f) => this.scan(f)));
  }

  private schedule(folder: vscode.WorkspaceFolder): void {
    const key = folder.uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.set(key, setTimeout(() => void this.scan(folder), DEBOUNCE_MS));
  }

  private async scan(folder: vscode.WorkspaceFolder): Promise<void> {
    if (folder.uri.scheme !== "file") return;
    const key = folder.uri.toString();
    const generation = (this.generation.get(key) ?? 0) + 1;
    this.generation.set(key, generation);
    const started = performance.now();
    try {
      const model = await staticScanFolder(folder.uri.fsPath, { folderUri: key, exclude: scanExcludes(folder) });
      if (this.generation.get(key) !== generation) return; // a newer read is under way
      log.info(`${folder.name}: static read found ${model.endpoints.length} endpoints in ${Math.round(performance.now() - started)} ms`);
      this.store.set(key, model);
      this.onScanned();
    } catch (e) {
      log.error(`${folder.name}: static read failed`, e);
    }
  }

  dispose(): void {
    this.pending.forEach((t) => clearTimeout(t));
    this.disposables.forEach((d) => d.dispose());
    this.disposables.length = 0;
  }
}
