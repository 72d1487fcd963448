// The extension's state: the language client (started only in a trusted workspace),
// the models it serves, and their views. Restarts are serialized — at most one is
// queued while one runs — and a crashed server comes back with back-off.
import * as vscode from "vscode";
import { DidChangeConfigurationNotification, State, type LanguageClient } from "vscode-languageclient/node";
import type { StatusParams } from "../../shared/src/protocol/flashProtocol";
import { createClient } from "./client";
import { ContextKeys, setContext, workspaceFolders } from "./config";
import { EndpointsTree } from "./endpointsTree";
import { PythonInterpreters } from "./interpreter";
import { log } from "./logger";
import { EndpointModelRequest, ModelChangedNotification, RefreshRequest, StatusNotification } from "../../shared/src/protocol/flashMessages";
import { ModelStore } from "./modelStore";
import { StatusItem } from "./status";
import { welcomeState } from "./treeModel";
import { RestrictedMode } from "./trust";

/** Crashes within this window count towards giving up. */
const CRASH_WINDOW_MS = 3 * 60_000;
const MAX_CRASHES = 5;

export class Ctx implements vscode.Disposable {
  readonly store = new ModelStore();
  readonly status = new StatusItem();
  readonly interpreters = new PythonInterpreters();
  readonly tree: EndpointsTree;
  private client: LanguageClient | undefined;
  private restricted: RestrictedMode | undefined;
  private restarting: Promise<void> | undefined;
  private restartQueued = false;
  private crashes: number[] = [];
  private crashTimer: NodeJS.Timeout | undefined;
  private readonly fetches = new Map<string, number>();
  private readonly crashedClients = new WeakSet<LanguageClient>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext, private readonly activatedAt: number) {
    this.tree = new EndpointsTree(this.store);
    this.disposables.push(
      this.store,
      this.status,
      this.interpreters,
      this.tree,
      this.store.onDidChange(() => setContext(ContextKeys.welcome, welcomeState(this.store.folders()))),
      this.interpreters.onDidChange(() => this.configurationChanged()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.trusted()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.store.prune()),
    );
    setContext(ContextKeys.welcome, "loading");
  }

  /** A running client, or undefined (Restricted Mode, stopped, crashed). */
  get languageClient(): LanguageClient | undefined {
    return this.client?.state === State.Running ? this.client : undefined;
  }

  get isRestricted(): boolean {
    return this.restricted !== undefined;
  }

  async start(): Promise<void> {
    if (!vscode.workspace.isTrusted) return this.startRestricted();
    await this.requestRestart();
  }

  private startRestricted(): void {
    setContext(ContextKeys.server, "restricted");
    this.restricted = new RestrictedMode(this.store, () => this.status.setServer({ kind: "restricted", endpoints: this.store.endpointCount() }));
    this.status.setServer({ kind: "restricted", endpoints: 0 });
    this.restricted.start();
  }

  private async trusted(): Promise<void> {
    log.info("workspace trusted: starting the language server");
    this.restricted?.dispose();
    this.restricted = undefined;
    this.store.clear();
    await this.requestRestart();
  }

  /** Restarts the server; while one restart runs, further requests collapse into one more. */
  requestRestart(): Promise<void> {
    if (this.restricted) return this.restricted.scanAll();
    if (this.restarting) {
      this.restartQueued = true;
      return this.restarting;
    }
    this.restarting = (async () => {
      try {
        do {
          this.restartQueued = false;
          await this.restart();
        } while (this.restartQueued);
      } finally {
        this.restarting = undefined;
      }
    })();
    return this.restarting;
  }

  private async restart(): Promise<void> {
    clearTimeout(this.crashTimer);
    await this.stopClient();
    setContext(ContextKeys.server, "starting");
    this.status.setServer({ kind: "starting" });
    const started = performance.now();
    const client = createClient(this.context, { interpreters: this.interpreters, onCrash: () => this.crashed(client) });
    this.client = client;
    client.onNotification(StatusNotification, (p) => this.onStatus(p));
    client.onNotification(ModelChangedNotification, ({ folderUri }) => void this.fetchModel(folderUri));
    try {
      await client.start();
    } catch (e) {
      log.error("the language server did not start", e);
      // A process that died while starting is the crash handler's to restart.
      if (this.client === client && !this.crashedClients.has(client)) this.stopped("The Flash language server did not start: see the log.");
      return;
    }
    setContext(ContextKeys.server, "running");
    this.status.setServer({ kind: "running" });
    log.info(`language server started in ${Math.round(performance.now() - started)} ms (${Math.round(performance.now() - this.activatedAt)} ms after activation)`);
    await Promise.all(workspaceFolders().map((f) => this.fetchModel(f.uri.toString())));
  }

  private async stopClient(): Promise<void> {
    const old = this.client;
    this.client = undefined;
    if (!old) return;
    try {
      if (old.state !== State.Stopped) await old.stop(2000);
    } catch (e) {
      log.debug(`stopping the old server: ${(e as Error).message}`);
    }
    await old.dispose().catch(() => undefined);
  }

  /** The server process ended on its own: come back after 1, 2, 4 … 30 s, or give up after five crashes in three minutes. */
  private crashed(client: LanguageClient): void {
    if (client !== this.client) return;
    this.crashedClients.add(client);
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    if (this.crashes.length >= MAX_CRASHES) {
      this.stopped(`The Flash language server stopped ${this.crashes.length} times in three minutes; it will not be restarted automatically.`);
      return;
    }
    const delay = Math.min(30_000, 1000 * 2 ** (this.crashes.length - 1));
    log.warn(`the language server stopped unexpectedly; restarting in ${delay} ms`);
    this.status.setServer({ kind: "restarting", inMs: delay, crashes: this.crashes.length });
    setContext(ContextKeys.server, "starting");
    this.crashTimer = setTimeout(() => void this.requestRestart(), delay);
  }

  private stopped(message: string): void {
    log.error(message);
    setContext(ContextKeys.server, "stopped");
    this.status.setServer({ kind: "stopped", message });
    // Needs action: the user decides when to try again.
    void vscode.window.showErrorMessage(message, "Restart", "Show logs").then((pick) => {
      if (pick === "Restart") {
        this.crashes = [];
        void this.requestRestart();
      } else if (pick === "Show logs") log.show();
    });
  }

  private onStatus(p: StatusParams): void {
    log.debug(`status ${p.folderUri ?? ""}: ${p.state} ${p.message}`);
    this.status.update(p);
    if (p.state === "ready" || p.state === "error") this.crashes = [];
  }

  /** Asks for a folder's model; of overlapping requests, the newest answer wins. */
  async fetchModel(folderUri: string): Promise<void> {
    const client = this.languageClient;
    if (!client) return;
    const ticket = (this.fetches.get(folderUri) ?? 0) + 1;
    this.fetches.set(folderUri, ticket);
    try {
      const model = await client.sendRequest(EndpointModelRequest, { folderUri });
      if (this.fetches.get(folderUri) === ticket) this.store.set(folderUri, model);
    } catch (e) {
      log.warn(`endpoint model of ${folderUri}: ${(e as Error).message}`);
    }
  }

  /** Rescans one folder (or all) from scratch and shows the result. */
  async refresh(folderUri?: string): Promise<void> {
    if (this.restricted) return this.restricted.scanAll();
    const client = this.languageClient;
    if (!client) return this.requestRestart();
    await client.sendRequest(RefreshRequest, folderUri ? { folderUri } : {});
    await Promise.all(workspaceFolders().map((f) => this.fetchModel(f.uri.toString())));
  }

  /** Tells the server to re-read its settings (the Python extension changed the interpreter). */
  configurationChanged(): void {
    void this.languageClient?.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  dispose(): void {
    clearTimeout(this.crashTimer);
    this.restricted?.dispose();
    this.disposables.forEach((d) => d.dispose());
  }

  /** Stops the server (deactivate). */
  async stop(): Promise<void> {
    await this.stopClient();
  }
}
