// A real LSP client for protocol tests: starts dist/server.js over stdio and
// speaks JSON-RPC to it with vscode-languageserver-protocol.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgressCreateRequest,
  type Diagnostic,
  type FileEvent,
  type ProtocolConnection,
} from "vscode-languageserver-protocol/node";
import { FlashMethods, type EndpointModel, type StatusParams } from "../../shared/src/protocol/flashProtocol";

export const SERVER = fileURLToPath(new URL("../../dist/server.js", import.meta.url));

export interface LspOptions {
  folders: string[];
  /** Settings per folder path (the `flash` section), answered to workspace/configuration. */
  settings?: (folder: string) => unknown;
  env?: NodeJS.ProcessEnv;
  initializationOptions?: unknown;
}

export class LspSession {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly statuses: StatusParams[] = [];
  readonly logs: string[] = [];
  readonly progress: unknown[] = [];
  private waiters: (() => void)[] = [];

  private constructor(readonly connection: ProtocolConnection, readonly child: ChildProcess) {}

  static async start(o: LspOptions): Promise<LspSession> {
    if (!existsSync(SERVER)) throw new Error(`build first: ${SERVER} is missing`);
    const child = spawn(process.execPath, [SERVER, "--stdio"], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, ...o.env } });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const s = new LspSession(connection, child);
    child.stderr!.on("data", (d) => s.logs.push(String(d)));
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      s.diagnostics.set(p.uri, p.diagnostics);
      s.wake();
    });
    connection.onNotification(FlashMethods.status, (p: StatusParams) => {
      s.statuses.push(p);
      s.wake();
    });
    connection.onNotification(FlashMethods.modelChanged, () => s.wake());
    connection.onNotification("window/logMessage", (p: { message: string }) => void s.logs.push(p.message));
    connection.onNotification("window/showMessage", (p: { message: string }) => void s.logs.push(`showMessage: ${p.message}`));
    connection.onRequest("window/showMessageRequest", (p: { message: string }) => {
      s.logs.push(`showMessage: ${p.message}`);
      return null;
    });
    connection.onNotification("$/progress", (p: unknown) => void s.progress.push(p));
    connection.onRequest(WorkDoneProgressCreateRequest.method, () => null);
    connection.onRequest("client/registerCapability", () => null);
    connection.onRequest(ConfigurationRequest.type, (p) =>
      p.items.map((item) => (item.scopeUri && o.settings ? o.settings(fileURLToPath(item.scopeUri)) ?? null : null)),
    );
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      initializationOptions: o.initializationOptions,
      workspaceFolders: o.folders.map((f) => ({ uri: uri(f), name: f.split("/").pop()! })),
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        window: { workDoneProgress: true },
        textDocument: { publishDiagnostics: { relatedInformation: true } },
      },
    });
    connection.sendNotification(InitializedNotification.type, {});
    return s;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  /** Polls `probe` on every message and every 100 ms until it returns a value or time runs out. */
  async waitFor<T>(probe: () => T | undefined | false, timeoutMs = 30_000, what = "condition"): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; server log:\n${this.logs.join("").slice(-3000)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 100);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits until the folder reports ready (or error) after `since` status messages. */
  async ready(folder: string, since = 0, timeoutMs = 30_000): Promise<StatusParams> {
    return this.waitFor(
      () => this.statuses.slice(since).find((s) => s.folderUri === uri(folder) && (s.state === "ready" || s.state === "error")),
      timeoutMs,
      `${folder} ready`,
    );
  }

  model(folder: string): Promise<EndpointModel | null> {
    return this.connection.sendRequest(FlashMethods.endpointModel, { folderUri: uri(folder) });
  }

  diagnosticsOf(file: string): Diagnostic[] {
    return this.diagnostics.get(uri(file)) ?? [];
  }

  open(file: string, text: string): void {
    this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(file), languageId: "python", version: 1, text } });
  }

  private versions = new Map<string, number>();

  /** Edits and saves the file as an editor does: open (or change) it, write it, didSave. */
  save(file: string, text: string): void {
    const version = (this.versions.get(file) ?? 0) + 1;
    this.versions.set(file, version);
    if (version === 1) this.open(file, text);
    else this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri(file), version }, contentChanges: [{ text }] });
    writeFileSync(file, text);
    this.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri: uri(file) } });
  }

  filesChanged(changes: FileEvent[]): void {
    this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  async close(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 3000))]);
      this.connection.sendNotification(ExitNotification.type);
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 200));
    this.child.kill("SIGKILL");
    this.connection.dispose();
  }
}

export function uri(path: string): string {
  return pathToFileURL(path).href;
}

export function fixturePath(...parts: string[]): string {
  return join(fileURLToPath(new URL("../fixtures/", import.meta.url)), ...parts);
}
