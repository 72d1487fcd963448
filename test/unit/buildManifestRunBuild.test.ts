// The steps of run_build around ManifestBuilder.build(): the scanner's own refusals come
// first, a re-import that never returns ends the run, and what we report beside the text.
// Two facts are checked against a real `flash build` in a temporary project.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildManifest, type ManifestOptions, type ManifestScan } from "../../shared/src/manifest/buildManifest";
import type { DiscoveredFunction, ModuleFailure, RemoteFunctionMetadata } from "../../shared/src/scan/scanResult";
import { PYTHON } from "./manifestHarness";

const options: ManifestOptions = {
  projectName: "proj", generatedAt: "G", sourceFingerprint: "F", defaultPythonVersion: "3.11", supportedPythonVersions: ["3.10", "3.11", "3.12"],
};

function fn(function_name: string, resource: string, file = "main.py", extra: Partial<RemoteFunctionMetadata> = {}): DiscoveredFunction {
  const at = { file, line: 3, col: 0 };
  const meta: RemoteFunctionMetadata = {
    function_name, module_path: file.replace(/\.py$/, ""), resource_config_name: resource, resource_type: "LiveServerless", is_async: true,
    is_class: false, file_path: file, http_method: null, http_path: null, is_load_balanced: false, is_live_resource: true,
    config_variable: null, is_lb_route_handler: false, class_methods: [], param_names: [], class_method_params: {}, docstring: null,
    class_method_docstrings: {}, local: false, calls_remote_functions: false, called_remote_functions: [], ...extra,
  };
  return { attr: function_name, meta, site: { def: at, decorator: at, resource: null }, key: function_name, resource: {}, calls: [] };
}
const scanOf = (s: Partial<ManifestScan>): ManifestScan => ({ functions: [], clientEndpoints: [], importErrors: [], failures: [], ...s });
const failure = (file: string, kind: "exception" | "exit", line: number): ModuleFailure => ({
  file, inImportErrors: kind !== "exit", failure: { message: "x", type: "X", kind, location: { file, line, col: 0 } },
});

