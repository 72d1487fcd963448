// The endpoint model of a folder found by reading decorators, not by importing: what
// an untrusted (Restricted Mode) workspace shows. Pure: sources in, EndpointModel out.
// It sees `@Endpoint(...)`, `@<var>.get/post/put/delete/patch("/path")` on module-level
// `Endpoint(...)` variables and `@remote(<resource>)`; what only running the code
// reveals (factories, loops, conditional definitions) it misses.
import type { EndpointModel, ModelCrossCall, ModelEndpoint, ModelFailure, ModelFunction, ModelLocation } from "../protocol/endpointModel";
import { describe, resourceType } from "./staticDescribe";
import { classMethods, parseModule, type Assignment, type Definition, type Expr, type PythonModule } from "./pythonModule";

export interface PythonSource {
  /** Project-relative POSIX path. */
  file: string;
  text: string;
}

export interface StaticScanInput {
  folderUri: string;
  root: string;
  /** The modules to read, in scan order. */
  sources: PythonSource[];
  scannedAt?: number;
}

export const STATIC_SCAN_MESSAGE =
  "Restricted Mode: Flash does not run code from an untrusted folder, so these endpoints come from reading the decorators only.";

const ROUTE_METHODS = new Set(["get", "post", "put", "delete", "patch"]);
const LB_TYPES = new Set(["LoadBalancerSlsResource", "CpuLoadBalancerSlsResource", "LiveLoadBalancer", "CpuLiveLoadBalancer"]);
const LIVE_TYPES = new Set(["LiveServerless", "CpuLiveServerless", "LiveLoadBalancer", "CpuLiveLoadBalancer"]);

/** A resource a decorator points at: an `Endpoint(...)` or a resource class call. */
interface Resource {
  /** Identity: the assignment it is bound to, or the inline call's position. */
  key: string;
  call: Extract<Expr, { t: "call" }>;
  isEndpoint: boolean;
  /** The module-level name it has in the decorating module, if any. */
  variable: string | null;
  /** Its assignment, when it is bound to a module-level variable somewhere. */
  bound: { mod: PythonModule; a: Assignment } | null;
}

interface Found {
  def: Definition;
  mod: PythonModule;
  resource: Resource;
  name: string;
  route?: { method: string; path: string };
  local: boolean;
  /** Queue-based decorators wrap a function in a coroutine function; route handlers keep `def` as it is. */
  wrappedAsync: boolean;
  location: { line: number; col: number; mod: PythonModule };
}

