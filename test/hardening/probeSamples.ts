// Real probe messages (recorded from a scan of examples/hello-flash, trimmed), one of
// each kind, with the paths of fields the schema types strictly: a wrong type there,
// or the field missing, must be rejected.

export interface Sample {
  message: Record<string, unknown>;
  /** Dotted paths (array items by index) of required, non-nullable, strictly typed fields. */
  strict: string[];
  /** Those of them that hold a closed set of strings: any other string is wrong too. */
  enums?: string[];
}

const position = { file: "api/routes.py", line: 16, col: 18, endLine: 16, endCol: 35 };

const routesResult = {
  t: "result",
  index: 0,
  file: "api/routes.py",
  module: "api.routes",
  durationMs: 5.304,
  importedFiles: ["workers/gpu_worker.py", "workers/preprocess.py"],
  objects: [
    {
      attr: "classify",
      meta: {
        function_name: "classify", module_path: "api.routes", resource_config_name: "public-api",
        resource_type: "CpuLiveLoadBalancer", is_async: true, is_class: false, file_path: "api/routes.py",
        http_method: "POST", http_path: "/classify", is_load_balanced: true, is_live_resource: true,
        config_variable: "api", is_lb_route_handler: true, class_methods: [], param_names: ["body"],
        class_method_params: {}, docstring: "Resize, then classify.", class_method_docstrings: {}, local: false,
      },
      site: {
        def: { file: "api/routes.py", line: 14, col: 0, endLine: 17, endCol: 77 },
        decorator: { file: "api/routes.py", line: 13, col: 1, endLine: 13, endCol: 22 },
        resource: { file: "api/routes.py", line: 10, col: 0 },
      },
      key: "api/routes.py::classify::13",
      resource: { class: "CpuLiveLoadBalancer", name: "public-api", instanceIds: ["cpu3c-1-2"], workersMin: 1, workersMax: 4, idleTimeout: 60 },
      calls: [{ text: "preprocess.resize", key: "workers/preprocess.py::resize::6", at: position }],
    },
  ],
  clientEndpoints: [
    { name: "ext", var_name: "ext", module_path: "api.routes", file_path: "api/routes.py", object_id: "4242:140000", image: "org/img:1", site: null },
  ],
  cliCallNodes: [{ name: "classify", calls: ["resize"] }],
};

export const SAMPLES: Sample[] = [
  {
    message: {
      t: "hello", protocol: 1, python: "3.11.7", executable: "/work/.venv/bin/python", flashVersion: "1.21.0",
      defaultPythonVersion: "3.12", supportedPythonVersions: ["3.10", "3.11", "3.12", "3.13"], sdkImportMs: 1499.093, canFork: true,
    },
    strict: ["protocol", "python", "executable", "supportedPythonVersions", "sdkImportMs"],
  },
  { message: { t: "module", index: 0, file: "api/routes.py" }, strict: ["index", "file"] },
  {
    message: routesResult,
    strict: [
      "index", "file", "module", "durationMs", "importedFiles", "objects.0.attr", "objects.0.meta.function_name",
      "objects.0.meta.is_async", "objects.0.meta.param_names", "objects.0.site.def.line", "objects.0.key",
      "objects.0.calls.0.at.line", "clientEndpoints.0.image", "cliCallNodes.0.calls",
    ],
  },
  {
    message: {
      t: "result", index: 1, file: "needs_torch.py", module: "needs_torch", durationMs: 2.1, importedFiles: [],
      error: {
        message: "ModuleNotFoundError: No module named 'torch'", type: "ModuleNotFoundError", kind: "missing-module",
        location: { file: "needs_torch.py", line: 1, col: 0, endLine: 1, endCol: 12 },
        missingModule: { name: "torch", local: false, declaredInDependencies: true, dependency: "torch==2.5.1" },
        traceback: "Traceback (most recent call last): ...",
      },
    },
    strict: ["error.message", "error.type", "error.kind", "error.location.line", "error.missingModule.local", "error.missingModule.name"],
    enums: ["error.kind"],
  },
  {
    message: {
      t: "result", index: 2, file: "exits.py", module: "exits", durationMs: 1.5, importedFiles: [],
      exit: { code: 3, location: { file: "exits.py", line: 16, col: 0 } }, objects: [], clientEndpoints: [], cliCallNodes: [],
    },
    strict: ["exit.code", "exit.location.file"],
  },
  { message: { t: "exiting", how: "os._exit", code: 1, location: { file: "killer.py", line: 12, col: 0 } }, strict: ["how", "location.line"] },
  { message: { t: "spawned", how: "subprocess.Popen" }, strict: ["how"] },
  { message: { t: "done" }, strict: [] },
  { message: { t: "forked", pid: 4242 }, strict: ["pid"] },
  { message: { t: "child-exit", pid: 4242, code: -9 }, strict: ["pid", "code"] },
  { message: { t: "imports-seen", modules: ["numpy", "PIL"] }, strict: ["modules"] },
  { message: { t: "preloaded", loaded: ["numpy"], failed: [{ module: "torch", error: "timed out" }] }, strict: ["loaded", "failed.0.module"] },
  { message: { t: "fatal", kind: "sdk-missing", message: "ModuleNotFoundError: No module named 'runpod_flash'" }, strict: ["kind", "message"] },
  { message: { t: "deploy-begin", kind: "resources", name: "public-api" }, strict: ["kind", "name"], enums: ["kind"] },
  {
    message: { t: "deploy", kind: "resources", name: "public-api", configJson: "{\"instanceIds\": [\"cpu3c-1-2\"]}", note: "re-imported by stem" },
    strict: ["kind", "name"],
    enums: ["kind"],
  },
  { message: { t: "deploy-exit", kind: "clients", name: "ext", code: 3 }, strict: ["kind", "name", "code"], enums: ["kind"] },
];

/** Every message type the probe sends. */
export const MESSAGE_TYPES = new Set(SAMPLES.map((s) => s.message.t as string));
