// runpod-flash 1.21.0's ManifestBuilder.build() plus the steps of run_build around it,
// as a pure function: the same checks in the same order (the CLI stops at the first
// failure, and only re-imports the files it reaches), the same key order, the same
// bytes as `json.dumps(manifest, indent=2)`.
import type { Position } from "../probe/probeMessages";
import type { DiscoveredFunction, ScanResult } from "../scan/scanResult";
import { cliMessages, RESERVED_PATHS } from "./cliMessages";
import { deployAnswer, namedClients, type DeployPhase } from "./deployConfigs";
import { pyDict, pyJsonDumps, pyPop, pySet, rawObjectEntries, rawScalar, type PyDict, type PyJson, type PyRaw } from "./pyJson";
import { pySorted } from "./pyRepr";
import { reconcilePythonVersion } from "./pythonVersion";

export type ManifestScan = Pick<ScanResult, "functions" | "clientEndpoints" | "importErrors" | "failures" | "discoveryError">;

export interface ManifestOptions {
  projectName: string;
  /** `flash build --python-version`. */
  pythonVersionOverride?: string;
  /** The CLI writes datetime.now(timezone.utc).isoformat() with "Z"; the caller chooses. */
  generatedAt: string;
  /** compute_source_fingerprint over the shipped files, computed by the caller. */
  sourceFingerprint: string;
  /** From the user's installed SDK (DEFAULT_PYTHON_VERSION, SUPPORTED_PYTHON_VERSIONS). */
  defaultPythonVersion: string;
  supportedPythonVersions: string[];
}

/** Where `flash build` stops instead of writing a manifest. */
export interface ManifestRefusal {
  cause: "discovery" | "import" | "validation" | "python-version" | "reimport-exit" | "reimport-stuck" | "unserializable";
  /** The CLI's text (str() of its ValueError, word for word), or ours where the CLI prints nothing. */
  message: string;
  files: string[];
  /** Where in `files` it happens, index for index, when known. */
  sites: (Position | null)[];
  /** flash build's exit status; 0 when it only warns and ships no manifest; null when it hangs or dies by a signal. */
  exitCode: number | null;
}

/** Something the CLI logs while still writing the manifest (its exact text). */
export interface ManifestWarning {
  message: string;
  files: string[];
  sites: (Position | null)[];
}

export interface ResourceSummary {
  name: string;
  resourceType: string;
  file: string;
  isLoadBalanced: boolean;
  clientMode: boolean;
  functions: string[];
  /** Keys the deployment config contributed; empty when the CLI's re-import found nothing. */
  configKeys: string[];
  /** The probe's reason the re-import gave no (or partial) config; the CLI stays silent. */
  configNote?: string;
}

export interface ManifestSummary {
  pythonVersion: string;
  pythonVersionSource: "override" | "declared" | "default";
  resources: ResourceSummary[];
  functionCount: number;
  routeCount: number;
  warnings: ManifestWarning[];
}

export type ManifestOutcome =
  | { ok: true; text: string; manifest: PyDict; summary: ManifestSummary }
  | { ok: false; refusals: ManifestRefusal[] };

type Refusal = Omit<ManifestRefusal, "exitCode"> & { exitCode?: number | null };
const refuse = (r: Refusal): ManifestOutcome => ({ ok: false, refusals: [{ ...r, exitCode: r.exitCode === undefined ? 1 : r.exitCode }] });

const functionSite = (f: DiscoveredFunction): Position | null => f.site.decorator ?? f.site.def;
const resourceSite = (f: DiscoveredFunction): Position | null => f.site.resource ?? f.site.decorator ?? f.site.def;

/** _derive_path_fields for a file inside the build dir: Path.with_suffix("") drops the last suffix. */
function pathFields(file: string): { file_path: string; local_path_prefix: string; module_path: string } {
  const slash = file.lastIndexOf("/");
  const dot = file.lastIndexOf(".");
  const stem = dot > slash + 1 && dot < file.length - 1 ? file.slice(0, dot) : file;
  return { file_path: file, local_path_prefix: "/" + stem, module_path: stem.split("/").join(".") };
}

