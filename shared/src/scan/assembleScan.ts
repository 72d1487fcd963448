// Per-module probe results → one project model, doing project-wide what the CLI's
// RuntimeScanner does after its imports: client-endpoint merging, the name-based
// cross-call pass, and (ours) cross-calls resolved by identity.
import type { ClientEndpoint, Hello, ModuleResult } from "../probe/probeMessages";
import type { CrossCall, DiscoveredFunction, DiscoveryError, ModuleFailure, ScanResult } from "./scanResult";

export interface AssembleInput {
  root: string;
  files: string[];
  modules: string[];
  hello: Hello;
  /** One result per scanned module, in scan order. */
  results: ModuleResult[];
  durationMs: number;
  output: string;
}

export function assembleScan(input: AssembleInput): ScanResult {
  const functions: DiscoveredFunction[] = [];
  const failures: ModuleFailure[] = [];
  const clients = new Map<string | null, ClientEndpoint>();
  const moduleImports: Record<string, string[]> = {};
  const moduleTimesMs: Record<string, number> = {};
  let discoveryError: ScanResult["discoveryError"];

  for (const r of input.results) {
    moduleImports[r.file] = r.importedFiles;
    moduleTimesMs[r.file] = r.durationMs;
    if (r.error) {
      failures.push({ file: r.file, failure: r.error, inImportErrors: r.ended?.reason !== "crash", ...(r.ended?.reason === "crash" ? { exitCode: r.ended.exitCode ?? undefined } : {}) });
      continue;
    }
    if (r.exit) failures.push(swallowedExit(r.file, r.exit));
    if (r.extractError && !discoveryError) {
      discoveryError = discoveryErrorOf(r.extractError.clause, r.extractError.type, r.extractError.message, [r.file], [null]);
    }
    const collision = mergeClientEndpoints(clients, r.clientEndpoints ?? []);
    if (collision && !discoveryError) discoveryError = collision;
    for (const o of r.objects ?? []) {
      functions.push({ ...o, meta: { ...o.meta, calls_remote_functions: false, called_remote_functions: [] } });
    }
  }

  applyCliCrossCalls(functions, input.results);
  return {
    root: input.root,
    interpreter: {
      executable: input.hello.executable,
      python: input.hello.python,
      flashVersion: input.hello.flashVersion,
      defaultPythonVersion: input.hello.defaultPythonVersion,
      supportedPythonVersions: input.hello.supportedPythonVersions,
    },
    files: input.files,
    modules: input.modules,
    functions,
    importErrors: failures.filter((f) => f.inImportErrors).map((f) => ({ file: f.file, message: f.failure.message })),
    failures,
    clientEndpoints: [...clients.values()],
    ...(discoveryError ? { discoveryError } : {}),
    crossCalls: resolveCrossCalls(functions),
    moduleImports,
    moduleTimesMs,
    durationMs: input.durationMs,
    output: input.output,
  };
}

function swallowedExit(file: string, exit: NonNullable<ModuleResult["exit"]>): ModuleFailure {
  return {
    file,
    inImportErrors: false,
    exitCode: exit.code,
    failure: { message: `SystemExit: ${exit.code}`, type: "SystemExit", kind: "exit", location: exit.location },
    note:
      `sys.exit(${exit.code}) at import: flash build keeps what was defined before it and reports no error, ` +
      `then exits with code ${exit.code} and no message when it re-imports this file for deployment config`,
  };
}

/** How run_build reports an exception escaping discover_remote_functions, by the except clause that catches it. */
export function discoveryErrorOf(
  clause: "analysis" | "value" | "other",
  type: string,
  message: string,
  files: string[],
  sites: DiscoveryError["sites"],
): DiscoveryError {
  if (clause === "analysis") return { type, message, cliOutput: `Code analysis failed: ${message}`, exitCode: 1, files, sites };
  if (clause === "value") return { type, message, cliOutput: message, exitCode: 1, files, sites };
  return { type, message, cliOutput: `Handler generation failed: ${message}`, exitCode: 0, files, sites };
}

/** Port of RuntimeScanner._collect_client_endpoints' merge rules; returns the collision it raises. */
function mergeClientEndpoints(into: Map<string | null, ClientEndpoint>, records: ClientEndpoint[]): ScanResult["discoveryError"] | undefined {
  for (const record of records) {
    const existing = into.get(record.name);
    if (!existing) {
      into.set(record.name, record);
    } else if (existing.object_id === record.object_id) {
      continue; // the same object under a second variable name
    } else if (existing.file_path === record.file_path) {
      into.set(record.name, record); // last wins within one file (keeps its position, like a dict)
    } else if (existing.image !== record.image) {
      return discoveryErrorOf(
        "value",
        "ValueError",
        `endpoint '${record.name}' is defined in multiple files: ${existing.file_path}, ${record.file_path}. ` +
          `each endpoint name must be unique across the project.`,
        [existing.file_path, record.file_path],
        [existing.site, record.site],
      );
    }
  }
  return undefined;
}

/** The CLI's _analyze_cross_calls_ast: bare-name calls matching any discovered name. */
function applyCliCrossCalls(functions: DiscoveredFunction[], results: ModuleResult[]): void {
  const remoteNames = new Set(functions.map((f) => f.meta.function_name));
  for (const r of results) {
    const calls = new Map<string, string[]>();
    for (const node of r.cliCallNodes ?? []) {
      const called = node.calls.filter((name) => remoteNames.has(name));
      if (called.length) calls.set(node.name, called);
    }
    for (const f of functions) {
      const called = f.meta.file_path === r.file ? calls.get(f.meta.function_name) : undefined;
      if (called) {
        f.meta.calls_remote_functions = true;
        f.meta.called_remote_functions = called;
      }
    }
  }
}

/** Our cross-calls: calls resolved through the live module to a discovered definition. */
function resolveCrossCalls(functions: DiscoveredFunction[]): CrossCall[] {
  const byKey = new Map<string, number>();
  functions.forEach((f, i) => {
    const known = byKey.get(f.key);
    // An endpoint imported into another module is discovered there too; prefer its home.
    const isHome = f.site.def?.file === f.meta.file_path;
    if (known === undefined || (isHome && functions[known].site.def?.file !== functions[known].meta.file_path)) byKey.set(f.key, i);
  });
  const edges: CrossCall[] = [];
  functions.forEach((f, from) => {
    if (byKey.get(f.key) !== from) return; // report each definition once
    const seen = new Set<number>();
    for (const call of f.calls) {
      const to = byKey.get(call.key);
      if (to === undefined || to === from || seen.has(to)) continue;
      seen.add(to);
      edges.push({ from, to, text: call.text, at: call.at });
    }
  });
  return edges;
}
