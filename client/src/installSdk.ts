// Installs runpod-flash into the folder's interpreter, in a terminal the user sees,
// after showing the exact command; rescans once it finishes.
import * as vscode from "vscode";
import { pickFolder } from "./config";
import type { Ctx } from "./ctx";

export async function installSdk(ctx: Ctx, arg?: unknown): Promise<void> {
  const folder = await pickFolder(arg, "Install runpod-flash for which folder?");
  if (!folder) return;
  const command = ctx.store.get(folder.uri.toString())?.problem?.installCommand;
  if (!command) {
    void vscode.window.showInformationMessage(`Flash: runpod-flash is not reported missing for ${folder.name}.`);
    return;
  }
  const pick = await vscode.window.showWarningMessage(
    "Install runpod-flash into this folder's Python interpreter?",
    { modal: true, detail: `This command will run in a terminal:\n\n${command}` },
    "Run in terminal",
    "Copy command",
  );
  if (pick === "Copy command") return vscode.env.clipboard.writeText(command);
  if (pick !== "Run in terminal") return;
  const terminal = vscode.window.createTerminal({ name: "Flash: install runpod-flash", cwd: folder.uri });
  terminal.show();
  const rescan = () => {
    listeners.forEach((l) => l.dispose());
    void ctx.refresh(folder.uri.toString());
  };
  const listeners = [
    vscode.window.onDidEndTerminalShellExecution((e) => e.terminal === terminal && rescan()),
    vscode.window.onDidCloseTerminal((t) => t === terminal && rescan()),
  ];
  terminal.sendText(command, true);
}
