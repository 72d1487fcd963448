// buildManifest against runpod-flash 1.21.0's own ManifestBuilder.build(): each scenario
// runs through the real builder (files exist in a temporary build dir; only the
// re-import is replaced by the scenario's config, as the probe would have read it),
// and the manifest text, the ValueError text, the exit and the warnings must match.
import { beforeAll, describe, expect, it } from "vitest";
import { buildManifest, type ManifestOutcome } from "../../shared/src/manifest/buildManifest";
import { cliMessages } from "../../shared/src/manifest/cliMessages";
import { deployConfigRequest, type DeployEvent } from "../../shared/src/manifest/deployConfigs";
import type { ClientEndpoint, DiscoveredFunction, RemoteFunctionMetadata } from "../../shared/src/scan/scanResult";
import { python } from "./manifestHarness";

const GENERATED_AT = "2026-01-02T03:04:05.678901Z";
const FINGERPRINT = "f".repeat(64);
const SUPPORTED = ["3.10", "3.11", "3.12", "3.13"];

let line = 0;
function fn(meta: Partial<RemoteFunctionMetadata> & { function_name: string; resource_config_name: string }): DiscoveredFunction {
  const file = meta.file_path ?? "main.py";
  const full: RemoteFunctionMetadata = {
    module_path: file.replace(/\.py$/, "").split("/").join("."), resource_type: "LiveServerless", is_async: true, is_class: false,
    file_path: file, http_method: null, http_path: null, is_load_balanced: false, is_live_resource: true, config_variable: null,
    is_lb_route_handler: false, class_methods: [], param_names: [], class_method_params: {}, docstring: null,
    class_method_docstrings: {}, local: false, calls_remote_functions: false, called_remote_functions: [], ...meta,
  };
  const at = { file, line: ++line, col: 0 };
  return { attr: meta.function_name, meta: full, site: { def: at, decorator: at, resource: null }, key: `${file}:${line}`, resource: {}, calls: [] };
}
const lb = (function_name: string, resource: string, method: string | null, path: string | null, extra: Partial<RemoteFunctionMetadata> = {}) =>
  fn({ function_name, resource_config_name: resource, resource_type: "LiveLoadBalancer", is_load_balanced: true, config_variable: "api", http_method: method, http_path: path, is_lb_route_handler: true, ...extra });
const client = (name: string, var_name: string, file_path = "clients.py"): ClientEndpoint => ({
  name, var_name, file_path, module_path: file_path.replace(/\.py$/, "").split("/").join("."), object_id: "1:1", image: "img", site: { file: file_path, line: ++line, col: 0 },
});

interface Scenario {
  functions: DiscoveredFunction[];
  clients?: ClientEndpoint[];
  /** Resource name -> Python expression of the dict _extract_deployment_config returns. */
  configs?: Record<string, string>;
  /** Client name -> (config expression, resource type); absent: its re-import fails, the CLI's own code path runs. */
  clientConfigs?: Record<string, [string, string]>;
  exit?: { kind: "resources" | "clients"; name: string; code: number };
  override?: string;
}

interface CliOutcome {
  configJson: Record<string, [string | null, string | null]>;
  order: [string, string][];
  text?: string;
  error?: string;
  exit?: number;
  dumpsError?: string;
  warnings: string[];
}

