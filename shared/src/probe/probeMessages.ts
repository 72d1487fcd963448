// The probe's messages, validated at the boundary: the probe runs user code, so
// anything it sends is untrusted input until it has passed these schemas.
import { z } from "zod";

/** A place in a project file: 1-based line, 0-based column (Python's convention). */
export const Position = z.object({
  file: z.string(),
  line: z.number().int(),
  col: z.number().int(),
  endLine: z.number().int().optional(),
  endCol: z.number().int().optional(),
});
export type Position = z.infer<typeof Position>;

/** runpod-flash's RemoteFunctionMetadata, field by field, minus the cross-call
 * fields (computed project-wide by the driver, as the CLI does after all imports). */
export const ProbeMetadata = z.object({
  function_name: z.string(),
  module_path: z.string(),
  resource_config_name: z.string(),
  resource_type: z.string(),
  is_async: z.boolean(),
  is_class: z.boolean(),
  file_path: z.string(),
  http_method: z.string().nullable(),
  http_path: z.string().nullable(),
  is_load_balanced: z.boolean(),
  is_live_resource: z.boolean(),
  config_variable: z.string().nullable(),
  is_lb_route_handler: z.boolean(),
  class_methods: z.array(z.string()),
  param_names: z.array(z.string()),
  class_method_params: z.record(z.string(), z.array(z.string())),
  docstring: z.string().nullable(),
  class_method_docstrings: z.record(z.string(), z.string().nullable()),
  local: z.boolean(),
});
export type ProbeMetadata = z.infer<typeof ProbeMetadata>;

/** A call in an endpoint's body that resolved, through the live module, to an endpoint object. */
export const ResolvedCall = z.object({ text: z.string(), key: z.string(), at: Position });
export type ResolvedCall = z.infer<typeof ResolvedCall>;

export const DiscoveredObject = z.object({
  /** The module attribute it was found under (dir() order). */
  attr: z.string(),
  meta: ProbeMetadata,
  site: z.object({ def: Position.nullable(), decorator: Position.nullable(), resource: Position.nullable() }),
  /** Definition identity: the same def has the same key however it was imported. */
  key: z.string(),
  /** Live resource configuration as plain JSON; env values are never included, only keys. */
  resource: z.record(z.string(), z.unknown()),
  calls: z.array(ResolvedCall),
});
export type DiscoveredObject = z.infer<typeof DiscoveredObject>;

export const ClientEndpoint = z.object({
  name: z.string().nullable(),
  var_name: z.string(),
  module_path: z.string(),
  file_path: z.string(),
  /** "pid:id()" of the live Endpoint: the CLI's identity test, unique across forked children. */
  object_id: z.string(),
  image: z.string(),
  site: Position.nullable(),
});
export type ClientEndpoint = z.infer<typeof ClientEndpoint>;

export const FailureKind = z.enum(["syntax", "missing-module", "validation", "exception", "timeout", "exit", "memory"]);
export type FailureKind = z.infer<typeof FailureKind>;

export const ImportFailure = z.object({
  /** Exactly as RuntimeScanner records it in import_errors: "TypeName: message". */
  message: z.string(),
  type: z.string(),
  kind: FailureKind,
  location: Position.nullable(),
  /** The line in the failing file itself when the error happened in another project file. */
  importSite: Position.optional(),
  missingModule: z
    .object({
      name: z.string(),
      local: z.boolean(),
      declaredInDependencies: z.boolean(),
      dependency: z.string().optional(),
      /** It exists in the project, but the ignore rules keep it out of the build. */
      excluded: z.boolean().optional(),
    })
    .optional(),
  traceback: z.string().optional(),
});
export type ImportFailure = z.infer<typeof ImportFailure>;

export const CliCallNode = z.object({ name: z.string(), calls: z.array(z.string()) });

