// "Flash: Select Python interpreter": the Python extension's picker when it is
// installed (Flash follows its choice), else a quick pick that writes flash.python.path.
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import { configuredPythonPath, pickFolder, SECTION } from "./config";
import { PythonInterpreters } from "./interpreter";

interface Choice extends vscode.QuickPickItem {
  run(): Promise<string | null | undefined>;
}

export async function selectInterpreter(arg?: unknown): Promise<void> {
  const folder = await pickFolder(arg, "Select the interpreter of which folder?");
  if (!folder) return;
  const configured = configuredPythonPath(folder);
  if (PythonInterpreters.isInstalled() && !configured) {
    await vscode.commands.executeCommand("python.setInterpreter");
    return;
  }
  const choices: Choice[] = [];
  const venv = venvPython(folder.uri.fsPath);
  if (venv) choices.push({ label: "$(folder) .venv", description: venv, run: async () => venv });
  choices.push(
    { label: "$(edit) Enter interpreter path…", run: () => enterPath(configured) },
    { label: "$(file) Browse…", run: () => browse(folder) },
  );
  if (configured) {
    choices.push({
      label: "$(close) Clear flash.python.path",
      description: PythonInterpreters.isInstalled() ? "follow the Python extension" : "use FLASH_PYTHON, .venv or python3",
      run: async () => null,
    });
  }
  const pick = await vscode.window.showQuickPick(choices, {
    title: `Python interpreter for ${folder.name}`,
    placeHolder: configured ? `now: ${configured}` : "Flash imports your modules with this interpreter",
  });
  const value = await pick?.run();
  if (value === undefined) return;
  const target = (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Workspace;
  await vscode.workspace.getConfiguration(SECTION, folder).update("python.path", value ?? undefined, target);
}

function venvPython(root: string): string | undefined {
  const candidates = process.platform === "win32" ? [join(root, ".venv", "Scripts", "python.exe")] : [join(root, ".venv", "bin", "python")];
  return candidates.find((p) => existsSync(p));
}

async function enterPath(current: string): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: "Path to a Python interpreter",
    value: current,
    placeHolder: "/path/to/python",
    validateInput: (v) => (v.trim() && !existsSync(v.trim()) ? "No such file" : undefined),
  }).then((v) => v?.trim() || undefined);
}

async function browse(folder: vscode.WorkspaceFolder): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({ defaultUri: folder.uri, canSelectMany: false, openLabel: "Use this interpreter" });
  return picked?.[0]?.fsPath;
}
