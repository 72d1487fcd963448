// The Endpoints view: a thin TreeDataProvider over treeModel.ts's descriptors.
import * as vscode from "vscode";
import { VIEW_ID } from "./config";
import type { ModelStore } from "./modelStore";
import { buildTree, type TreeItemDescriptor } from "./treeModel";

export const RESTRICTED_MESSAGE =
  "Restricted Mode: found by reading the decorators only; no code was run. Trust this folder to scan it fully.";

export class EndpointsTree implements vscode.TreeDataProvider<TreeItemDescriptor>, vscode.Disposable {
  private roots: TreeItemDescriptor[] = [];
  private readonly changed = new vscode.EventEmitter<TreeItemDescriptor | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<TreeItemDescriptor>;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly store: ModelStore) {
    this.view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(this.view, store.onDidChange(() => this.rebuild()));
    this.rebuild();
  }

  private rebuild(): void {
    const folders = this.store.folders();
    this.roots = buildTree(folders);
    const restricted = folders.some((f) => f.model?.source === "static");
    // The welcome view explains an empty tree; a message explains a static one.
    this.view.message = restricted && this.roots.length ? RESTRICTED_MESSAGE : undefined;
    this.changed.fire(undefined);
  }

  getChildren(element?: TreeItemDescriptor): TreeItemDescriptor[] {
    return element ? element.children : this.roots;
  }

  getTreeItem(d: TreeItemDescriptor): vscode.TreeItem {
    const item = new vscode.TreeItem(d.label, collapsibleState(d.collapsible));
    item.id = d.id;
    item.description = d.description;
    item.contextValue = d.contextValue;
    item.iconPath = new vscode.ThemeIcon(d.icon, d.iconColor ? new vscode.ThemeColor(d.iconColor) : undefined);
    if (d.tooltip) item.tooltip = new vscode.MarkdownString(d.tooltip);
    if (d.command) item.command = d.command;
    return item;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}

function collapsibleState(c: TreeItemDescriptor["collapsible"]): vscode.TreeItemCollapsibleState {
  return c === "expanded"
    ? vscode.TreeItemCollapsibleState.Expanded
    : c === "collapsed"
      ? vscode.TreeItemCollapsibleState.Collapsed
      : vscode.TreeItemCollapsibleState.None;
}
