// "Flash: Build manifest": progress while the server builds; success offers to open
// the file; a refusal lands in the Problems view with its reasons.
import * as vscode from "vscode";
import type { BuildManifestResult, ManifestRefusal } from "../../shared/src/protocol/flashProtocol";
import { pickFolder } from "./config";
import type { Ctx } from "./ctx";
import { log } from "./logger";
import { BuildManifestRequest } from "../../shared/src/protocol/flashMessages";

export const TRUST_REQUIRED = "Building the manifest imports your code, so Flash does it only in a trusted workspace.";

export class ManifestBuilder implements vscode.Disposable {
  /** The reasons of the last refusal, as problems at their files and lines. */
  private readonly diagnostics = vscode.languages.createDiagnosticCollection("flash-build");

  constructor(private readonly ctx: Ctx) {}

  async build(arg?: unknown): Promise<BuildManifestResult | undefined> {
    if (this.ctx.isRestricted) {
      const pick = await vscode.window.showWarningMessage(TRUST_REQUIRED, "Manage Workspace Trust");
      if (pick) await vscode.commands.executeCommand("workbench.trust.manage");
      return undefined;
    }
    const client = this.ctx.languageClient;
    if (!client) {
      const pick = await vscode.window.showErrorMessage("The Flash language server is not running.", "Restart language server");
      if (pick) await this.ctx.requestRestart();
      return undefined;
    }
    const folder = await pickFolder(arg, "Build the manifest of which folder?");
    if (!folder) return undefined;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Flash: building the manifest of ${folder.name}…` },
      () => client.sendRequest(BuildManifestRequest, { folderUri: folder.uri.toString() }),
    );
    if (result.ok) {
      this.diagnostics.clear();
      const rel = vscode.workspace.asRelativePath(result.path, false);
      const summary = `${plural(result.resources, "resource")}, ${plural(result.functions, "function")}, ${plural(result.routes, "route")}`;
      log.info(`manifest written to ${result.path} (${summary}) in ${Math.round(result.durationMs)} ms`);
      void vscode.window.showInformationMessage(`Flash: wrote ${rel} (${summary}).`, "Open manifest").then((pick) => {
        if (pick) void vscode.window.showTextDocument(vscode.Uri.file(result.path));
      });
    } else {
      this.showRefusal(folder, result.refusals, result.exitCode);
    }
    return result;
  }

  private showRefusal(folder: vscode.WorkspaceFolder, refusals: ManifestRefusal[], exitCode: number): void {
    this.diagnostics.clear();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const r of refusals) {
      log.error(`flash build would refuse ${folder.name}: ${r.message}`);
      for (const l of r.locations) {
        const d = new vscode.Diagnostic(new vscode.Range(l.line, 0, l.line, Number.MAX_SAFE_INTEGER), r.message, vscode.DiagnosticSeverity.Error);
        d.source = "flash build";
        byFile.set(l.uri, [...(byFile.get(l.uri) ?? []), d]);
      }
    }
    for (const [uri, list] of byFile) this.diagnostics.set(vscode.Uri.parse(uri), list);
    if (byFile.size) void vscode.commands.executeCommand("workbench.actions.view.problems");
    const reasons = refusals.map((r) => r.message);
    const text = reasons.length === 1 ? reasons[0] : `${reasons.length} reasons: ${reasons.join("; ")}`;
    void vscode.window
      .showErrorMessage(`Flash: the manifest of ${folder.name} was not built (exit ${exitCode}): ${truncate(text, 600)}`, "Show logs")
      .then((pick) => pick && log.show());
  }

  dispose(): void {
    this.diagnostics.dispose();
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