export function staticScan(input: StaticScanInput): EndpointModel {
  const modules = input.sources.map((s) => parseModule(s.file, s.text));
  const byModule = new Map(modules.map((m) => [m.module, m]));
  const uriOf = (file: string) => `${input.folderUri.replace(/\/$/, "")}/${file.split("/").map(encodeSegment).join("/")}`;
  const loc = (mod: PythonModule, line: number, col: number): ModelLocation => ({ uri: uriOf(mod.file), line, character: col });

  /** Where `name` (or `a.b.name`) in `mod` leads: a module-level assignment, possibly in another module. */
  function assignmentOf(mod: PythonModule, dotted: string, seen = 0): { mod: PythonModule; a: Assignment } | null {
    if (seen > 8) return null;
    const dot = dotted.lastIndexOf(".");
    if (dot > 0) {
      const target = byModule.get(mod.moduleImports.get(dotted.slice(0, dot)) ?? "");
      return target ? assignmentOf(target, dotted.slice(dot + 1), seen + 1) : null;
    }
    const a = mod.assignments.get(dotted);
    if (a) return a.value.t === "name" ? assignmentOf(mod, a.value.v, seen + 1) ?? { mod, a } : { mod, a };
    const imported = mod.fromImports.get(dotted);
    const target = imported && byModule.get(imported.module);
    return target ? assignmentOf(target, imported.name, seen + 1) : null;
  }

  /** The runpod_flash name a callee stands for ("Endpoint", "remote", "LiveServerless" …). */
  function flashName(mod: PythonModule, callee: string): string {
    const imported = mod.fromImports.get(callee);
    if (imported) return imported.module.startsWith("runpod_flash") ? imported.name : "";
    return callee.split(".").pop()!;
  }

  function resourceOf(mod: PythonModule, e: Expr | undefined): Resource | null {
    if (e?.t === "call") {
      return { key: `${mod.file}:${e.line}:${e.col}`, call: e, isEndpoint: flashName(mod, e.callee) === "Endpoint", variable: null, bound: null };
    }
    if (e?.t !== "name") return null;
    const bound = assignmentOf(mod, e.v);
    if (!bound || bound.a.value.t !== "call") return null;
    const call = bound.a.value;
    const local = !e.v.includes(".") && (mod.assignments.has(e.v) || mod.fromImports.has(e.v));
    return {
      key: `${bound.mod.file}:${bound.a.name}`, call, isEndpoint: flashName(bound.mod, call.callee) === "Endpoint",
      variable: local ? e.v : null, bound,
    };
  }

  /**
   * Where the runtime scan places an endpoint: an Endpoint variable at its assignment,
   * a resource variable at its constructor call (both when in the decorating module),
   * else the decorator's call.
   */
  function siteOf(mod: PythonModule, r: Resource, d: Definition["decorators"][number]): Found["location"] {
    if (r.bound?.mod === mod) return r.isEndpoint ? { mod, line: r.bound.a.line, col: r.bound.a.col } : { mod, line: r.call.line, col: r.call.col };
    if (d.t === "call" && r.isEndpoint && r.call === d) return { mod, line: d.line, col: d.at };
    return { mod, line: d.line, col: d.t === "call" ? d.col : d.at };
  }

  const found: Found[] = [];
  const failures: ModelFailure[] = [];
  const usedResources = new Set<string>();
  for (const mod of modules) {
    // dir(module) order: the runtime scan discovers a module's objects sorted by name.
    const defs = [...mod.definitions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const def of defs) {
      const hit = discover(mod, def);
      if (!hit) continue;
      usedResources.add(hit.resource.key);
      if (hit.route && hit.name === "") {
        if (!failures.some((f) => f.file === mod.file)) {
          const d = def.decorators[0];
          failures.push({
            file: mod.file, kind: "validation", hint: null, location: loc(mod, d.line, d.t === "call" ? d.col : d.at),
            message: "ValueError: name is required for load-balanced endpoints. use Endpoint(name='my-api', ...) when registering routes.",
          });
        }
        continue;
      }
      found.push(hit);
    }
  }

  function discover(mod: PythonModule, def: Definition): Found | null {
    for (const d of def.decorators) {
      const base = { def, mod, local: false, wrappedAsync: false };
      if (d.t === "name") {
        // `@ep` on a module-level `ep = Endpoint(...)`: a queue-based endpoint.
        const resource = resourceOf(mod, d);
        if (!resource?.isEndpoint) continue;
        return { ...base, resource, name: stringArg(resource.call, "name", 0) ?? def.name, wrappedAsync: true, location: siteOf(mod, resource, d) };
      }
      if (d.t !== "call") continue;
      const flash = flashName(mod, d.callee);
      if (flash === "Endpoint") {
        const resource = resourceOf(mod, d)!;
        return { ...base, resource, name: stringArg(d, "name", 0) ?? def.name, wrappedAsync: true, location: siteOf(mod, resource, d) };
      }
      if (flash === "remote") {
        const resource = resourceOf(mod, d.args[0] ?? d.kwargs.get("resource_config"));
        if (!resource) continue;
        const method = stringArg(d, "method");
        const path = stringArg(d, "path");
        const local = d.kwargs.get("local");
        return {
          ...base, resource, name: stringArg(resource.call, "name", 0) ?? "",
          ...(method && path ? { route: { method: method.toUpperCase(), path } } : {}),
          local: local?.t === "bool" && local.v,
          wrappedAsync: !(method && path),
          location: siteOf(mod, resource, d),
        };
      }
      const dot = d.callee.lastIndexOf(".");
      const verb = d.callee.slice(dot + 1);
      if (dot > 0 && ROUTE_METHODS.has(verb)) {
        const resource = resourceOf(mod, { t: "name", v: d.callee.slice(0, dot), line: d.line, col: d.col });
        const path = stringArg(d, "path", 0);
        if (!resource?.isEndpoint || path === null) continue;
        return {
          ...base, resource, name: stringArg(resource.call, "name", 0) ?? "", route: { method: verb.toUpperCase(), path },
          location: siteOf(mod, resource, d),
        };
      }
    }
    return null;
  }

  const endpoints = new Map<string, ModelEndpoint>();
  for (const f of found) {
    let ep = endpoints.get(f.name);
    if (!ep) {
      ep = endpointOf(f, found.filter((g) => g.resource.key === f.resource.key));
      endpoints.set(f.name, ep);
    }
    ep.functions.push(functionOf(f));
  }

  function endpointOf(f: Found, siblings: Found[]): ModelEndpoint {
    const type = resourceType(f.resource.call, f.resource.isEndpoint, siblings.some((s) => s.route));
    const loadBalanced = LB_TYPES.has(type) || siblings.some((s) => s.route);
    return {
      name: f.name,
      resourceType: type,
      loadBalanced,
      live: f.resource.isEndpoint || LIVE_TYPES.has(type),
      local: f.local,
      description: describe(type, loadBalanced, f.resource.call, f.resource.isEndpoint, f.local),
      file: f.mod.file,
      location: loc(f.location.mod, f.location.line, f.location.col),
      configVariable: f.resource.variable,
      functions: [],
      calls: [],
      calledBy: [],
    };
  }

  function functionOf(f: Found): ModelFunction {
    return {
      name: f.def.name,
      kind: f.def.kind,
      isAsync: f.def.kind === "function" ? f.def.isAsync || f.wrappedAsync : asyncMethods(f.def),
      params: f.def.params,
      docstring: f.def.docstring,
      location: loc(f.mod, f.def.line, f.def.col),
      methods: f.def.kind === "class" ? classMethods(f.def.body) : [],
      ...(f.route ? { route: f.route } : {}),
    };
  }

  const crossCalls = findCrossCalls(found, byModule, loc);
  for (const c of crossCalls) {
    const caller = endpoints.get(c.fromEndpoint)!;
    const callee = endpoints.get(c.toEndpoint)!;
    if (caller === callee) continue;
    if (!caller.calls.includes(callee.name)) caller.calls.push(callee.name);
    if (!callee.calledBy.includes(caller.name)) callee.calledBy.push(caller.name);
  }

  const clients: EndpointModel["clients"] = [];
  for (const mod of modules) {
    for (const a of mod.assignments.values()) {
      const v = a.value;
      if (v.t !== "call" || flashName(mod, v.callee) !== "Endpoint" || usedResources.has(`${mod.file}:${a.name}`)) continue;
      const image = stringArg(v, "image");
      const name = stringArg(v, "name", 0) ?? "";
      // A re-declaration with the same name and image is one client, as the CLI counts them.
      if (image !== null && !v.kwargs.has("id") && !clients.some((c) => c.name === name && c.image === image)) clients.push({ name, image, location: loc(mod, a.line, a.col) });
    }
  }

  return {
    folderUri: input.folderUri,
    root: input.root,
    source: "static",
    interpreter: null,
    endpoints: [...endpoints.values()],
    crossCalls,
    failures,
    clients,
    problem: { kind: "untrusted", message: STATIC_SCAN_MESSAGE },
    scannedAt: input.scannedAt ?? 0,
  };
}

