// EndpointModel → the Endpoints tree, as plain item descriptors (no vscode import, so
// it is unit-tested without an editor). endpointsTree.ts turns them into TreeItems.
// Ids are derived from names, never from positions, so a rescan keeps expansion.
import type { EndpointModel, ModelEndpoint, ModelFunction, ModelLocation } from "../../shared/src/protocol/endpointModel";

export interface ItemCommand {
  command: string;
  title: string;
  arguments: unknown[];
}

export interface TreeItemDescriptor {
  id: string;
  label: string;
  description?: string;
  /** Markdown. */
  tooltip?: string;
  /** A codicon id ("globe", "symbol-function" …). */
  icon: string;
  /** A theme color id for the icon, when it should stand out. */
  iconColor?: string;
  /** For menus: "endpoint.queue", "route", "failure" … */
  contextValue: string;
  collapsible: "none" | "collapsed" | "expanded";
  command?: ItemCommand;
  children: TreeItemDescriptor[];
}

export interface FolderModel {
  name: string;
  uri: string;
  /** null until the first model arrives. */
  model: EndpointModel | null;
}

/** What an empty tree should explain, for the welcome views' context key. */
export type WelcomeState = "loading" | "no-interpreter" | "sdk-missing" | "scan-failed" | "untrusted" | "no-endpoints" | "none";

export const OPEN_COMMAND = "flash.openLocation";

/** Arguments of flash.openLocation: where to go, and a method to find below that line. */
export interface OpenTarget {
  location: ModelLocation;
  method?: string;
}

export function buildTree(folders: FolderModel[]): TreeItemDescriptor[] {
  if (folders.length === 1) return isEmpty(folders[0].model) ? [] : folderChildren(folders[0].model!);
  return folders.map(folderItem);
}

export function welcomeState(folders: FolderModel[]): WelcomeState {
  if (folders.length !== 1) return "none";
  const model = folders[0].model;
  // The server answers an empty model (scannedAt 0) until its first scan ends.
  if (!model || (model.source === "runtime" && model.scannedAt === 0 && !model.problem)) return "loading";
  if (!isEmpty(model)) return "none";
  return model.problem?.kind ?? "no-endpoints";
}

function isEmpty(model: EndpointModel | null): boolean {
  return !model || (model.endpoints.length === 0 && model.failures.length === 0);
}

function folderItem(folder: FolderModel): TreeItemDescriptor {
  const model = folder.model;
  const children = model ? folderChildren(model) : [];
  const problem = model?.problem;
  if (problem && (problem.kind !== "untrusted" || children.length === 0)) children.unshift(problemItem(folder.uri, problem));
  if (model && !problem && children.length === 0) {
    children.push(leaf(`${folder.uri}#empty`, "No endpoints found", "info", "empty", { description: "decorate a function with @Endpoint(...)" }));
  }
  return {
    id: folder.uri,
    label: folder.name,
    description: model ? folderSummary(model) : "loading…",
    icon: "root-folder",
    contextValue: "folder",
    collapsible: "expanded",
    children,
  };
}

function folderSummary(model: EndpointModel): string {
  const parts = [count(model.endpoints.length, "endpoint")];
  if (model.failures.length) parts.push(`${model.failures.length} failed`);
  if (model.source === "static") parts.push("(static)");
  else if (model.problem) parts.push(model.problem.kind);
  return parts.join(" · ");
}

function problemItem(folderUri: string, problem: NonNullable<EndpointModel["problem"]>): TreeItemDescriptor {
  const action: Record<typeof problem.kind, ItemCommand> = {
    "no-interpreter": { command: "flash.selectInterpreter", title: "Select Python interpreter", arguments: [folderUri] },
    "sdk-missing": { command: "flash.installSdk", title: "Install runpod-flash", arguments: [folderUri] },
    "scan-failed": { command: "flash.showLogs", title: "Show logs", arguments: [] },
    untrusted: { command: "workbench.trust.manage", title: "Manage Workspace Trust", arguments: [] },
  };
  return leaf(`${folderUri}#problem`, problem.message, problem.kind === "untrusted" ? "shield" : "warning", `problem.${problem.kind}`, {
    tooltip: problem.installCommand ? `${problem.message}\n\nInstall with \`${problem.installCommand}\`` : problem.message,
    command: action[problem.kind],
    iconColor: problem.kind === "untrusted" ? undefined : "problemsWarningIcon.foreground",
  });
}

function folderChildren(model: EndpointModel): TreeItemDescriptor[] {
  const items = model.endpoints.map((ep) => endpointItem(ep, model));
  if (model.failures.length) {
    const id = `${model.folderUri}#failed`;
    items.push({
      id,
      label: "Failed to load",
      description: String(model.failures.length),
      icon: "error",
      iconColor: "problemsErrorIcon.foreground",
      contextValue: "failures",
      collapsible: "expanded",
      children: model.failures.map((f) =>
        leaf(`${id}:${f.file}`, f.file, "file-code", "failure", {
          description: f.message,
          tooltip: [`**${f.file}** — ${f.kind}`, "", f.message, ...(f.hint ? ["", f.hint] : [])].join("\n"),
          command: open(f.location),
        }),
      ),
    });
  }
  return uniqueIds(items);
}

