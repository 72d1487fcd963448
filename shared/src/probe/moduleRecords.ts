// The records the driver writes itself, for modules whose probe could not report:
// it hung past the deadline, ended the process, ran out of memory, or garbled its
// output. Their text says what happened in the user's terms.
import { join } from "node:path";
import type { ModuleResult, Position } from "./probeMessages";
import type { ProbeExit } from "./probeProcess";
import { stuckLocation } from "./faulthandlerDump";

export interface StuckModule {
  index: number;
  file: string;
  started: number;
}

/** What an exiting module told us before it went (hooked os._exit / os.kill). */
export interface LastExit {
  how: string;
  code: number | null;
  location: Position | null;
}

const OUT_OF_MEMORY = /\bMemoryError\b|std::bad_alloc|Cannot allocate memory|[Oo]ut of memory/;

function baseRecord(stuck: StuckModule) {
  return {
    t: "result" as const,
    index: stuck.index,
    file: stuck.file,
    module: stuck.file.replace(/\.py$/, "").split("/").join("."),
    durationMs: Date.now() - stuck.started,
    importedFiles: [],
  };
}

/**
 * Messages name files by where the probe imported them, our mirror; `flash build`
 * names them inside PROJECT/.flash/.build, its own copy. Say what the CLI says.
 */
export function inBuildDirTerms(m: ModuleResult, mirrorRoot: string, projectRoot: string): ModuleResult {
  if (!m.error && !m.extractError) return m;
  const buildDir = join(projectRoot, ".flash", ".build");
  const swap = (text: string) => text.split(mirrorRoot).join(buildDir);
  return {
    ...m,
    ...(m.error ? { error: { ...m.error, message: swap(m.error.message), ...(m.error.traceback ? { traceback: swap(m.error.traceback) } : {}) } } : {}),
    ...(m.extractError ? { extractError: { ...m.extractError, message: swap(m.extractError.message) } } : {}),
  };
}

export function invalidResult(stuck: StuckModule, error: string): ModuleResult {
  return {
    ...baseRecord(stuck),
    ended: { reason: "crash", exitCode: null, signal: null },
    error: {
      message: `the scan of ${stuck.file.split("/").pop()} was abandoned: the probe sent an invalid message twice (${error})`,
      type: "ProtocolError",
      kind: "exit",
      location: null,
    },
  };
}

export interface EndedContext {
  timeoutSeconds: number;
  memoryLimitMB: number;
  exit: ProbeExit;
  timedOut: boolean;
  lastExit: LastExit | null;
  /** faulthandler's dump of the stuck or crashed process. */
  dump: string;
  relOf: (abs: string) => string | null;
  /** What the process printed last: how a failed allocation in C says so. */
  output: string;
}

export function endedResult(stuck: StuckModule, c: EndedContext): ModuleResult {
  const name = stuck.file.split("/").pop()!;
  const base = baseRecord(stuck);
  const where = () => stuckLocation(c.dump, c.relOf, stuck.file);
  if (c.timedOut) {
    return {
      ...base,
      ended: { reason: "timeout", exitCode: null, signal: "SIGKILL" },
      error: {
        message: `TimeoutError: import of ${name} timed out after ${c.timeoutSeconds}s (module-level code may be blocking)`,
        type: "TimeoutError",
        kind: "timeout",
        location: where(),
      },
    };
  }
  const ended = { reason: "crash" as const, exitCode: c.exit.code, signal: c.exit.signal };
  if (c.memoryLimitMB > 0 && !c.lastExit && OUT_OF_MEMORY.test(c.output.slice(-4000))) {
    // A C extension that cannot allocate aborts instead of raising MemoryError.
    return {
      ...base,
      ended,
      error: {
        message: `the import of ${name} ran out of memory under the scan's memory limit of ${c.memoryLimitMB} MB (flash.scan.memoryLimitMB, --memory-limit) and ended the Python process`,
        type: "MemoryError",
        kind: "memory",
        location: where(),
      },
    };
  }
  const how = c.lastExit
    ? c.lastExit.how === "os._exit"
      ? `os._exit(${c.lastExit.code ?? ""})`
      : "a signal sent to its own process"
    : c.exit.signal
      ? `signal ${c.exit.signal}`
      : `exit code ${c.exit.code}`;
  return {
    ...base,
    ended,
    error: {
      message: `the import of ${name} ended the Python process (${how}); flash build stops there too`,
      type: "ProcessExit",
      kind: "exit",
      location: c.lastExit?.location ?? where(),
    },
  };
}
