// The endpoint model of each workspace folder, from the server or from the static
// read: the one source the tree, the welcome views and the status item show.
import * as vscode from "vscode";
import type { EndpointModel } from "../../shared/src/protocol/endpointModel";
import { workspaceFolders } from "./config";
import type { FolderModel } from "./treeModel";

export class ModelStore implements vscode.Disposable {
  private readonly models = new Map<string, EndpointModel>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  /** Every workspace folder, in workspace order, with its model once known. */
  folders(): FolderModel[] {
    return workspaceFolders().map((f) => ({ name: f.name, uri: f.uri.toString(), model: this.models.get(f.uri.toString()) ?? null }));
  }

  get(uri: string): EndpointModel | undefined {
    return this.models.get(uri);
  }

  set(uri: string, model: EndpointModel | null): void {
    if (model) this.models.set(uri, model);
    else this.models.delete(uri);
    this.changed.fire();
  }

  /** Forgets every model (the source changes: static ↔ server). */
  clear(): void {
    this.models.clear();
    this.changed.fire();
  }

  /** Drops models of folders no longer in the workspace. */
  prune(): void {
    const live = new Set(workspaceFolders().map((f) => f.uri.toString()));
    for (const uri of this.models.keys()) if (!live.has(uri)) this.models.delete(uri);
    this.changed.fire();
  }

  endpointCount(): number {
    return [...this.models.values()].reduce((n, m) => n + m.endpoints.length, 0);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
