// The Flash language server: folders → sessions → model → diagnostics, tree and
// manifest. User code only ever runs in the probe's child processes; nothing they
// do reaches this process except validated messages.
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeParams,
  type WorkDoneProgressServerReporter,
} from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import { basename } from "node:path";
import { FlashCommands, type FlashInitializationOptions } from "../../shared/src/protocol/flashProtocol";
import { DiagnosticsPublisher } from "./diagnosticsPublisher";
import { Folder, type FolderHooks } from "./folder";
import { BuildManifestRequest, EndpointModelRequest, ModelChangedNotification, RefreshRequest, StatusNotification } from "../../shared/src/protocol/flashMessages";
import { readSettings } from "./settings";
import { buildManifestFor } from "./buildManifest";
import { idleCollector } from "./idleCollector";

/** Files whose change can change which modules exist or how they are collected. */
const STRUCTURE_FILES = new Set([".gitignore", "pyproject.toml"]);

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const folders = new Map<string, { folder: Folder; publisher: DiagnosticsPublisher }>();
  let canConfigure = false;
  let canWatchDynamically = false;
  let canReportProgress = false;
  /** Editors without welcome views (Neovim, Helix …) hear about a folder that cannot be scanned once. */
  let popups = true;
  const progress = new Map<Folder, WorkDoneProgressServerReporter>();

  const log = (line: string) => connection.console.log(line);
  const idle = idleCollector();

  const hooks: FolderHooks = {
    log,
    status(folder, state, message) {
      const scan = folder.session?.scan;
      connection.sendNotification(StatusNotification, {
        state,
        message,
        folderUri: folder.uri,
        endpoints: scan ? new Set(scan.functions.map((f) => f.meta.resource_config_name)).size : undefined,
        failures: scan?.failures.length,
        interpreter: folder.python ?? undefined,
        flashVersion: folder.session?.hello?.flashVersion,
      });
      if (state !== "scanning") {
        progress.get(folder)?.done();
        progress.delete(folder);
        idle.soon();
      }
    },
    progress(folder, done, total) {
      progress.get(folder)?.report(Math.round((done / Math.max(1, total)) * 100), `${done}/${total} modules`);
    },
  };

  function folderOf(uri: string): { folder: Folder; publisher: DiagnosticsPublisher } | undefined {
    let best: { folder: Folder; publisher: DiagnosticsPublisher } | undefined;
    for (const entry of folders.values()) {
      if (entry.folder.relativePath(uri) !== null && (!best || entry.folder.root.length > best.folder.root.length)) best = entry;
    }
    return best;
  }

  async function openFolder(uri: string, name: string, onRegistered?: () => void): Promise<void> {
    const settings = await readSettings(connection, uri, canConfigure);
    const folder = new Folder(uri, name, settings, hooks);
    const publisher = new DiagnosticsPublisher(connection, documents);
    folders.set(uri, { folder, publisher });
    if (onRegistered && [...pendingFolders].every((f) => folders.has(f.uri))) onRegistered();
    await startFolder(folder, publisher);
  }

  async function startFolder(folder: Folder, publisher: DiagnosticsPublisher): Promise<void> {
    const session = folder.start();
    if (!session) {
      hooks.status(folder, "error", `no Python interpreter found for ${folder.name}`);
      notifyModel(folder);
      return;
    }
    session.onModel((scan) => {
      publisher.publish(scan);
      notifyModel(folder);
    });
    if (canReportProgress) {
      const reporter = await connection.window.createWorkDoneProgress();
      reporter.begin(`Flash: scanning ${folder.name}`, 0, "starting Python", false);
      progress.set(folder, reporter);
    }
    await session.request("full");
    if (session.problem) {
      // The session has already reported the error status; say it once more only as a popup.
      publisher.clear();
      if (popups) connection.window.showWarningMessage(`Flash (${folder.name}): ${session.problem.message}`);
      notifyModel(folder);
    }
  }

  function notifyModel(folder: Folder): void {
    connection.sendNotification(ModelChangedNotification, { folderUri: folder.uri, version: ++folder.version });
  }

  function changed(uri: string, structural: boolean): void {
    const entry = folderOf(uri);
    const rel = entry?.folder.relativePath(uri);
    if (!entry || !rel || !entry.folder.session) return;
    if (structural || STRUCTURE_FILES.has(basename(rel))) void entry.folder.session.request("full");
    else if (rel.endsWith(".py")) void entry.folder.session.request([rel]);
  }

  connection.onInitialize((params: InitializeParams) => {
    canConfigure = !!params.capabilities.workspace?.configuration;
    canWatchDynamically = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    canReportProgress = !!params.capabilities.window?.workDoneProgress;
    popups = !(params.initializationOptions as FlashInitializationOptions | undefined)?.welcomeViews;
    const initial = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: basename(params.rootUri) }] : []);
    pendingFolders = initial;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        executeCommandProvider: { commands: [FlashCommands.buildManifest, FlashCommands.refresh] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: "flash-ls", version: "0.1.0" },
    };
  });

  let pendingFolders: { uri: string; name: string }[] = [];
  /** Resolves once the initial folders are registered: requests that name one wait for it. */
  let foldersRegistered!: () => void;
  const registered = new Promise<void>((resolve) => (foldersRegistered = resolve));

  connection.onInitialized(async () => {
    if (canConfigure) void connection.client.register(DidChangeConfigurationNotification.type, { section: "flash" });
    if (canWatchDynamically) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: "**/*.py" }, { globPattern: "**/.gitignore" }, { globPattern: "**/pyproject.toml" }],
      });
    }
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      for (const removed of e.removed) {
        const entry = folders.get(removed.uri);
        entry?.publisher.clear();
        entry?.folder.dispose();
        folders.delete(removed.uri);
      }
      for (const added of e.added) void openFolder(added.uri, added.name);
    });
    await Promise.all(pendingFolders.map((f) => openFolder(f.uri, f.name, foldersRegistered)));
    foldersRegistered();
  });

  documents.onDidSave((e) => changed(e.document.uri, false));
  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) changed(change.uri, change.type !== FileChangeType.Changed);
  });
  connection.onDidChangeConfiguration(async () => {
    for (const { folder, publisher } of folders.values()) {
      const next = await readSettings(connection, folder.uri, canConfigure);
      if (JSON.stringify(next) === JSON.stringify(folder.settings)) continue;
      folder.settings = next;
      await startFolder(folder, publisher);
    }
  });

  connection.onRequest(EndpointModelRequest, async ({ folderUri }) => {
    await registered;
    return folders.get(folderUri)?.folder.model() ?? null;
  });
  connection.onRequest(RefreshRequest, async ({ folderUri }) => {
    const targets = folderUri ? [folders.get(folderUri)].filter(Boolean) : [...folders.values()];
    await Promise.all(targets.map((e) => (e!.folder.session ? e!.folder.session.request("full") : startFolder(e!.folder, e!.publisher))));
  });
  const buildManifest = async (folderUri: string | undefined, pythonVersion?: string) => {
    await registered;
    const entry = folderUri ? folders.get(folderUri) : folders.values().next().value;
    try {
      return await buildManifestFor(entry?.folder ?? null, pythonVersion);
    } finally {
      idle.soon();
    }
  };
  connection.onRequest(BuildManifestRequest, (params) => buildManifest(params.folderUri, params.pythonVersion));
  connection.onExecuteCommand(async (params) => {
    const folderUri = typeof params.arguments?.[0] === "string" ? params.arguments[0] : undefined;
    if (params.command === FlashCommands.buildManifest) return buildManifest(folderUri);
    if (params.command === FlashCommands.refresh) {
      for (const e of folders.values()) await e.folder.session?.request("full");
    }
    return null;
  });
  connection.onShutdown(() => {
    for (const { folder } of folders.values()) folder.dispose();
  });

  documents.listen(connection);
  connection.listen();
}
