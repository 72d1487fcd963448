// files → probe facts → project model: one full scan of a project folder.
import { resolve } from "node:path";
import { collectProjectFiles, scanModules } from "../files/collectFiles";
import { ScanMirror } from "../files/scanMirror";
import { runProbeScan, type DeployRequest, type ProbeScanOutcome } from "../probe/runProbeScan";
import type { Hello, ModuleResult } from "../probe/probeMessages";
import { assembleScan } from "./assembleScan";
import type { ScanResult } from "./scanResult";

export const DEFAULT_TIMEOUT_SECONDS = 30;

export interface ScanOptions {
  python: string;
  timeoutSeconds?: number;
  /** Memory limit of the scanning process in MB (default DEFAULT_MEMORY_LIMIT_MB). */
  memoryLimitMB?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, file: string) => void;
  log?: (line: string) => void;
  /** Run the manifest's deployment-config phase after the scan, in the same process. */
  deployRequest?: (results: ModuleResult[], hello: Hello) => DeployRequest | null;
}

/** Why a scan could not run at all (no interpreter, no runpod_flash, cancelled). */
export class ScanError extends Error {
  constructor(
    message: string,
    readonly kind: "sdk-missing" | "start" | "cancelled" | "protocol" | string,
    readonly output: string,
  ) {
    super(message);
  }
}

/** The error for a probe run that could not scan at all, with how to fix it. */
export function scanErrorOf(outcome: ProbeScanOutcome, python: string): ScanError {
  const fatal = outcome.fatal!;
  const message =
    fatal.kind === "sdk-missing"
      ? `runpod_flash cannot be imported by ${python} (${fatal.message}). ` +
        `Install it into that interpreter (${python} -m pip install runpod-flash) or choose another one with --python.`
      : fatal.message;
  return new ScanError(message, fatal.kind, outcome.output);
}

export interface ScanRun {
  scan: ScanResult;
  outcome: ProbeScanOutcome;
}

export async function scanProjectWithProbe(rootDir: string, options: ScanOptions): Promise<ScanRun> {
  const root = resolve(rootDir);
  const started = performance.now();
  const files = await collectProjectFiles(root);
  const modules = scanModules(files);
  const mirror = ScanMirror.for(root);
  await mirror.sync(files);
  const outcome = await runProbeScan({
    python: options.python,
    root: mirror.dir,
    cwd: root,
    modules,
    projectFiles: files,
    timeoutSeconds: options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    memoryLimitMB: options.memoryLimitMB,
    signal: options.signal,
    onProgress: options.onProgress,
    log: options.log,
    deployRequest: options.deployRequest,
  }).finally(() => mirror.dispose());
  if (outcome.fatal) throw scanErrorOf(outcome, options.python);
  if (!outcome.hello) throw new ScanError("the probe ended without saying hello", "protocol", outcome.output);
  const scan = assembleScan({
    root,
    files,
    modules,
    hello: outcome.hello,
    results: outcome.results,
    durationMs: performance.now() - started,
    output: outcome.output,
  });
  return { scan, outcome };
}

export async function scanProject(rootDir: string, options: ScanOptions): Promise<ScanResult> {
  return (await scanProjectWithProbe(rootDir, options)).scan;
}
