// Drives probe processes through one scan: a deadline per module, and when user
// code hangs or ends the process, a record for that module and a fresh probe that
// carries on with the next one. The caller always gets a result per module.
import { randomBytes } from "node:crypto";
import { promises as fs, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import type { Fatal, Hello, ModuleResult, ProbeMessage } from "./probeMessages";
import { ProbeProcess, defaultProbePath, type ProbeExit, type ProbeHandlers } from "./probeProcess";
import { endedResult, inBuildDirTerms, invalidResult, type LastExit } from "./moduleRecords";

export interface DeployRequest {
  resources: { name: string; file: string; configVariable: string | null; functionName: string }[];
  clients: { name: string; file: string; varName: string }[];
}

/** Where one probe run happens: a fresh process, or a child forked from a warm one. */
export interface ScanChannel {
  send(request: unknown): void;
  endInput(): void;
  kill(): void;
  /** Asks the scanning process to write every thread's stack to the traceback file (SIGUSR1). */
  dumpStacks(): void;
  readonly outputText: () => string;
}

export type OpenChannel = (handlers: ProbeHandlers) => ScanChannel;

export interface ProbeScanOptions {
  /** Defaults to a fresh probe process per run. */
  open?: OpenChannel;
  python: string;
  /** The folder the probe imports from (a mirror of the shipped files). */
  root: string;
  /** The working directory, as under `flash build`: the project itself. */
  cwd: string;
  modules: string[];
  projectFiles: string[];
  timeoutSeconds: number;
  /** Address-space limit of the scanning process (RLIMIT_AS), in MB; DEFAULT_MEMORY_LIMIT_MB when absent, 0 for none. */
  memoryLimitMB?: number;
  /** Asked after the scan, in the same process, as `flash build` does: what to re-import for deployment config. */
  deployRequest?: (results: ModuleResult[], hello: Hello) => DeployRequest | null;
  signal?: AbortSignal;
  probePath?: string;
  env?: NodeJS.ProcessEnv;
  onProgress?: (done: number, total: number, file: string) => void;
  log?: (line: string) => void;
  /** Ask a warm probe's child which third-party packages the scan imported (to preload them). */
  reportImports?: boolean;
}

export type DeployMessage = Extract<ProbeMessage, { t: "deploy" | "deploy-exit" }>;

export interface ProbeScanOutcome {
  hello: Hello | null;
  fatal: Fatal | { t: "fatal"; kind: "start" | "cancelled" | "protocol"; message: string } | null;
  results: ModuleResult[];
  deploy: DeployMessage[];
  /** The deploy phase hung or crashed on this item (the CLI would hang or die there). */
  deployEnded?: { name: string; reason: "timeout" | "crash"; exitCode: number | null };
  output: string;
  protocolErrors: string[];
  restarts: number;
  /** Packages from outside the project the scan imported (warm mode preloads them). */
  thirdPartyImports?: string[];
}

/** Extra seconds past the module deadline before the probe is killed from outside. */
const GRACE_SECONDS = 2;

/** Generous: real modules import torch. `flash.scan.memoryLimitMB`, `--memory-limit`. */
export const DEFAULT_MEMORY_LIMIT_MB = 4096;

export async function runProbeScan(options: ProbeScanOptions): Promise<ProbeScanOutcome> {
  const outcome: ProbeScanOutcome = { hello: null, fatal: null, results: [], deploy: [], output: "", protocolErrors: [], restarts: 0 };
  const tracebackFile = join(tmpdir(), `flash-ls-${process.pid}-${randomBytes(6).toString("hex")}.tb`);
  const outputs: string[] = [];
  let startIndex = 0;
  const retried = new Set<number>();
  /** Runs in a row that ended before scanning anything: a probe that cannot work here. */
  let stalled = 0;
  try {
    while (startIndex <= options.modules.length && !outcome.fatal) {
      const resultsBefore = outcome.results.length;
      const run = await runOnce(options, startIndex, tracebackFile, outcome, retried);
      outputs.push(run.output);
      if (run.finished || outcome.fatal) break;
      stalled = outcome.results.length === resultsBefore && run.nextIndex === startIndex ? stalled + 1 : 0;
      if (stalled >= 2) {
        const how = run.exit ? (run.exit.signal ? `signal ${run.exit.signal}` : `exit code ${run.exit.code}`) : "no exit status";
        const tail = run.output.trim().split("\n").slice(-5).join("\n");
        outcome.fatal = {
          t: "fatal",
          kind: "start",
          message: `the Python process ended ${stalled} times in a row before the import of ${options.modules[startIndex]} began (${how})${tail ? `:\n${tail}` : ""}`,
        };
        break;
      }
      startIndex = run.nextIndex;
      outcome.restarts++;
    }
  } finally {
    rmSync(tracebackFile, { force: true }); // one unlink: not worth a trip through the thread pool
  }
  outcome.results.sort((a, b) => a.index - b.index);
  outcome.output = outputs.join("");
  return outcome;
}

interface RunEnd {
  finished: boolean;
  nextIndex: number;
  output: string;
  /** How the process ended, when it ended between modules. */
  exit?: ProbeExit;
}

function runOnce(
  options: ProbeScanOptions,
  startIndex: number,
  tracebackFile: string,
  outcome: ProbeScanOutcome,
  /** Modules already retried once after an invalid message. */
  retried: Set<number>,
): Promise<RunEnd> {
  return new Promise((resolve) => {
    let current: { index: number; file: string; started: number } | null = null;
    let deployCurrent: string | null = null;
    let phase: "scan" | "deploy" | "finished" = "scan";
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    let lastExit: LastExit | null = null;
    let invalid: string | null = null;
    const relOf = makeRelOf(options.root, options.projectFiles);

    /** A well-formed message that does not fit the scan: a module or result out of turn. */
    const outOfOrder = (m: ProbeMessage): string | null => {
      if (m.t === "module") {
        const valid = m.index >= startIndex && options.modules[m.index] === m.file && !current && !outcome.results.some((r) => r.index === m.index);
        return valid ? null : `unexpected module message for ${m.file} (index ${m.index})`;
      }
      if (m.t === "result" && (!current || current.index !== m.index || current.file !== m.file)) {
        return `a result for ${m.file} (index ${m.index}) while ${current ? `scanning ${current.file}` : "no module was being scanned"}`;
      }
      return null;
    };

    let exited = false;
    /** Counts every module, result and deploy message: whether the probe moved on. */
    let progress = 0;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const stuckAt = progress;
        // The stuck line first: the stacks the process writes when asked. Killed only if
        // it is still on the same module meanwhile (it may have just finished it).
        void stacksWritten(probe, tracebackFile).then(() => {
          if (exited || progress !== stuckAt) return;
          timedOut = true;
          probe.kill();
        });
      }, (options.timeoutSeconds + GRACE_SECONDS) * 1000);
    };

    const onAbort = () => {
      outcome.fatal = { t: "fatal", kind: "cancelled", message: "scan cancelled" };
      probe.kill();
    };

    const open = options.open ?? oneShot(options);
    const probe: ScanChannel = open({
      onMessage: (decoded) => {
        if (phase === "finished") return; // everything is here: a late line changes nothing
        const violation = decoded.ok ? outOfOrder(decoded.message) : decoded.error;
        if (violation !== null) {
          // Untrusted output (user code shares the process): never guess what it meant.
          outcome.protocolErrors.push(violation);
          options.log?.(`probe sent an invalid message: ${violation}`);
          invalid = violation;
          probe.kill();
          return;
        }
        const m = (decoded as { ok: true; message: ProbeMessage }).message;
        if (m.t === "module" || m.t === "result" || m.t === "deploy-begin" || m.t === "deploy" || m.t === "deploy-exit") progress++;
        switch (m.t) {
          case "hello":
            outcome.hello = m;
            break;
          case "fatal":
            outcome.fatal = m;
            break;
          case "module":
            current = { index: m.index, file: m.file, started: Date.now() };
            lastExit = null;
            arm();
            break;
          case "exiting":
            lastExit = m;
            break;
          case "result":
            clearTimeout(timer);
            outcome.results.push(inBuildDirTerms(m, options.root, options.cwd));
            current = null;
            options.onProgress?.(outcome.results.length, options.modules.length, m.file);
            break;
          case "done":
            clearTimeout(timer);
            if (phase === "scan") {
              const request = outcome.hello ? options.deployRequest?.(sortedResults(outcome.results), outcome.hello) : null;
              if (request && (request.resources.length || request.clients.length)) {
                phase = "deploy";
                probe.send({ t: "deployConfig", ...request });
                return;
              }
            }
            phase = "finished";
            probe.endInput();
            // Everything is here: do not wait for the process to report its exit.
            clearTimeout(timer);
            options.signal?.removeEventListener("abort", onAbort);
            resolve({ finished: true, nextIndex: 0, output: probe.outputText() });
            break;
          case "deploy-begin":
            deployCurrent = m.name;
            arm();
            break;
          case "imports-seen":
            outcome.thirdPartyImports = m.modules;
            break;
          case "deploy":
          case "deploy-exit":
            clearTimeout(timer);
            deployCurrent = null;
            outcome.deploy.push(m);
            break;
        }
      },
      onExit: async (exit: ProbeExit) => {
        exited = true;
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        const output = probe.outputText();
        if (phase === "finished" || outcome.fatal) return resolve({ finished: true, nextIndex: 0, output });
        if (phase === "deploy") {
          if (deployCurrent) outcome.deployEnded = { name: deployCurrent, reason: timedOut ? "timeout" : "crash", exitCode: exit.code };
          return resolve({ finished: true, nextIndex: 0, output });
        }
        if (!outcome.hello) {
          outcome.fatal = { t: "fatal", kind: "start", message: startFailure(options.python, exit, output) };
          return resolve({ finished: true, nextIndex: 0, output });
        }
        const stuck = current as { index: number; file: string; started: number } | null;
        if (!stuck) {
          // Ended between modules (or before the first): carry on after the last result.
          const last = Math.max(startIndex - 1, ...outcome.results.map((r) => r.index));
          return resolve({ finished: last + 1 >= options.modules.length, nextIndex: last + 1, output, exit });
        }
        if (invalid !== null && !retried.has(stuck.index)) {
          // Once more from this module: a garbled line is more likely noise than a verdict.
          retried.add(stuck.index);
          return resolve({ finished: false, nextIndex: stuck.index, output });
        }
        const dump = await fs.readFile(tracebackFile, "utf8").catch(() => "");
        outcome.results.push(
          invalid !== null
            ? invalidResult(stuck, invalid)
            : endedResult(stuck, {
                timeoutSeconds: options.timeoutSeconds,
                memoryLimitMB: options.memoryLimitMB ?? DEFAULT_MEMORY_LIMIT_MB,
                exit, timedOut, lastExit, dump, relOf, output,
              }),
        );
        options.onProgress?.(outcome.results.length, options.modules.length, stuck.file);
        resolve({ finished: stuck.index + 1 >= options.modules.length, nextIndex: stuck.index + 1, output });
      },
    });

    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener("abort", onAbort);
    probe.send({
      t: "scan",
      root: options.root,
      cwd: options.cwd,
      modules: options.modules,
      projectFiles: options.projectFiles,
      timeout: options.timeoutSeconds,
      memoryLimitMB: options.memoryLimitMB ?? DEFAULT_MEMORY_LIMIT_MB,
      startIndex,
      tracebackFile,
      reportImports: options.reportImports ?? false,
    });
  });
}