const scenarios: Record<string, Scenario> = {
  empty: { functions: [] },
  mixed: {
    functions: [
      fn({ function_name: "work", resource_config_name: "gpu_work", is_async: true, calls_remote_functions: true }),
      fn({ function_name: "Model", resource_config_name: "gpu_work", is_class: true, class_methods: ["predict", "load"] }),
      fn({ function_name: "Bare", resource_config_name: "gpu_work", is_class: true, is_async: false }),
      lb("hello", "api", "GET", "/hello", { is_async: false }),
      lb("make", "api", "POST", "/items"),
      fn({ function_name: "naïve", resource_config_name: "café", file_path: "pkg/my.worker.py" }),
      fn({ function_name: "one", resource_config_name: "1", file_path: "workers/gpu.py", config_variable: "cfg" }),
      fn({ function_name: "ten", resource_config_name: "10", file_path: "workers/gpu.py", config_variable: "cfg" }),
    ],
    configs: {
      gpu_work: `{"max_concurrency": 4, "imageName": "runpod/flash:py3.12-latest", "workersMin": 0, "scale": 1.0, "tiny": 1e-07, "env": {"2": "b", "1": "é"}, "template": {"dockerArgs": "", "containerDiskInGb": 64}}`,
      api: `{"max_concurrency": 3, "imageName": "runpod/flash-lb:py3.12-latest", "gpuIds": "ADA_24", "idleTimeout": 60}`,
      "1": `{"python_version": "3.11", "workersMax": 10**20}`,
    },
  },
  noConfigAnywhere: { functions: [fn({ function_name: "f", resource_config_name: "r" }), lb("g", "s", "GET", "/g")] },
  multipleFiles: {
    functions: [
      fn({ function_name: "a", resource_config_name: "shared", file_path: "z.py" }),
      fn({ function_name: "b", resource_config_name: "shared", file_path: "a/b.py" }),
      fn({ function_name: "c", resource_config_name: "shared", file_path: "a.py" }),
      fn({ function_name: "d", resource_config_name: "other", file_path: "x.py" }),
      fn({ function_name: "e", resource_config_name: "other", file_path: "w.py" }),
    ],
  },
  lbMissingMethod: { functions: [lb("ok", "api", "GET", "/ok"), lb("broken", "api", null, "/x")] },
  lbEmptyPath: { functions: [lb("broken", "api", "GET", "")] },
  duplicateRoute: { functions: [lb("first", "api", "GET", "/same"), lb("second", "api", "GET", "/same")] },
  reservedPath: { functions: [lb("health", "api", "GET", "/ping")] },
  duplicateRouteBeforeReserved: { functions: [lb("a", "api", "POST", "/execute"), lb("b", "api", "POST", "/execute")] },
  duplicateFunction: { functions: [fn({ function_name: "f", resource_config_name: "b" }), fn({ function_name: "f", resource_config_name: "a", file_path: "other.py" })] },
  aliasDiscoveredTwice: { functions: [fn({ function_name: "f", resource_config_name: "gpu" }), fn({ function_name: "f", resource_config_name: "gpu" })] },
  clients: {
    functions: [fn({ function_name: "f", resource_config_name: "gpu" })],
    clients: [client("vllm", "llm"), client("embed", "emb", "svc/embed.py")],
    clientConfigs: { vllm: [`{"max_concurrency": 8, "imageName": "vllm/vllm:latest", "workersMax": 2}`, "LiveServerless"] },
  },
  clientCollision: { functions: [fn({ function_name: "f", resource_config_name: "gpu" })], clients: [client("gpu", "ep")] },
  overrideOk: { functions: [fn({ function_name: "f", resource_config_name: "a" })], configs: { a: `{"python_version": "3.11"}` }, override: "3.11" },
  overrideUnsupported: { functions: [fn({ function_name: "f", resource_config_name: "a" })], override: "3.9" },
  overrideConflict: {
    functions: [fn({ function_name: "f", resource_config_name: "b" }), fn({ function_name: "g", resource_config_name: "a" }), fn({ function_name: "h", resource_config_name: "c" })],
    configs: { a: `{"python_version": "3.10"}`, b: `{"python_version": "3.12"}`, c: `{"python_version": "3.11"}` },
    override: "3.11",
  },
  declaredConflict: {
    functions: [fn({ function_name: "f", resource_config_name: "b" }), fn({ function_name: "g", resource_config_name: "a" })],
    clients: [client("c", "ep")],
    configs: { a: `{"python_version": "3.12"}`, b: `{"python_version": "3.10"}` },
    clientConfigs: { c: [`{"imageName": "x", "python_version": "3.11"}`, "LiveServerless"] },
  },
  declaredUnsupported: { functions: [fn({ function_name: "f", resource_config_name: "a" })], configs: { a: `{"python_version": "3.8"}` } },
  exitBeforeLaterValidation: {
    functions: [fn({ function_name: "f", resource_config_name: "b" }), lb("g", "c", null, null)],
    exit: { kind: "resources", name: "b", code: 3 },
  },
  validationBeforeExit: { functions: [lb("g", "b", "GET", "/ping")], exit: { kind: "resources", name: "b", code: 3 } },
  registryBeforeLaterExit: {
    functions: [fn({ function_name: "f", resource_config_name: "a" }), fn({ function_name: "f", resource_config_name: "b", file_path: "b.py" }), fn({ function_name: "g", resource_config_name: "c" })],
    exit: { kind: "resources", name: "c", code: 4 },
  },
  exitBeforeOwnRegistryCheck: {
    functions: [fn({ function_name: "f", resource_config_name: "a" }), fn({ function_name: "f", resource_config_name: "b", file_path: "b.py" })],
    exit: { kind: "resources", name: "b", code: 5 },
  },
  clientExit: { functions: [fn({ function_name: "f", resource_config_name: "gpu" })], clients: [client("z", "ep")], exit: { kind: "clients", name: "z", code: 2 } },
  collisionBeforeClientExit: {
    functions: [fn({ function_name: "f", resource_config_name: "b" })],
    clients: [client("b", "ep"), client("c", "ep2")],
    exit: { kind: "clients", name: "c", code: 2 },
  },
  unserializableType: { functions: [fn({ function_name: "f", resource_config_name: "a" })], configs: { a: `{"imageName": "x", "env": {"K": object()}}` } },
  unserializableCircular: { functions: [fn({ function_name: "f", resource_config_name: "a" })], configs: { a: `(lambda l: (l.append(l), {"locations": l})[1])([])` } },
};

