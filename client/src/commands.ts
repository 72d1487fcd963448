// Every command the extension contributes, category "Flash" in the palette.
import * as vscode from "vscode";
import { ManifestBuilder } from "./buildManifest";
import { Commands, pickFolder } from "./config";
import type { Ctx } from "./ctx";
import { installSdk } from "./installSdk";
import { log } from "./logger";
import { selectInterpreter } from "./selectInterpreter";
import type { OpenTarget, TreeItemDescriptor } from "./treeModel";

export function registerCommands(ctx: Ctx): vscode.Disposable {
  const manifest = new ManifestBuilder(ctx);
  const register = (id: string, run: (...args: unknown[]) => unknown) => vscode.commands.registerCommand(id, run);
  return vscode.Disposable.from(
    manifest,
    register(Commands.buildManifest, (arg) => manifest.build(arg)),
    register(Commands.refresh, (arg) => refresh(ctx, arg)),
    register(Commands.restartServer, () => restart(ctx)),
    register(Commands.showLogs, () => log.show()),
    register(Commands.selectInterpreter, (arg) => selectInterpreter(arg)),
    register(Commands.installSdk, (arg) => installSdk(ctx, arg)),
    register(Commands.openLocation, (target) => openLocation(target as OpenTarget)),
    register(Commands.copyRoute, (item) => copyRoute(item as TreeItemDescriptor)),
    register(Commands.openManifestEntry, (item) => openManifestEntry(item as TreeItemDescriptor)),
  );
}

async function refresh(ctx: Ctx, arg: unknown): Promise<void> {
  // From a folder's context menu: that folder; from the palette or toolbar: all.
  const folder = arg ? await pickFolder(arg) : undefined;
  await vscode.window.withProgress({ location: { viewId: "flash.endpoints" }, title: "Flash: refreshing endpoints" }, () =>
    ctx.refresh(folder?.uri.toString()),
  );
}

async function restart(ctx: Ctx): Promise<void> {
  if (ctx.isRestricted) {
    void vscode.window.showInformationMessage("Flash: the language server does not run in Restricted Mode; the endpoints were read again.");
  }
  await ctx.requestRestart();
}

async function openLocation(target: OpenTarget | undefined): Promise<void> {
  if (!target?.location) return;
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(target.location.uri));
  let line = Math.min(target.location.line, Math.max(0, doc.lineCount - 1));
  let character = target.location.character;
  if (target.method) {
    // Methods carry no location of their own: find `def name` below the class.
    const def = new RegExp(`^\\s*(async\\s+)?def\\s+${target.method}\\b`);
    for (let i = line + 1; i < doc.lineCount; i++) {
      const text = doc.lineAt(i).text;
      if (def.test(text)) {
        line = i;
        character = text.search(/\S/);
        break;
      }
    }
  }
  const position = new vscode.Position(line, character);
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(position, position), preserveFocus: false });
}

async function copyRoute(item: TreeItemDescriptor | undefined): Promise<void> {
  if (!item) return;
  await vscode.env.clipboard.writeText(item.label);
  vscode.window.setStatusBarMessage(`Copied ${item.label}`, 3000);
}

/** Opens .flash/flash_manifest.json at the endpoint's entry. */
async function openManifestEntry(item: TreeItemDescriptor | undefined): Promise<void> {
  const folder = item && (await pickFolder(item));
  if (!folder || !item) return;
  const uri = vscode.Uri.joinPath(folder.uri, ".flash", "flash_manifest.json");
  let doc: vscode.TextDocument;
  try {
    doc = await vscode.workspace.openTextDocument(uri);
  } catch {
    const pick = await vscode.window.showInformationMessage(`Flash: ${folder.name} has no manifest yet.`, "Build manifest");
    if (pick) await vscode.commands.executeCommand(Commands.buildManifest, folder.uri.toString());
    return;
  }
  const at = doc.getText().indexOf(JSON.stringify(item.label) + ":");
  const position = doc.positionAt(Math.max(0, at));
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(position, position) });
}
