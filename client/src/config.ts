// Names of our settings, commands, views and context keys, and the few reads of
// configuration the client does itself (the server reads the rest per folder).
import * as vscode from "vscode";

export const SECTION = "flash";
export const VIEW_ID = "flash.endpoints";

export const Commands = {
  buildManifest: "flash.buildManifest",
  refresh: "flash.refresh",
  restartServer: "flash.restartServer",
  showLogs: "flash.showLogs",
  selectInterpreter: "flash.selectInterpreter",
  installSdk: "flash.installSdk",
  openLocation: "flash.openLocation",
  copyRoute: "flash.copyRoute",
  openManifestEntry: "flash.openManifestEntry",
} as const;

/** Context keys the package.json `when` clauses read. */
export const ContextKeys = {
  /** WelcomeState of treeModel.ts: which welcome view an empty tree shows. */
  welcome: "flash.welcome",
  /** "starting" | "running" | "stopped" | "restricted". */
  server: "flash.server",
} as const;

export function setContext(key: string, value: unknown): void {
  void vscode.commands.executeCommand("setContext", key, value);
}

/** The user's own `flash.python.path` for a folder ("" when unset). */
export function configuredPythonPath(folder: vscode.WorkspaceFolder): string {
  return vscode.workspace.getConfiguration(SECTION, folder).get<string>("python.path", "").trim();
}

export function scanExcludes(folder: vscode.WorkspaceFolder): string[] {
  const value = vscode.workspace.getConfiguration(SECTION, folder).get<unknown>("scan.exclude", []);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

export function workspaceFolders(): readonly vscode.WorkspaceFolder[] {
  return vscode.workspace.workspaceFolders ?? [];
}

/** The folder a command is about: an explicit URI, the only folder, the active editor's, or the user's pick. */
export async function pickFolder(uri?: unknown, purpose = "Select a workspace folder"): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = workspaceFolders();
  // From a tree item's menu the argument is the item: its id starts with the folder's URI.
  const wanted = typeof uri === "string" ? uri : typeof (uri as { id?: unknown })?.id === "string" ? (uri as { id: string }).id.split("#")[0] : undefined;
  const match = wanted && folders.find((f) => f.uri.toString() === wanted);
  if (match) return match;
  if (folders.length <= 1) return folders[0];
  const active = vscode.window.activeTextEditor?.document.uri;
  const owner = active && vscode.workspace.getWorkspaceFolder(active);
  if (owner) return owner;
  return vscode.window.showWorkspaceFolderPick({ placeHolder: purpose });
}