function oneShot(options: ProbeScanOptions): OpenChannel {
  return (handlers) => {
    const p = new ProbeProcess(options.python, options.probePath ?? defaultProbePath(), options.cwd, handlers, options.env);
    return {
      send: (r) => p.send(r),
      endInput: () => p.endInput(),
      kill: () => p.kill(),
      dumpStacks: () => p.dumpStacks(),
      outputText: () => p.output.toString(),
    };
  };
}

/** How long a stuck process gets to write its stacks before it is killed. */
const DUMP_WAIT_MS = 500;

/**
 * Asks a stuck probe for its stacks (faulthandler answers SIGUSR1 even while user
 * code holds the GIL) and resolves once the dump stops growing, or after DUMP_WAIT_MS.
 */
async function stacksWritten(probe: ScanChannel, tracebackFile: string): Promise<void> {
  if (process.platform === "win32") return; // no SIGUSR1: the probe arms a timer per module instead
  const sizeOf = () => fs.stat(tracebackFile).then((s) => s.size, () => 0);
  const before = await sizeOf();
  probe.dumpStacks();
  let last = before;
  for (let waited = 0; waited < DUMP_WAIT_MS; waited += 20) {
    await new Promise((r) => setTimeout(r, 20));
    const size = await sizeOf();
    if (size > before && size === last) return;
    last = size;
  }
}

function sortedResults(results: ModuleResult[]): ModuleResult[] {
  return [...results].sort((a, b) => a.index - b.index);
}

function makeRelOf(root: string, projectFiles: string[]): (abs: string) => string | null {
  const known = new Set(projectFiles);
  return (abs) => {
    const rel = relative(root, abs).split(sep).join("/");
    return known.has(rel) ? rel : null;
  };
}

function startFailure(python: string, exit: ProbeExit, output: string): string {
  const tail = output.trim().split("\n").slice(-5).join("\n");
  return `the probe could not start with ${python} (exit ${exit.code ?? exit.signal})${tail ? `:\n${tail}` : ""}`;
}