export function buildManifest(scan: ManifestScan, deploy: DeployPhase, options: ManifestOptions): ManifestOutcome {
  // run_build: the scanner's ValueError, then its import errors, come before ManifestBuilder.
  if (scan.discoveryError) {
    const d = scan.discoveryError;
    return refuse({ cause: "discovery", message: d.cliOutput, files: d.files, sites: d.sites, exitCode: d.exitCode });
  }
  if (scan.importErrors.length > 0) {
    const files = scan.importErrors.map((e) => e.file);
    const sites = files.map((f) => scan.failures.find((x) => x.file === f && x.inImportErrors)?.failure.location ?? null);
    return refuse({ cause: "import", message: cliMessages.failedToLoad(scan.importErrors), files, sites });
  }

  const groups = new Map<string, DiscoveredFunction[]>();
  for (const f of scan.functions) {
    const group = groups.get(f.meta.resource_config_name);
    if (group) group.push(f);
    else groups.set(f.meta.resource_config_name, [f]);
  }
  for (const [name, fns] of groups) {
    const files = pySorted(new Set(fns.map((f) => f.meta.file_path)));
    if (files.length > 1) {
      const sites = files.map((file) => functionSite(fns.find((f) => f.meta.file_path === file)!));
      return refuse({ cause: "validation", message: cliMessages.definedInMultipleFiles(name, files), files, sites });
    }
  }

  const resources = pyDict();
  const registry = new Map<string, { resource: string; fn: DiscoveredFunction }>();
  const routes = pyDict();
  const summaries: ResourceSummary[] = [];
  const warnings: ManifestWarning[] = [];
  const declared: { name: string; version: string }[] = [];
  const sites = new Map<string, { file: string; site: Position | null }>();
  /** json.dumps fails on the first unserializable config in manifest order, after build(). */
  const pending: { unserializable: { name: string; error: string } | null } = { unserializable: null };

  /** The CLI re-imports here: an exit or hang ends the run; otherwise the config's entries. */
  const readConfig = (kind: "resources" | "clients", name: string, file: string, site: Position | null) => {
    const answer = deployAnswer(deploy, kind, name);
    if (answer.t !== "config") {
      const at = { files: [file], sites: [scan.failures.find((x) => x.file === file && x.failure.kind === "exit")?.failure.location ?? site] };
      if (answer.t === "exit") {
        return { refusal: refuse({ cause: "reimport-exit", message: cliMessages.exitDuringReimport(answer.code, file), exitCode: answer.code, ...at }) };
      }
      const message =
        answer.reason === "timeout" ? cliMessages.hangDuringReimport(file)
        : answer.exitCode === null ? cliMessages.deathDuringReimport(file)
        : cliMessages.exitDuringReimport(answer.exitCode, file);
      return { refusal: refuse({ cause: "reimport-stuck", message, exitCode: answer.reason === "timeout" ? null : answer.exitCode, ...at }) };
    }
    if (answer.configJson === null) pending.unserializable ??= { name, error: answer.unserializable ?? "TypeError: not serializable" };
    const entries = answer.configJson === null ? [] : rawObjectEntries(answer.configJson);
    // _reconcile_python_version counts truthy values only.
    const version = entries.find(([k]) => k === "python_version")?.[1];
    const decoded = version ? rawScalar(version.json) : undefined;
    if (version && decoded) declared.push({ name, version: typeof decoded === "string" ? decoded : version.json });
    return { entries, resourceType: answer.resourceType, note: answer.note };
  };

  for (const name of pySorted(groups.keys())) {
    const fns = groups.get(name)!;
    const first = fns[0].meta;
    const isLB = first.is_load_balanced;
    const resourceRoutes = new Map<string, DiscoveredFunction>();
    if (isLB) {
      for (const f of fns) {
        const { function_name: fn, http_method: method, http_path: path } = f.meta;
        const at = { files: [f.meta.file_path], sites: [functionSite(f)] };
        if (!method || !path) {
          return refuse({ cause: "validation", message: cliMessages.lbRequiresMethodAndPath(first.resource_type, name, fn, method, path), ...at });
        }
        const key = `${method} ${path}`;
        const earlier = resourceRoutes.get(key);
        if (earlier) {
          const message = cliMessages.duplicateRoute(key, name, earlier.meta.function_name, fn);
          return refuse({ cause: "validation", message, files: [earlier.meta.file_path, f.meta.file_path], sites: [functionSite(earlier), functionSite(f)] });
        }
        resourceRoutes.set(key, f);
        if (RESERVED_PATHS.includes(path)) return refuse({ cause: "validation", message: cliMessages.reservedPath(fn, path), ...at });
      }
    }

    const functionsList: PyJson[] = fns.map(({ meta: f }) => {
      const entry = pyDict([["name", f.function_name], ["module", f.module_path], ["is_async", f.is_async], ["is_class", f.is_class]]);
      if (f.is_class && f.class_methods.length > 0) pySet(entry, "class_methods", [...f.class_methods]);
      if (isLB) {
        pySet(entry, "http_method", f.http_method);
        pySet(entry, "http_path", f.http_path);
      }
      return entry;
    });

    const site = resourceSite(fns[0]);
    const config = readConfig("resources", name, first.file_path, site);
    if ("refusal" in config) return config.refusal!;

    const resource = pyDict([
      ["resource_type", first.resource_type],
      ...Object.entries(pathFields(first.file_path)),
      ["functions", functionsList],
      ["is_load_balanced", isLB],
      ["is_live_resource", first.is_live_resource],
      ["config_variable", first.config_variable],
      ["makes_remote_calls", fns.some((f) => f.meta.calls_remote_functions)],
    ]);
    for (const [k, v] of config.entries) pySet(resource, k, v);
    // max_concurrency is QB-only: the CLI logs a warning and drops it for LB endpoints.
    if (isLB) {
      const dropped = pyPop(resource, "max_concurrency") as PyRaw | undefined;
      if (dropped) warnings.push({ message: cliMessages.lbMaxConcurrencyIgnored(percentD(dropped.json), name), files: [first.file_path], sites: [site] });
    }
    if (!isLB) pySet(resource, "handler_file", `handler_${name}.py`);
    resources.entries.push([name, resource]); // names are unique here: groups, then checked clients
    sites.set(name, { file: first.file_path, site });
    summaries.push({
      name, resourceType: first.resource_type, file: first.file_path, isLoadBalanced: isLB, clientMode: false,
      functions: fns.map((f) => f.meta.function_name), configKeys: config.entries.map(([k]) => k), configNote: config.note,
    });
    if (resourceRoutes.size > 0) pySet(routes, name, pyDict([...resourceRoutes].map(([key, f]) => [key, f.meta.function_name])));

    for (const f of fns) {
      const fn = f.meta.function_name;
      const earlier = registry.get(fn);
      if (earlier) {
        const message = cliMessages.duplicateFunctionName(fn, earlier.resource, name);
        return refuse({ cause: "validation", message, files: [earlier.fn.meta.file_path, f.meta.file_path], sites: [functionSite(earlier.fn), functionSite(f)] });
      }
      registry.set(fn, { resource: name, fn: f });
    }
  }

  // _add_client_endpoints: function-less entries for Endpoint(image=...) objects.
  for (const client of namedClients(scan.clientEndpoints)) {
    const name = client.name;
    if (sites.has(name)) {
      const other = sites.get(name)!;
      return refuse({ cause: "validation", message: cliMessages.clientCollision(name), files: [client.file_path, other.file], sites: [client.site, other.site] });
    }
    const config = readConfig("clients", name, client.file_path, client.site);
    if ("refusal" in config) return config.refusal!;
    const resourceType = config.resourceType ?? "Endpoint";
    const resource = pyDict([
      ["resource_type", resourceType],
      ...Object.entries(pathFields(client.file_path)),
      ["functions", []],
      ["is_load_balanced", false],
      ["is_live_resource", true],
      ["config_variable", client.var_name],
      ["makes_remote_calls", false],
      ["client_mode", true],
    ]);
    for (const [k, v] of config.entries) pySet(resource, k, v);
    const keys = config.entries.map(([k]) => k);
    if (!keys.includes("imageName") && !keys.includes("templateId")) {
      warnings.push({ message: cliMessages.clientWithoutImage(name), files: [client.file_path], sites: [client.site] });
    }
    resources.entries.push([name, resource]); // names are unique here: groups, then checked clients
    sites.set(name, { file: client.file_path, site: client.site });
    summaries.push({
      name, resourceType, file: client.file_path, isLoadBalanced: false, clientMode: true, functions: [], configKeys: keys, configNote: config.note,
    });
  }

  const choice = reconcilePythonVersion(declared, {
    override: options.pythonVersionOverride,
    defaultVersion: options.defaultPythonVersion,
    supportedVersions: options.supportedPythonVersions,
  });
  if (!choice.ok) {
    const named = choice.names.map((n) => sites.get(n)!);
    return refuse({ cause: "python-version", message: choice.message, files: named.map((s) => s.file), sites: named.map((s) => s.site) });
  }
  for (const [, resource] of resources.entries) pySet(resource as PyDict, "target_python_version", choice.version);

  // json.dumps runs after build(): a ValueError (circular reference) is an error,
  // anything else (TypeError) only a warning — the CLI then ships no manifest and exits 0.
  if (pending.unserializable) {
    const { name, error } = pending.unserializable;
    const at = sites.get(name)!;
    const colon = error.indexOf(": ");
    const [type, text] = colon >= 0 ? [error.slice(0, colon), error.slice(colon + 2)] : ["TypeError", error];
    const isValueError = type === "ValueError";
    const message = isValueError ? text : cliMessages.handlerGenerationFailed(text);
    return refuse({ cause: "unserializable", message, files: [at.file], sites: [at.site], exitCode: isValueError ? 1 : 0 });
  }

  const manifest = pyDict([
    ["version", "1.0"],
    ["python_version", choice.version],
    ["generated_at", options.generatedAt],
    ["project_name", options.projectName],
    ["resources", resources],
    ["function_registry", pyDict([...registry].map(([fn, r]) => [fn, r.resource]))],
  ]);
  if (routes.entries.length > 0) pySet(manifest, "routes", routes);
  pySet(manifest, "source_fingerprint", options.sourceFingerprint);

  const summary: ManifestSummary = {
    pythonVersion: choice.version,
    pythonVersionSource: choice.source,
    resources: summaries,
    functionCount: registry.size,
    routeCount: routes.entries.reduce((n, [, r]) => n + (r as PyDict).entries.length, 0),
    warnings,
  };
  return { ok: true, text: pyJsonDumps(manifest), manifest, summary };
}

/** Python's "%d" of the popped value: ints as written, floats truncated toward zero. */
function percentD(token: string): string {
  const value = rawScalar(token);
  if (typeof value !== "number" || !Number.isFinite(value)) return token;
  return /^-?\d+$/.test(token.trim()) ? token.trim() : BigInt(Math.trunc(value)).toString();
}
