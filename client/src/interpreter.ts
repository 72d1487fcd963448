// The Python extension's active environment per folder, through its published API
// (extension.exports.environments), when ms-python.python is installed. Optional:
// without it every call answers undefined and Flash falls back to its own search.
import * as vscode from "vscode";
import { log } from "./logger";

export const PYTHON_EXTENSION_ID = "ms-python.python";

/** The slice of @vscode/python-extension's API we use. */
interface EnvironmentPath {
  id: string;
  path: string;
}
interface PythonEnvironmentsApi {
  getActiveEnvironmentPath(resource?: vscode.Uri | vscode.WorkspaceFolder): EnvironmentPath;
  resolveEnvironment(env: EnvironmentPath | string): Promise<{ executable: { uri: vscode.Uri | undefined } } | undefined>;
  onDidChangeActiveEnvironmentPath: vscode.Event<EnvironmentPath & { resource: vscode.WorkspaceFolder | vscode.Uri | undefined }>;
}

/** How long the language server may wait for the Python extension to answer. */
const ANSWER_TIMEOUT_MS = 5000;

export class PythonInterpreters implements vscode.Disposable {
  private api: Promise<PythonEnvironmentsApi | undefined> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** Fires when the Python extension's selection changes for any folder. */
  readonly onDidChange = this.changed.event;

  static isInstalled(): boolean {
    return vscode.extensions.getExtension(PYTHON_EXTENSION_ID) !== undefined;
  }

  /** The interpreter the Python extension selected for a folder, or undefined. */
  async interpreterFor(folder: vscode.WorkspaceFolder): Promise<string | undefined> {
    const api = await this.load();
    if (!api) return undefined;
    try {
      const active = api.getActiveEnvironmentPath(folder);
      const resolved = await withTimeout(api.resolveEnvironment(active), ANSWER_TIMEOUT_MS);
      return resolved?.executable.uri?.fsPath ?? active.path;
    } catch (e) {
      log.warn(`Python extension: no environment for ${folder.name}: ${(e as Error).message}`);
      return undefined;
    }
  }

  private load(): Promise<PythonEnvironmentsApi | undefined> {
    this.api ??= (async () => {
      const ext = vscode.extensions.getExtension<{ environments?: PythonEnvironmentsApi }>(PYTHON_EXTENSION_ID);
      if (!ext) return undefined;
      try {
        const exports = ext.isActive ? ext.exports : await withTimeout(Promise.resolve(ext.activate()), ANSWER_TIMEOUT_MS * 4);
        const api = exports?.environments;
        if (!api) return undefined;
        this.disposables.push(api.onDidChangeActiveEnvironmentPath((e) => {
          log.info(`Python extension selected ${e.path}`);
          this.changed.fire();
        }));
        log.info(`following the Python extension's interpreter selection (${ext.packageJSON?.version ?? "?"})`);
        return api;
      } catch (e) {
        log.warn(`Python extension API unavailable: ${(e as Error).message}`);
        return undefined;
      }
    })();
    return this.api;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([promise, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms))]);
}