export const ModuleResult = z.object({
  t: z.literal("result"),
  index: z.number().int(),
  file: z.string(),
  module: z.string(),
  durationMs: z.number(),
  importedFiles: z.array(z.string()),
  error: ImportFailure.optional(),
  /** sys.exit() at import: swallowed by the CLI's import thread, module kept half-imported. */
  exit: z.object({ code: z.number().int(), location: Position.nullable() }).optional(),
  /** An exception while inspecting the imported module: the CLI's discovery stops on it. */
  extractError: z.object({ type: z.string(), message: z.string(), clause: z.enum(["analysis", "value", "other"]) }).optional(),
  /** Set by the driver when the probe process ended or was killed during this module. */
  ended: z.object({ reason: z.enum(["timeout", "crash"]), exitCode: z.number().nullable(), signal: z.string().nullable() }).optional(),
  objects: z.array(DiscoveredObject).optional(),
  clientEndpoints: z.array(ClientEndpoint).optional(),
  cliCallNodes: z.array(CliCallNode).optional(),
});
export type ModuleResult = z.infer<typeof ModuleResult>;

export const Hello = z.object({
  t: z.literal("hello"),
  protocol: z.number(),
  python: z.string(),
  executable: z.string(),
  flashVersion: z.string().nullable(),
  defaultPythonVersion: z.string().nullable(),
  supportedPythonVersions: z.array(z.string()),
  sdkImportMs: z.number(),
  canFork: z.boolean().optional(),
});
export type Hello = z.infer<typeof Hello>;

export const Fatal = z.object({
  t: z.literal("fatal"),
  kind: z.string(),
  message: z.string(),
  python: z.string().optional(),
  executable: z.string().optional(),
});
export type Fatal = z.infer<typeof Fatal>;

export const DeployConfig = z.object({
  t: z.literal("deploy"),
  kind: z.enum(["resources", "clients"]),
  name: z.string(),
  /** json.dumps of the config dict, exactly as Python writes it (key order, floats, escapes). */
  configJson: z.string().nullable(),
  resourceType: z.string().optional(),
  unserializable: z.string().optional(),
  /** Why the CLI's re-import yielded no (or partial) config; the CLI says nothing. */
  note: z.string().optional(),
});
export type DeployConfig = z.infer<typeof DeployConfig>;

export const ProbeMessage = z.discriminatedUnion("t", [
  Hello,
  Fatal,
  z.object({ t: z.literal("module"), index: z.number().int(), file: z.string() }),
  ModuleResult,
  z.object({ t: z.literal("done") }),
  z.object({ t: z.literal("forked"), pid: z.number().int() }),
  z.object({ t: z.literal("child-exit"), pid: z.number().int(), code: z.number().int() }),
  z.object({ t: z.literal("imports-seen"), modules: z.array(z.string()) }),
  z.object({
    t: z.literal("preloaded"),
    loaded: z.array(z.string()),
    failed: z.array(z.object({ module: z.string(), error: z.string() })),
  }),
  /** The warm parent parsed and compiled the project's files for its next children. */
  z.object({ t: z.literal("indexed"), files: z.number().int(), parsed: z.number().int(), ms: z.number() }),
  z.object({ t: z.literal("exiting"), how: z.string(), code: z.number().int().nullable(), location: Position.nullable() }),
  /** User code started a process (the audit event's name): it may outlive the scan's process group. */
  z.object({ t: z.literal("spawned"), how: z.string() }),
  z.object({ t: z.literal("deploy-begin"), kind: z.enum(["resources", "clients"]), name: z.string() }),
  DeployConfig,
  z.object({ t: z.literal("deploy-exit"), kind: z.enum(["resources", "clients"]), name: z.string(), code: z.number().int() }),
]);
export type ProbeMessage = z.infer<typeof ProbeMessage>;

/** Largest single message accepted; a module with thousands of endpoints stays far below. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export type DecodeResult = { ok: true; message: ProbeMessage } | { ok: false; error: string };

/** Parses one line from the probe; never throws. */
export function decodeProbeLine(line: string): DecodeResult {
  if (line.length > MAX_MESSAGE_BYTES) return { ok: false, error: `message of ${line.length} bytes exceeds the limit` };
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (e) {
    return { ok: false, error: `not JSON: ${(e as Error).message}` };
  }
  const parsed = ProbeMessage.safeParse(raw);
  if (!parsed.success) return { ok: false, error: `unexpected message: ${parsed.error.issues[0]?.message ?? "invalid"}` };
  return { ok: true, message: parsed.data };
}
