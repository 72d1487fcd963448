// ScanResult → EndpointModel: the tree a client shows, with LSP-style locations.
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import type { Position } from "../probe/probeMessages";
import type { ScanResult } from "../scan/scanResult";
import type { EndpointModel, ModelEndpoint, ModelLocation } from "../protocol/endpointModel";
import { describeResource, failureHint, groupByEndpoint } from "./describe";

export function fileUri(root: string, rel: string): string {
  return pathToFileURL(join(root, ...rel.split("/"))).href;
}

export function toLocation(root: string, p: Position | null | undefined): ModelLocation | null {
  return p ? { uri: fileUri(root, p.file), line: p.line - 1, character: p.col } : null;
}

export function toEndpointModel(scan: ScanResult, folderUri: string): EndpointModel {
  const loc = (p: Position | null | undefined) => toLocation(scan.root, p);
  const endpoints: ModelEndpoint[] = groupByEndpoint(scan).map((g) => {
    const first = g.functions[0].fn;
    return {
      name: g.name,
      resourceType: first.meta.resource_type,
      loadBalanced: first.meta.is_load_balanced,
      live: first.meta.is_live_resource,
      local: first.meta.local,
      description: describeResource(first),
      file: first.meta.file_path,
      location: loc(first.site.resource ?? first.site.decorator),
      configVariable: first.meta.config_variable,
      functions: g.functions.map(({ fn }) => ({
        name: fn.meta.function_name,
        kind: fn.meta.is_class ? ("class" as const) : ("function" as const),
        isAsync: fn.meta.is_async,
        params: fn.meta.param_names,
        docstring: fn.meta.docstring,
        location: loc(fn.site.def),
        ...(fn.site.def && fn.site.def.file !== fn.meta.file_path ? { alsoFoundIn: fn.meta.file_path } : {}),
        methods: fn.meta.class_methods.map((m) => ({
          name: m,
          params: fn.meta.class_method_params[m] ?? [],
          docstring: fn.meta.class_method_docstrings[m] ?? null,
        })),
        ...(fn.meta.http_method && fn.meta.http_path ? { route: { method: fn.meta.http_method, path: fn.meta.http_path } } : {}),
      })),
      calls: [],
      calledBy: [],
    };
  });
  const byName = new Map(endpoints.map((e) => [e.name, e]));
  const crossCalls = scan.crossCalls.map((c) => {
    const from = scan.functions[c.from].meta;
    const to = scan.functions[c.to].meta;
    const caller = byName.get(from.resource_config_name)!;
    const callee = byName.get(to.resource_config_name)!;
    if (caller !== callee) {
      if (!caller.calls.includes(callee.name)) caller.calls.push(callee.name);
      if (!callee.calledBy.includes(caller.name)) callee.calledBy.push(caller.name);
    }
    return { fromEndpoint: caller.name, fromFunction: from.function_name, toEndpoint: callee.name, toFunction: to.function_name, text: c.text, location: loc(c.at) };
  });
  return {
    folderUri,
    root: scan.root,
    source: "runtime",
    interpreter: { path: scan.interpreter.executable, python: scan.interpreter.python, flashVersion: scan.interpreter.flashVersion },
    endpoints,
    crossCalls,
    failures: scan.failures.map((f) => ({
      file: f.file,
      kind: f.failure.kind,
      message: f.note ?? f.failure.message,
      hint: failureHint(f.failure),
      location: loc(f.failure.importSite ?? f.failure.location) ?? { uri: fileUri(scan.root, f.file), line: 0, character: 0 },
    })),
    clients: scan.clientEndpoints.map((c) => ({ name: c.name ?? "", image: c.image, location: loc(c.site) })),
    scannedAt: Date.now(),
  };
}
