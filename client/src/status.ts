// The language status item: scanning / N endpoints / M failures / error, with the
// interpreter and runpod-flash version in its detail; a click opens the log.
import * as vscode from "vscode";
import type { StatusParams } from "../../shared/src/protocol/flashProtocol";
import { Commands } from "./config";

export type ServerState =
  | { kind: "starting" }
  | { kind: "running" }
  | { kind: "restarting"; inMs: number; crashes: number }
  | { kind: "stopped"; message: string }
  | { kind: "restricted"; endpoints: number };

export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.languages.createLanguageStatusItem("flash.status", { language: "python" });
  private readonly folders = new Map<string, StatusParams>();
  private server: ServerState = { kind: "starting" };

  constructor() {
    this.item.name = "Flash";
    this.item.command = { title: "Show logs", command: Commands.showLogs };
    this.render();
  }

  setServer(state: ServerState): void {
    this.server = state;
    if (state.kind !== "running") this.folders.clear();
    this.render();
  }

  update(status: StatusParams): void {
    this.folders.set(status.folderUri ?? "", status);
    this.render();
  }

  forgetFolder(uri: string): void {
    this.folders.delete(uri);
    this.render();
  }

  private render(): void {
    const item = this.item;
    item.busy = false;
    item.severity = vscode.LanguageStatusSeverity.Information;
    switch (this.server.kind) {
      case "starting":
        item.busy = true;
        item.text = "Flash: starting";
        item.detail = "starting the language server";
        return;
      case "restarting":
        item.busy = true;
        item.severity = vscode.LanguageStatusSeverity.Warning;
        item.text = "Flash: restarting";
        item.detail = `the server stopped unexpectedly (${this.server.crashes}×); restarting in ${Math.round(this.server.inMs / 1000)} s`;
        return;
      case "stopped":
        item.severity = vscode.LanguageStatusSeverity.Error;
        item.text = "Flash: stopped";
        item.detail = this.server.message;
        return;
      case "restricted":
        item.severity = vscode.LanguageStatusSeverity.Warning;
        item.text = `Flash: ${plural(this.server.endpoints, "endpoint")} (static)`;
        item.detail = "Restricted Mode: decorators read, no code run";
        return;
    }
    const all = [...this.folders.values()];
    const endpoints = all.reduce((n, s) => n + (s.endpoints ?? 0), 0);
    const failures = all.reduce((n, s) => n + (s.failures ?? 0), 0);
    const errors = all.filter((s) => s.state === "error");
    item.busy = all.some((s) => s.state === "scanning" || s.state === "starting");
    if (errors.length) {
      item.severity = vscode.LanguageStatusSeverity.Error;
      item.text = "Flash: error";
    } else if (item.busy && !endpoints) {
      item.text = "Flash: scanning";
    } else {
      if (failures) item.severity = vscode.LanguageStatusSeverity.Warning;
      item.text = `Flash: ${plural(endpoints, "endpoint")}${failures ? `, ${plural(failures, "failure")}` : ""}`;
    }
    item.detail = errors.length ? errors.map((s) => s.message).join("; ") : interpreterDetail(all) || all.map((s) => s.message).join("; ");
  }

  dispose(): void {
    this.item.dispose();
  }
}

function interpreterDetail(all: StatusParams[]): string {
  const seen = new Set<string>();
  for (const s of all) {
    if (!s.interpreter) continue;
    seen.add(`${s.interpreter}${s.flashVersion ? ` · runpod-flash ${s.flashVersion}` : ""}`);
  }
  return [...seen].join("; ");
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