/** A call's string argument by keyword (or position), else null. */
function stringArg(call: Extract<Expr, { t: "call" }>, keyword: string, position?: number): string | null {
  const e = call.kwargs.get(keyword) ?? (position === undefined ? undefined : call.args[position]);
  return e?.t === "str" ? e.v : null;
}

/** inspect.iscoroutinefunction of any public method: `async def` that is not an async generator. */
function asyncMethods(def: Definition): boolean {
  const level = def.body[0]?.indent;
  return def.body.some((l, i) => {
    if (l.indent !== level || l.tokens[0].value !== "async" || l.tokens[1]?.value !== "def" || l.tokens[2]?.value.startsWith("_")) return false;
    let j = i + 1;
    const yields = () => def.body[j].tokens.some((t) => t.kind === "name" && t.value === "yield");
    for (; j < def.body.length && def.body[j].indent > level; j++) if (yields()) return false;
    return true;
  });
}

/** Calls from one discovered function's body to another discovered function, by name. */
function findCrossCalls(
  found: Found[],
  byModule: Map<string, PythonModule>,
  loc: (mod: PythonModule, line: number, col: number) => ModelLocation,
): ModelCrossCall[] {
  const calls: ModelCrossCall[] = [];
  for (const from of found) {
    for (const line of from.def.body) {
      const t = line.tokens;
      for (let i = 0; i < t.length; i++) {
        if (t[i].kind !== "name" || t[i - 1]?.value === "." || t[i - 1]?.value === "def") continue;
        let j = i;
        while (t[j + 1]?.value === "." && t[j + 2]?.kind === "name") j += 2;
        if (t[j + 1]?.value !== "(") continue;
        const text = t.slice(i, j + 1).map((x) => x.value).join("");
        const to = calleeOf(from.mod, text, found, byModule);
        if (to && to !== from) {
          calls.push({
            fromEndpoint: from.name, fromFunction: from.def.name, toEndpoint: to.name, toFunction: to.def.name,
            text, location: loc(from.mod, t[i].line, t[i].col),
          });
        }
        i = j;
      }
    }
  }
  return calls;
}

/** The discovered function a call text names: `fn`, an imported `fn`, or `module.fn`. */
function calleeOf(mod: PythonModule, text: string, found: Found[], byModule: Map<string, PythonModule>): Found | undefined {
  const dot = text.lastIndexOf(".");
  if (dot > 0) {
    const target = byModule.get(mod.moduleImports.get(text.slice(0, dot)) ?? "");
    return target ? found.find((f) => f.mod === target && f.def.name === text.slice(dot + 1)) : undefined;
  }
  const imported = mod.fromImports.get(text);
  if (imported) return found.find((f) => f.mod.module === imported.module && f.def.name === imported.name);
  return found.find((f) => f.mod === mod && f.def.name === text) ?? found.find((f) => f.def.name === text);
}

/** A path segment encoded as Node's pathToFileURL encodes it. */
function encodeSegment(s: string): string {
  return encodeURIComponent(s)
    .replace(/%(40|24|26|2B|2C|3B|3D|3A)/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/~/g, "%7E");
}