function endpointItem(ep: ModelEndpoint, model: EndpointModel): TreeItemDescriptor {
  const id = `${model.folderUri}#endpoint:${ep.name}`;
  const isStatic = model.source === "static";
  const children: TreeItemDescriptor[] = ep.functions.map((fn) => (ep.loadBalanced && fn.route ? routeItem(id, fn) : functionItem(id, fn)));
  for (const callee of ep.calls) {
    const sites = model.crossCalls.filter((c) => c.fromEndpoint === ep.name && c.toEndpoint === callee);
    children.push(leaf(`${id}/calls:${callee}`, `calls → ${callee}`, "arrow-right", "crossCall", {
      description: pairs(sites.map((c) => `${c.fromFunction} → ${c.toFunction}`)),
      tooltip: sites.map((c) => `\`${c.text}(…)\` in ${c.fromFunction}`).join("\n\n") || undefined,
      command: open(sites[0]?.location ?? null),
    }));
  }
  for (const caller of ep.calledBy) {
    const sites = model.crossCalls.filter((c) => c.toEndpoint === ep.name && c.fromEndpoint === caller);
    children.push(leaf(`${id}/calledBy:${caller}`, `called by ← ${caller}`, "arrow-left", "crossCall", {
      description: pairs(sites.map((c) => `${c.fromFunction} → ${c.toFunction}`)),
      tooltip: sites.map((c) => `\`${c.text}(…)\` in ${c.fromFunction}`).join("\n\n") || undefined,
      command: open(sites[0]?.location ?? null),
    }));
  }
  const kind = ep.loadBalanced ? "load-balanced: HTTP routes share the workers" : "queue-based: each call is a job";
  const tooltip = [
    `**${ep.name}** — ${kind}`,
    "",
    ep.description,
    "",
    `Defined in \`${ep.file}\`${ep.configVariable ? ` as \`${ep.configVariable}\`` : ""}`,
    ...(isStatic ? ["", "Found by reading the decorators (Restricted Mode): no code was run."] : []),
  ].join("\n");
  return {
    id,
    label: ep.name,
    description: isStatic ? `${ep.description} (static)` : ep.description,
    tooltip,
    icon: ep.loadBalanced ? "globe" : "inbox",
    contextValue: `endpoint.${ep.loadBalanced ? "loadBalanced" : "queue"}${isStatic ? ".static" : ""}`,
    collapsible: children.length ? "expanded" : "none",
    command: open(ep.location),
    children: uniqueIds(children),
  };
}

function routeItem(parent: string, fn: ModelFunction): TreeItemDescriptor {
  const route = `${fn.route!.method} ${fn.route!.path}`;
  return leaf(`${parent}/route:${route}`, route, "symbol-event", "route", {
    description: fn.name,
    tooltip: [`\`${route}\` → \`${fn.name}(${fn.params.join(", ")})\``, ...(fn.docstring ? ["", fn.docstring] : [])].join("\n"),
    command: open(fn.location),
  });
}

function functionItem(parent: string, fn: ModelFunction): TreeItemDescriptor {
  const id = `${parent}/${fn.kind}:${fn.name}`;
  const isClass = fn.kind === "class";
  const signature = isClass ? `${fn.methods.length} ${fn.methods.length === 1 ? "method" : "methods"}` : `${fn.isAsync ? "async " : ""}(${fn.params.join(", ")})`;
  const children = fn.methods.map((m) =>
    leaf(`${id}/method:${m.name}`, m.name, "symbol-method", "method", {
      description: `(${m.params.join(", ")})`,
      tooltip: m.docstring ?? undefined,
      command: fn.location ? { command: OPEN_COMMAND, title: "Open", arguments: [{ location: fn.location, method: m.name } satisfies OpenTarget] } : undefined,
    }),
  );
  return {
    id,
    label: fn.name,
    description: fn.alsoFoundIn ? `${signature} · also in ${fn.alsoFoundIn}` : signature,
    tooltip: fn.docstring ?? undefined,
    icon: isClass ? "symbol-class" : "symbol-function",
    contextValue: fn.kind,
    collapsible: children.length ? "collapsed" : "none",
    command: open(fn.location),
    children,
  };
}

function leaf(
  id: string,
  label: string,
  icon: string,
  contextValue: string,
  extra: Partial<Pick<TreeItemDescriptor, "description" | "tooltip" | "command" | "iconColor">> = {},
): TreeItemDescriptor {
  const item: TreeItemDescriptor = { id, label, icon, contextValue, collapsible: "none", children: [] };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) (item as unknown as Record<string, unknown>)[key] = value;
  return item;
}

function open(location: ModelLocation | null): ItemCommand | undefined {
  return location ? { command: OPEN_COMMAND, title: "Open", arguments: [{ location } satisfies OpenTarget] } : undefined;
}

function pairs(list: string[]): string {
  return [...new Set(list)].join(", ");
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** Two siblings with one id would break the tree: suffix repeats (a function discovered twice), children too. */
function uniqueIds(items: TreeItemDescriptor[]): TreeItemDescriptor[] {
  const seen = new Map<string, number>();
  for (const item of items) {
    const n = seen.get(item.id) ?? 0;
    seen.set(item.id, n + 1);
    if (n) reprefix(item, item.id, `${item.id}#${n + 1}`);
  }
  return items;
}

function reprefix(item: TreeItemDescriptor, from: string, to: string): void {
  item.id = to + item.id.slice(from.length);
  item.children.forEach((c) => reprefix(c, from, to));
}
