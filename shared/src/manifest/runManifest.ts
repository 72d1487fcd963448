// `flash build`'s road to a manifest, on our core: collect the shipped files,
// validate local imports, scan and read deployment configs in one interpreter,
// then the pure builder, then an atomic write. Used by the CLI and the server.
import { basename, resolve } from "node:path";
import { collectProjectFiles, scanModules } from "../files/collectFiles";
import { ScanMirror } from "../files/scanMirror";
import { validateLocalImports, type LocalImportRefusal } from "../files/localImports";
import { computeSourceFingerprint } from "../files/sourceFingerprint";
import type { Hello, ModuleResult, Position } from "../probe/probeMessages";
import { runProbeScan, type ProbeScanOutcome } from "../probe/runProbeScan";
import type { ProjectSession } from "../project/projectSession";
import { assembleScan } from "../scan/assembleScan";
import { scanErrorOf } from "../scan/scanProject";
import type { ScanResult } from "../scan/scanResult";
import { buildManifest, type ManifestSummary } from "./buildManifest";
import { deployConfigRequest } from "./deployConfigs";
import { writeFileAtomically } from "./writeManifestFile";
import { richPlainText } from "./richText";
import { hasAnyPythonFile } from "../files/hasAnyPythonFile";

export interface RunManifestOptions {
  root: string;
  python: string;
  timeoutSeconds: number;
  /** Memory limit of the scanning process in MB (default DEFAULT_MEMORY_LIMIT_MB). */
  memoryLimitMB?: number;
  pythonVersion?: string;
  /** Where to write; the CLI's place is ROOT/.flash/flash_manifest.json. */
  out: string;
  /** Scan in this session's warm probe instead of a fresh process. */
  session?: ProjectSession;
  onProgress?: (done: number, total: number, file: string) => void;
  now?: () => Date;
}

export interface RunRefusal {
  message: string;
  files: string[];
  sites: (Position | null)[];
}

export type RunManifestOutcome =
  | { ok: true; path: string; text: string; resources: number; functions: number; routes: number; summary: ManifestSummary; scan: ScanResult }
  | { ok: false; exitCode: number; refusals: RunRefusal[]; scan?: ScanResult };

/** datetime.now(timezone.utc).isoformat().replace("+00:00", "Z") */
export function pythonUtcNow(date: Date): string {
  const iso = date.toISOString(); // 2026-11-27T10:16:00.805Z
  const ms = date.getUTCMilliseconds();
  return ms === 0 ? iso.replace(/\.\d{3}Z$/, "Z") : iso.replace(/\.(\d{3})Z$/, ".$1000Z");
}

export async function runManifest(o: RunManifestOptions): Promise<RunManifestOutcome> {
  const root = resolve(o.root);
  if (!(await hasAnyPythonFile(root))) {
    // run_build: two print_error lines and a hint, as the console shows them.
    const message = `No Python files found in ${root}\n\u2717 Not a valid Flash project\nRun flash init to create a Flash project`;
    return { ok: false, exitCode: 1, refusals: [{ message, files: [], sites: [] }] };
  }
  const files = await collectProjectFiles(root);
  const refused = (local: LocalImportRefusal): RunManifestOutcome => ({ ok: false, exitCode: 1, refusals: [{ ...local, message: richPlainText(local.message) }] });

  const modules = scanModules(files);
  const assemble = (hello: Hello, results: ModuleResult[], output = "") =>
    assembleScan({ root, files, modules, hello, results, durationMs: 0, output });
  // The scan as it stood when the deploy phase was asked for: the same results, later
  // only the captured output differs.
  let scanned: { results: number; scan: ScanResult } | null = null;
  const deployRequest = (results: ModuleResult[], hello: Hello) => {
    const scan = assemble(hello, results);
    scanned = { results: results.length, scan };
    // run_build stops before ManifestBuilder on these: nothing is re-imported.
    if (scan.discoveryError || scan.importErrors.length) return null;
    return deployConfigRequest(scan);
  };
  let outcome: ProbeScanOutcome | null;
  if (o.session) {
    // In the editor the project's modules are imported on every save anyway, so the
    // import check runs beside the scan (on the other core, once the scan request is
    // out) instead of before it; a refusal cancels the scan and is the answer.
    const session = o.session;
    const cancel = new AbortController();
    const validating = new Promise((r) => setImmediate(r)).then(() => validateLocalImports(root, files));
    validating.then((local) => local && cancel.abort(), () => cancel.abort());
    outcome = await session.exclusive(() => session.runProbe(modules, cancel.signal, deployRequest, files));
    const local = await validating;
    if (local) return refused(local);
    if (!outcome) throw new Error(session.problem?.message ?? "the scan was cancelled");
  } else {
    // flash build runs no project code when this check refuses: neither does the CLI.
    const local = await validateLocalImports(root, files);
    if (local) return refused(local);
    const mirror = ScanMirror.for(root);
    await mirror.sync(files);
    outcome = await runProbeScan({
      python: o.python, root: mirror.dir, cwd: root, modules, projectFiles: files,
      timeoutSeconds: o.timeoutSeconds, memoryLimitMB: o.memoryLimitMB, onProgress: o.onProgress, deployRequest,
    }).finally(() => mirror.dispose());
    if (outcome.fatal) throw scanErrorOf(outcome, o.python);
  }
  const before = scanned as { results: number; scan: ScanResult } | null;
  const scan = before && before.results === outcome.results.length ? { ...before.scan, output: outcome.output } : assemble(outcome.hello!, outcome.results, outcome.output);
  const built = buildManifest(scan, { events: outcome.deploy, ended: outcome.deployEnded }, {
    projectName: basename(root),
    pythonVersionOverride: o.pythonVersion,
    generatedAt: pythonUtcNow((o.now ?? (() => new Date()))()),
    // After the scan, as run_build computes it: a module may write to the project at import.
    sourceFingerprint: await computeSourceFingerprint(root, files),
    defaultPythonVersion: scan.interpreter.defaultPythonVersion ?? "3.12",
    supportedPythonVersions: scan.interpreter.supportedPythonVersions,
  });
  if (!built.ok) {
    // The text as `flash build` prints it: through its console's markup.
    const refusals = built.refusals.map((r) => ({ ...r, message: richPlainText(r.message.trimStart()) }));
    return { ok: false, exitCode: built.refusals[0]?.exitCode ?? 1, refusals, scan };
  }
  await writeFileAtomically(o.out, built.text);
  const s = built.summary;
  return { ok: true, path: o.out, text: built.text, resources: s.resources.length, functions: s.functionCount, routes: s.routeCount, summary: s, scan };
}
