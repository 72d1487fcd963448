// The "Flash" log channel: the user picks its level (Developer: Set Log Level);
// the language client writes the server's log lines and traces into it too.
import * as vscode from "vscode";

let channel: vscode.LogOutputChannel | undefined;

export function logChannel(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel("Flash", { log: true });
  return channel;
}

export const log = {
  show: () => logChannel().show(true),
  trace: (message: string) => logChannel().trace(message),
  debug: (message: string) => logChannel().debug(message),
  info: (message: string) => logChannel().info(message),
  warn: (message: string) => logChannel().warn(message),
  error: (message: string, error?: unknown) =>
    logChannel().error(error === undefined ? message : `${message}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`),
};