/** The deploy phase as the probe reports it: items in our request order, stopping at an exit. */
function deployEvents(s: Scenario, cli: CliOutcome): DeployEvent[] {
  const request = deployConfigRequest({ functions: s.functions, clientEndpoints: s.clients ?? [] });
  const events: DeployEvent[] = [];
  for (const [kind, items] of [["resources", request.resources], ["clients", request.clients]] as const) {
    for (const { name } of items) {
      if (s.exit?.kind === kind && s.exit.name === name) return [...events, { t: "deploy-exit", kind, name, code: s.exit.code }];
      const [configJson, unserializable] = cli.configJson[`${kind}:${name}`] ?? ["{}", null];
      const resourceType = kind === "clients" ? (s.clientConfigs?.[name]?.[1] ?? "Endpoint") : undefined;
      events.push({ t: "deploy", kind, name, configJson, resourceType, ...(unserializable ? { unserializable } : {}) });
    }
  }
  return events;
}

function ours(s: Scenario, cli: CliOutcome): ManifestOutcome {
  const scan = { functions: s.functions, clientEndpoints: s.clients ?? [], importErrors: [], failures: [] };
  return buildManifest(scan, { events: deployEvents(s, cli) }, {
    projectName: "proj", pythonVersionOverride: s.override, generatedAt: GENERATED_AT, sourceFingerprint: FINGERPRINT,
    defaultPythonVersion: "3.12", supportedPythonVersions: SUPPORTED,
  });
}

let cli: Record<string, CliOutcome>;
beforeAll(() => {
  const specs = Object.entries(scenarios).map(([id, s]) => ({
    id, override: s.override ?? null, generatedAt: GENERATED_AT, fingerprint: FINGERPRINT, exit: s.exit ?? null,
    functions: s.functions.map((f) => f.meta), clients: (s.clients ?? []).map(({ name, var_name, file_path, module_path }) => ({ name, var_name, file_path, module_path })),
    configs: s.configs ?? {}, clientConfigs: s.clientConfigs ?? {},
  }));
  cli = JSON.parse(python("harness", JSON.stringify(specs)));
});

/** The real builder's result and ours, side by side. */
function both(id: string): { cli: CliOutcome; ours: ManifestOutcome } {
  return { cli: cli[id], ours: ours(scenarios[id], cli[id]) };
}

describe("buildManifest writes the CLI's bytes", () => {
  for (const id of ["empty", "mixed", "noConfigAnywhere", "clients", "overrideOk"]) {
    it(`matches json.dumps(ManifestBuilder.build(), indent=2) for "${id}"`, () => {
      const r = both(id);
      expect(r.cli.text).toBeDefined();
      if (!r.ours.ok) throw new Error(r.ours.refusals[0].message);
      expect(r.ours.text).toBe(r.cli.text);
      expect(r.ours.summary.warnings.map((w) => w.message)).toEqual(r.cli.warnings);
    });
  }

  it("drops max_concurrency for LB endpoints only, with the CLI's warning", () => {
    const r = both("mixed");
    if (!r.ours.ok) throw new Error("refused");
    expect(r.ours.text).toContain('"max_concurrency": 4');
    expect(r.ours.text).not.toContain('"max_concurrency": 3');
    expect(r.cli.warnings).toEqual(["max_concurrency=3 on LB endpoint 'api' is ignored. LB endpoints handle concurrency via uvicorn."]);
  });

  it("keeps max_concurrency on client endpoints and warns about one without an image", () => {
    const r = both("clients");
    if (!r.ours.ok) throw new Error("refused");
    expect(r.ours.text).toContain('"max_concurrency": 8');
    expect(r.cli.warnings).toEqual([cliMessages.clientWithoutImage("embed")]);
    expect(r.ours.summary.resources.map((x) => [x.name, x.clientMode, x.resourceType])).toEqual([["gpu", false, "LiveServerless"], ["embed", true, "Endpoint"], ["vllm", true, "LiveServerless"]]);
  });

  it("asks for deployment config in the CLI's re-import order", () => {
    for (const [id, s] of Object.entries(scenarios)) {
      const request = deployConfigRequest({ functions: s.functions, clientEndpoints: s.clients ?? [] });
      const all = [...request.resources.map((r) => ["resources", r.name]), ...request.clients.map((c) => ["clients", c.name])];
      expect(all.slice(0, cli[id].order.length), id).toEqual(cli[id].order);
    }
  });
});

