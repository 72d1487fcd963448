// Runs test/reference/reference_scan.py: runpod-flash's own RuntimeScanner, the
// way `flash build` runs it, on a project folder.
import { spawn } from "node:child_process";
import type { RemoteFunctionMetadata } from "../../shared/src/scan/scanResult";
import { PYTHON, REFERENCE_SCRIPT } from "./paths";

export interface ReferenceClientRecord {
  var_name: string;
  file_path: string;
  module_path: string;
  image: string;
}

/** What the reference script prints: the scanner's results, or what discovery raised. */
export type ReferenceOutput =
  | {
      functions: RemoteFunctionMetadata[];
      import_errors: [string, string][];
      client_endpoints: [string, ReferenceClientRecord][];
    }
  | { raised: string };

export interface ReferenceRun {
  output: ReferenceOutput | null;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Last part of what the SDK and user code printed (it all goes to stderr). */
  stderrTail: string;
}

export interface ReferenceOptions {
  /** Replaces the scanner's 30 s per-module import deadline. */
  timeoutSeconds?: number;
  /** Project files left out of the build copy (a module that would kill the CLI). */
  omit?: string[];
  /** Kill the reference after this long; it never needs more than the deadline plus the SDK import. */
  killAfterMs?: number;
}

const STDERR_TAIL_BYTES = 64 * 1024;

export function runReferenceScan(project: string, options: ReferenceOptions = {}): Promise<ReferenceRun> {
  const args = [REFERENCE_SCRIPT, project];
  if (options.timeoutSeconds !== undefined) args.push("--timeout", String(options.timeoutSeconds));
  for (const rel of options.omit ?? []) args.push("--omit", rel);
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args, { stdio: ["ignore", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    let stderr = Buffer.alloc(0);
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = Buffer.concat([stderr, chunk]);
      if (stderr.length > 2 * STDERR_TAIL_BYTES) stderr = stderr.subarray(stderr.length - STDERR_TAIL_BYTES);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.killAfterMs ?? 90_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      const text = Buffer.concat(stdout).toString("utf8").trim();
      const stderrTail = stderr.subarray(Math.max(0, stderr.length - STDERR_TAIL_BYTES)).toString("utf8");
      let output: ReferenceOutput | null = null;
      if (text) {
        try {
          output = JSON.parse(text) as ReferenceOutput;
        } catch (e) {
          reject(new Error(`reference printed something that is not JSON (${(e as Error).message}):\n${text.slice(0, 2000)}`));
          return;
        }
      }
      resolve({ output, exitCode, signal, stderrTail });
    });
  });
}

/** The reference's output, failing loudly with its stderr when it did not finish. */
export async function referenceScan(project: string, options: ReferenceOptions = {}): Promise<ReferenceOutput> {
  const run = await runReferenceScan(project, options);
  if (!run.output || run.exitCode !== 0) {
    throw new Error(`reference scan of ${project} ended with ${run.exitCode ?? run.signal} and no result:\n${run.stderrTail.slice(-4000)}`);
  }
  return run.output;
}
