// The texts `flash build` (runpod-flash 1.21.0) prints when it refuses or warns while
// building the manifest, word for word, so a diagnostic reads like the CLI's own error.
// Sources: cli/commands/build_utils/manifest.py, core/resources/constants.py,
// cli/commands/build.py. `None` is how Python's f-strings print a missing value.
import { pyStrListRepr } from "./pyRepr";

/** ManifestBuilder.RESERVED_PATHS, in its order. */
export const RESERVED_PATHS = ["/execute", "/ping"];

const pyStr = (v: string | null): string => (v === null ? "None" : v);

export const cliMessages = {
  /** run_build prints this heading, then one indented line per scanner.import_errors entry. */
  failedToLoad: (errors: { file: string; message: string }[]): string =>
    ["Failed to load:", ...errors.map((e) => `  ${e.file}: ${e.message}`)].join("\n"),

  definedInMultipleFiles: (name: string, sortedPaths: string[]): string =>
    `endpoint '${name}' is defined in multiple files: ${sortedPaths.join(", ")}. ` +
    `each endpoint name must be unique across the project.`,

  lbRequiresMethodAndPath: (resourceType: string, name: string, fn: string, method: string | null, path: string | null): string =>
    `${resourceType} endpoint '${name}' requires method and path for function '${fn}'. ` +
    `Got method=${pyStr(method)}, path=${pyStr(path)}`,

  duplicateRoute: (routeKey: string, name: string, first: string, second: string): string =>
    `Duplicate route '${routeKey}' in resource '${name}': both '${first}' and '${second}' are mapped to the same route`,

  reservedPath: (fn: string, path: string): string =>
    `Function '${fn}' cannot use reserved path '${path}'. Reserved paths: ${RESERVED_PATHS.join(", ")}`,

  duplicateFunctionName: (fn: string, firstResource: string, secondResource: string): string =>
    `Duplicate function name '${fn}' found in resources '${firstResource}' and '${secondResource}'`,

  clientCollision: (name: string): string =>
    `endpoint '${name}' is defined as both a client-mode Endpoint(image=...) and a decorated resource. ` +
    `each endpoint name must be unique across the project.`,

  /** validate_python_version (constants.py), against the user's SDK's SUPPORTED_PYTHON_VERSIONS. */
  unsupportedPython: (version: string, supported: string[]): string =>
    `Python ${version} is not supported. Supported versions: ${supported.join(", ")}`,

  overrideConflict: (chosen: string, details: string): string =>
    `python_version override '${chosen}' conflicts with resource declarations: ${details}. ` +
    `Either remove the override or align all resources to '${chosen}'.`,

  versionConflict: (sortedDistinct: string[], details: string, defaultVersion: string): string =>
    "Flash apps require one python_version across all resources " +
    `(found ${pyStrListRepr(sortedDistinct)}): ${details}. Set python_version to the ` +
    "same value on every resource, or omit it to use the default " +
    `(${defaultVersion}).`,

  /** logger.warning in build(); `%d` of the value. */
  lbMaxConcurrencyIgnored: (value: string, name: string): string =>
    `max_concurrency=${value} on LB endpoint '${name}' is ignored. LB endpoints handle concurrency via uvicorn.`,

  /** logger.warning in _extract_client_deployment_config. */
  clientWithoutImage: (name: string): string =>
    `Failed to extract image/template for client endpoint '${name}'; the deployed endpoint may not use the expected image.`,

  /** run_build's print_warning for a non-ValueError (e.g. json.dumps' TypeError): no manifest, exit 0. */
  handlerGenerationFailed: (error: string): string => `Handler generation failed: ${error}`,

  /** Ours: the CLI prints nothing when user code calls sys.exit during its re-import. */
  exitDuringReimport: (code: number, file: string): string =>
    `flash build exits with code ${code} while re-importing ${file} for its deployment config`,

  /** Ours: the scan has a 30 s deadline per import, the re-import none. */
  hangDuringReimport: (file: string): string =>
    `flash build hangs while re-importing ${file} for its deployment config (that import has no deadline)`,

  /** Ours: the process died without an exit code (a signal). */
  deathDuringReimport: (file: string): string => `flash build dies while re-importing ${file} for its deployment config`,
};