/** Runs the real `flash build` in a fresh project made of `files`. */
function flashBuild(files: Record<string, string>): { status: number | null; stdout: string } {
  const dir = mkdtempSync(join(tmpdir(), "flash-build-"));
  try {
    for (const [rel, text] of Object.entries(files)) writeFileSync(join(dir, rel), text);
    const env = { ...process.env, PATH: `${dirname(PYTHON)}:${process.env.PATH}`, COLUMNS: "200", NO_COLOR: "1" };
    const r = spawnSync(join(dirname(PYTHON), "flash"), ["build", "--no-deps"], { cwd: dir, env, encoding: "utf8", timeout: 120_000 });
    return { status: r.status, stdout: r.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("before ManifestBuilder", () => {
  it("passes the scanner's ValueError through, ahead of import errors", () => {
    const message = "endpoint 'x' is defined in multiple files: a.py, b.py. each endpoint name must be unique across the project.";
    const discoveryError = { type: "ValueError", message, cliOutput: message, exitCode: 1, files: ["a.py", "b.py"], sites: [null, null] };
    const r = buildManifest(scanOf({ discoveryError, importErrors: [{ file: "c.py", message: "E: e" }] }), { events: [] }, options);
    expect(r).toEqual({ ok: false, refusals: [{ cause: "discovery", exitCode: 1, message, files: ["a.py", "b.py"], sites: [null, null] }] });
  });

  it("reports another exception from discovery as flash build does: a warning, exit 0, no manifest", () => {
    const discoveryError = { type: "AttributeError", message: "'str' object has no attribute 'get'", cliOutput: "Handler generation failed: 'str' object has no attribute 'get'", exitCode: 0, files: ["settings.py"], sites: [null] };
    const r = buildManifest(scanOf({ discoveryError }), { events: [] }, options);
    expect(r).toEqual({ ok: false, refusals: [{ cause: "discovery", exitCode: 0, message: "Handler generation failed: 'str' object has no attribute 'get'", files: ["settings.py"], sites: [null] }] });
  });

  it("lists import errors under 'Failed to load:' exactly as flash build prints them", () => {
    const importErrors = [
      { file: "a.py", message: "RuntimeError: boom" },
      { file: "b.py", message: "ModuleNotFoundError: No module named 'nonexistent_mod_xyz'" },
    ];
    const r = buildManifest(scanOf({ importErrors, failures: [failure("b.py", "exception", 1), failure("a.py", "exception", 2)] }), { events: [] }, options);
    if (r.ok) throw new Error("expected a refusal");
    expect(r.refusals[0]).toMatchObject({ cause: "import", exitCode: 1, files: ["a.py", "b.py"] });
    expect(r.refusals[0].sites.map((s) => s?.line)).toEqual([2, 1]);
    const cli = flashBuild({ "a.py": 'raise RuntimeError("boom")\n', "b.py": "import nonexistent_mod_xyz\n" });
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain(r.refusals[0].message + "\n");
    expect(r.refusals[0].message).toBe("Failed to load:\n  a.py: RuntimeError: boom\n  b.py: ModuleNotFoundError: No module named 'nonexistent_mod_xyz'");
  });
});

describe("re-imports that end the run", () => {
  it("is what flash build does: sys.exit during the re-import exits with that code and prints no error", () => {
    const main = [
      "import builtins, sys",
      "from runpod_flash import Endpoint",
      "_n = getattr(builtins, '_reimports', 0)",
      "builtins._reimports = _n + 1",
      "@Endpoint(name='gpu', workers=(0, 1))",
      "def work(x):",
      "    return x",
      "if _n >= 1:",
      "    sys.exit(3)",
      "",
    ].join("\n");
    const cli = flashBuild({ "main.py": main });
    expect(cli.status).toBe(3);
    expect(cli.stdout).not.toMatch(/error|failed|✗/i);
  });

  it("places the exit at the line the scan saw it, when the scan saw one", () => {
    const r = buildManifest(scanOf({ functions: [fn("f", "gpu")], failures: [failure("main.py", "exit", 9)] }), { events: [{ t: "deploy-exit", kind: "resources", name: "gpu", code: 3 }] }, options);
    if (r.ok) throw new Error("expected a refusal");
    expect(r.refusals[0]).toEqual({
      cause: "reimport-exit", exitCode: 3, files: ["main.py"], sites: [{ file: "main.py", line: 9, col: 0 }],
      message: "flash build exits with code 3 while re-importing main.py for its deployment config",
    });
  });

  it("reports a re-import that hangs (the CLI sets no deadline there) with no exit code", () => {
    const r = buildManifest(scanOf({ functions: [fn("f", "gpu", "w/slow.py")] }), { events: [], ended: { name: "gpu", reason: "timeout", exitCode: null } }, options);
    if (r.ok) throw new Error("expected a refusal");
    expect(r.refusals[0]).toMatchObject({ cause: "reimport-stuck", exitCode: null, message: "flash build hangs while re-importing w/slow.py for its deployment config (that import has no deadline)" });
  });

  it("reports a re-import that kills the process with the process's exit code", () => {
    const r = buildManifest(scanOf({ functions: [fn("f", "gpu")] }), { events: [], ended: { name: "gpu", reason: "crash", exitCode: 7 } }, options);
    if (r.ok) throw new Error("expected a refusal");
    expect(r.refusals[0]).toMatchObject({ cause: "reimport-stuck", exitCode: 7, message: "flash build exits with code 7 while re-importing main.py for its deployment config" });
  });

  it("throws when the caller never read the config the CLI would read", () => {
    expect(() => buildManifest(scanOf({ functions: [fn("f", "gpu")] }), { events: [] }, options)).toThrow("no deployment config was read for resource 'gpu'");
  });
});

describe("what comes with the text", () => {
  it("summarises resources, routes, the python version's source and the probe's notes", () => {
    const functions = [
      fn("get_it", "api", "api.py", { is_load_balanced: true, resource_type: "LiveLoadBalancer", http_method: "GET", http_path: "/it" }),
      fn("put_it", "api", "api.py", { is_load_balanced: true, resource_type: "LiveLoadBalancer", http_method: "PUT", http_path: "/it" }),
      fn("f", "gpu"),
    ];
    const events = [
      { t: "deploy" as const, kind: "resources" as const, name: "api", configJson: "{}", note: "ImportError: attempted relative import with no known parent package" },
      { t: "deploy" as const, kind: "resources" as const, name: "gpu", configJson: '{"imageName": "i", "workersMax": 2}' },
    ];
    const r = buildManifest(scanOf({ functions }), { events }, options);
    if (!r.ok) throw new Error(r.refusals[0].message);
    expect(r.summary).toEqual({
      pythonVersion: "3.11", pythonVersionSource: "default", functionCount: 3, routeCount: 2, warnings: [],
      resources: [
        { name: "api", resourceType: "LiveLoadBalancer", file: "api.py", isLoadBalanced: true, clientMode: false, functions: ["get_it", "put_it"], configKeys: [], configNote: events[0].note },
        { name: "gpu", resourceType: "LiveServerless", file: "main.py", isLoadBalanced: false, clientMode: false, functions: ["f"], configKeys: ["imageName", "workersMax"], configNote: undefined },
      ],
    });
    expect(r.text).toContain('"python_version": "3.11"');
  });

  it("points a python_version conflict at the resources it names", () => {
    const events = [
      { t: "deploy" as const, kind: "resources" as const, name: "a", configJson: '{"python_version": "3.10"}' },
      { t: "deploy" as const, kind: "resources" as const, name: "b", configJson: '{"python_version": "3.12"}' },
    ];
    const r = buildManifest(scanOf({ functions: [fn("f", "a", "a.py"), fn("g", "b", "b.py")] }), { events }, options);
    if (r.ok) throw new Error("expected a refusal");
    expect(r.refusals[0]).toMatchObject({ cause: "python-version", files: ["a.py", "b.py"] });
  });
});
