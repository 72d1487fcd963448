// `flash-ls scan`: run the scanner on a folder, print a tree or the JSON model.
import { resolve } from "node:path";
import { findInterpreter } from "../python/findInterpreter";
import { scanProject, ScanError, DEFAULT_TIMEOUT_SECONDS } from "../scan/scanProject";
import { toScanJson } from "../scan/scanJson";
import { ansiStyle, formatScanTree, plainStyle } from "./formatScanTree";
import { progressLine } from "./progressLine";
import { readStaticSources } from "../static/readStaticSources";
import { staticScan } from "../static/staticScan";
import { formatStaticTree } from "./formatStaticTree";
import { pathToFileURL } from "node:url";

export interface ScanCommandOptions {
  dir: string;
  python?: string;
  json: boolean;
  timeout?: string;
  memoryLimit?: string;
  /** Read the decorators only: no interpreter is started, no module imported. */
  noExec?: boolean;
}

export function parseTimeout(text: string | undefined): number {
  if (text === undefined) return DEFAULT_TIMEOUT_SECONDS;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--timeout takes a positive number of seconds, not '${text}'`);
  return seconds;
}

export function parseMemoryLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const mb = Number(text);
  if (!Number.isFinite(mb) || mb < 64) throw new UsageError(`--memory-limit takes a number of megabytes, at least 64, not '${text}'`);
  return mb;
}

export class UsageError extends Error {}

/** Resolves the interpreter or explains, in one message, how to get one. */
export function interpreterFor(dir: string, explicit?: string): string {
  const found = findInterpreter(dir, explicit);
  if (!found) throw new UsageError("no Python interpreter found: pass --python PATH, set FLASH_PYTHON, or create DIR/.venv");
  return found.path;
}

export async function runScanCommand(o: ScanCommandOptions): Promise<number> {
  const dir = resolve(o.dir);
  try {
    if (o.noExec) return await runStaticScan(dir, o.json);
    const python = interpreterFor(dir, o.python);
    const progress = progressLine(process.stderr);
    const scan = await scanProject(dir, {
      python,
      timeoutSeconds: parseTimeout(o.timeout),
      memoryLimitMB: parseMemoryLimit(o.memoryLimit),
      onProgress: (done, total, file) => progress.update(`scanning ${done}/${total} ${file}`),
    });
    progress.clear();
    if (o.json) process.stdout.write(JSON.stringify(toScanJson(scan), null, 2) + "\n");
    else process.stdout.write(formatScanTree(scan, process.stdout.isTTY ? ansiStyle : plainStyle) + "\n");
    return scan.failures.length || scan.discoveryError ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof ScanError) {
      process.stderr.write(`flash-ls: ${e.message}\n`);
      if (e instanceof ScanError && e.kind === "sdk-missing" && e.output.trim()) process.stderr.write(`${e.output.trim().split("\n").slice(-10).join("\n")}\n`);
      return 2;
    }
    throw e;
  }
}

/** `--no-exec`: the static model (decorators read, nothing imported), as a tree or as JSON. */
async function runStaticScan(dir: string, json: boolean): Promise<number> {
  const sources = await readStaticSources(dir);
  const model = staticScan({ folderUri: pathToFileURL(dir).href, root: dir, sources, scannedAt: Date.now() });
  if (json) process.stdout.write(JSON.stringify(model, null, 2) + "\n");
  else process.stdout.write(formatStaticTree(model, sources.length, process.stdout.isTTY ? ansiStyle : plainStyle) + "\n");
  return model.failures.length ? 1 : 0;
}