describe("buildManifest refuses with the CLI's ValueError text", () => {
  const refusals = [
    "multipleFiles", "lbMissingMethod", "lbEmptyPath", "duplicateRoute", "reservedPath", "duplicateRouteBeforeReserved", "duplicateFunction",
    "aliasDiscoveredTwice", "clientCollision", "overrideUnsupported", "overrideConflict", "declaredConflict", "declaredUnsupported",
    "validationBeforeExit", "registryBeforeLaterExit", "collisionBeforeClientExit",
  ];
  for (const id of refusals) {
    it(`refuses like ManifestBuilder.build() for "${id}"`, () => {
      const r = both(id);
      expect(r.cli.error).toBeDefined();
      expect(r.ours.ok).toBe(false);
      if (r.ours.ok) return;
      expect(r.ours.refusals[0].message).toBe(r.cli.error);
      expect(r.ours.refusals[0].exitCode).toBe(1);
    });
  }

  it("names project-relative files, sorted, where the CLI names .flash/.build paths", () => {
    expect(cli.multipleFiles.error).toBe(
      "endpoint 'shared' is defined in multiple files: a.py, a/b.py, z.py. each endpoint name must be unique across the project.",
    );
  });

  it("prints the three python_version messages word for word", () => {
    expect(cli.overrideConflict.error).toBe(
      "python_version override '3.11' conflicts with resource declarations: a=3.10, b=3.12. Either remove the override or align all resources to '3.11'.",
    );
    expect(cli.declaredConflict.error).toBe(
      "Flash apps require one python_version across all resources (found ['3.10', '3.11', '3.12']): a=3.12, b=3.10, c=3.11. Set python_version to the same value on every resource, or omit it to use the default (3.12).",
    );
    expect(cli.overrideUnsupported.error).toBe("Python 3.9 is not supported. Supported versions: 3.10, 3.11, 3.12, 3.13");
  });
});

describe("buildManifest follows the CLI's order of side effects", () => {
  for (const id of ["exitBeforeLaterValidation", "exitBeforeOwnRegistryCheck", "clientExit"]) {
    it(`exits where the CLI's re-import exits for "${id}"`, () => {
      const r = both(id);
      expect(r.cli.exit).toBe(scenarios[id].exit!.code);
      if (r.ours.ok) throw new Error("expected a refusal");
      expect(r.ours.refusals[0]).toMatchObject({ cause: "reimport-exit", exitCode: r.cli.exit });
    });
  }

  it("says which file the CLI was re-importing when it exited", () => {
    const r = both("clientExit");
    if (r.ours.ok) throw new Error("expected a refusal");
    expect(r.ours.refusals[0].message).toBe("flash build exits with code 2 while re-importing clients.py for its deployment config");
  });

  it("treats json.dumps' TypeError as a warning that ships no manifest (exit 0)", () => {
    const r = both("unserializableType");
    expect(r.cli.dumpsError).toBe("TypeError: Object of type object is not JSON serializable");
    if (r.ours.ok) throw new Error("expected a refusal");
    expect(r.ours.refusals[0]).toMatchObject({ cause: "unserializable", exitCode: 0, message: "Handler generation failed: Object of type object is not JSON serializable" });
  });

  it("treats json.dumps' ValueError (a circular reference) as an error", () => {
    const r = both("unserializableCircular");
    expect(r.cli.dumpsError).toBe("ValueError: Circular reference detected");
    if (r.ours.ok) throw new Error("expected a refusal");
    expect(r.ours.refusals[0]).toMatchObject({ cause: "unserializable", exitCode: 1, message: "Circular reference detected" });
  });
});
