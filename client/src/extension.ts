// Entry point: builds the context, registers commands, starts the server (or the
// static read in Restricted Mode) without blocking activation, and logs its cost.
import * as vscode from "vscode";
import { registerCommands } from "./commands";
import { Ctx } from "./ctx";
import { log } from "./logger";

let ctx: Ctx | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  ctx = new Ctx(context, started);
  context.subscriptions.push(ctx, registerCommands(ctx));
  const version = (context.extension.packageJSON as { version?: string }).version ?? "?";
  const mode = vscode.workspace.isTrusted ? "trusted" : "Restricted Mode";
  void ctx.start();
  log.info(`Flash ${version} activated in ${(performance.now() - started).toFixed(1)} ms (VS Code ${vscode.version}, ${mode})`);
}

export async function deactivate(): Promise<void> {
  await ctx?.stop();
  ctx = undefined;
}
