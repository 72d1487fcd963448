// The assembled result of one scan: the project model every view is computed from.
import type { ClientEndpoint, DiscoveredObject, Hello, ImportFailure, Position, ProbeMetadata, ResolvedCall } from "../probe/probeMessages";

/** runpod-flash's RemoteFunctionMetadata, every field, as the CLI's RuntimeScanner returns it. */
export interface RemoteFunctionMetadata extends ProbeMetadata {
  calls_remote_functions: boolean;
  called_remote_functions: string[];
}

/** One discovered function or class: the CLI's fields in `meta`, ours beside them. */
export interface DiscoveredFunction extends Omit<DiscoveredObject, "meta"> {
  meta: RemoteFunctionMetadata;
}

/** An edge found by identity: `from` calls `to` (indexes into ScanResult.functions). */
export interface CrossCall {
  from: number;
  to: number;
  text: string;
  at: ResolvedCall["at"];
}

/** A module that failed, or ended its import early. */
export interface ModuleFailure {
  file: string;
  failure: ImportFailure;
  /** True when the CLI lists it under "Failed to load:" (its scanner's import_errors). */
  inImportErrors: boolean;
  /** For kind "exit": the code, and what `flash build` will do about it. */
  exitCode?: number;
  /** Our own explanation where the CLI's behaviour surprises (swallowed sys.exit, hard exits). */
  note?: string;
}

export interface InterpreterInfo {
  executable: string;
  python: string;
  flashVersion: string | null;
  defaultPythonVersion: string | null;
  supportedPythonVersions: string[];
}

export interface DiscoveryError {
  /** str() of the exception. */
  message: string;
  type: string;
  /** What `flash build` prints for it (run_build's except clauses) and its exit status:
   * 1 for ImportError/SyntaxError ("Code analysis failed: …") and ValueError; 0 for any
   * other exception ("Handler generation failed: …": a warning, and no manifest). */
  cliOutput: string;
  exitCode: number;
  files: string[];
  sites: (Position | null)[];
}

export interface ScanResult {
  root: string;
  interpreter: InterpreterInfo;
  /** Every shipped file (the CLI's get_file_tree), project-relative POSIX paths. */
  files: string[];
  /** The scanned modules in the CLI's import order. */
  modules: string[];
  /** Discovered functions and classes in the CLI's discovery order. */
  functions: DiscoveredFunction[];
  /** The CLI's import_errors, in its order. */
  importErrors: { file: string; message: string }[];
  failures: ModuleFailure[];
  /** The CLI's scanner.client_endpoints, keyed by endpoint name, in insertion order. */
  clientEndpoints: ClientEndpoint[];
  /** An exception that ends the CLI's discovery, and what `flash build` then does. */
  discoveryError?: DiscoveryError;
  crossCalls: CrossCall[];
  /** Project files each module imported while it loaded (observed at runtime). */
  moduleImports: Record<string, string[]>;
  /** Per-module import time, for the log and benchmarks. */
  moduleTimesMs: Record<string, number>;
  durationMs: number;
  /** What user code and the SDK printed (stdout and stderr), last part kept. */
  output: string;
}

export type { ClientEndpoint, Hello, ImportFailure, Position };
