// The hostile-module corpus (test/fixtures/hostile/<case>/): for each case, the module
// that misbehaves, what the user must see for it, and the endpoints that must survive.
// Shared by the CLI-engine, warm-engine and server runs, and by docs/reliability.md.
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FailureKind } from "../../shared/src/probe/probeMessages";

/** The per-module deadline of every hardening run, in seconds. */
export const DEADLINE_S = 2;
/** The memory ceiling of every hardening run: far above a healthy scan, far below the hog. */
export const MEMORY_LIMIT_MB = 1024;

export interface ExpectedRecord {
  kind: FailureKind;
  type: string;
  message: string | RegExp;
  /** The line the record points at (in the hostile file); null when nothing better is known. */
  line: number | null;
  inImportErrors: boolean;
  exitCode?: number;
}

export interface HostileCase {
  name: string;
  /** What the module does, for the table. */
  does: string;
  /** The misbehaving module. */
  file: string;
  /** Its one record; null when it must import cleanly. */
  expect: ExpectedRecord | null;
  /** Every endpoint the scan must find, "file:function", sorted. */
  endpoints: string[];
  /** Prepares the copied project (what git cannot carry: links, modes, big files). */
  setup?: (project: string) => void;
  /** Processes the module starts carry this in their command line, followed by the project path. */
  marker?: string;
  /** A module the hostile one rewrites: it fails with `message` when scanned after it, else `endpoint` is found. */
  victim?: { file: string; endpoint: string; message: string };
}

const healthy = ["alpha.py:alpha", "zulu.py:zulu"];
const withOwn = (own: string) => [...healthy, own].sort();
const ended = (how: string, file: string) =>
  `the import of ${file} ended the Python process (${how}); flash build stops there too`;
const timedOut = (file: string) => `TimeoutError: import of ${file} timed out after ${DEADLINE_S}s (module-level code may be blocking)`;

export const HOSTILE_CASES: HostileCase[] = [
  {
    name: "endless-loop",
    does: "`for _ in itertools.count(): pass` at import",
    file: "spin.py",
    expect: { kind: "timeout", type: "TimeoutError", message: timedOut("spin.py"), line: 13, inImportErrors: true },
    endpoints: healthy,
  },
  {
    name: "regex-holds-the-gil",
    does: "a catastrophically backtracking regex: holds the GIL, so the probe itself cannot run",
    file: "backtrack.py",
    expect: { kind: "timeout", type: "TimeoutError", message: timedOut("backtrack.py"), line: 13, inImportErrors: true },
    endpoints: healthy,
  },
  {
    name: "sleeps-an-hour",
    does: "`time.sleep(3600)`",
    file: "slow.py",
    expect: { kind: "timeout", type: "TimeoutError", message: timedOut("slow.py"), line: 12, inImportErrors: true },
    endpoints: healthy,
  },
  {
    name: "reads-stdin",
    does: "`input()`",
    file: "asks.py",
    expect: { kind: "exception", type: "EOFError", message: "EOFError: EOF when reading a line", line: 9, inImportErrors: true },
    endpoints: healthy,
  },
  {
    name: "sys-exit-zero",
    does: "`sys.exit(0)` after defining an endpoint",
    file: "quits.py",
    expect: { kind: "exit", type: "SystemExit", message: "SystemExit: 0", line: 11, inImportErrors: false, exitCode: 0 },
    endpoints: withOwn("quits.py:quits"),
  },
  {
    name: "sys-exit-three",
    does: "`sys.exit(3)` after defining an endpoint",
    file: "fails.py",
    expect: { kind: "exit", type: "SystemExit", message: "SystemExit: 3", line: 11, inImportErrors: false, exitCode: 3 },
    endpoints: withOwn("fails.py:fails"),
  },
  {
    name: "os-exit-one",
    does: "`os._exit(1)`",
    file: "killer.py",
    expect: { kind: "exit", type: "ProcessExit", message: ended("os._exit(1)", "killer.py"), line: 11, inImportErrors: false, exitCode: 1 },
    endpoints: healthy,
  },
  {
    name: "kills-own-process",
    does: "`os.kill(os.getpid(), SIGKILL)`",
    file: "suicide.py",
    expect: { kind: "exit", type: "ProcessExit", message: ended("a signal sent to its own process", "suicide.py"), line: 12, inImportErrors: false },
    endpoints: healthy,
  },
  {
    name: "segfault-through-ctypes",
    does: "`ctypes.string_at(0)`: SIGSEGV",
    file: "crash.py",
    expect: { kind: "exit", type: "ProcessExit", message: ended("signal SIGSEGV", "crash.py"), line: 12, inImportErrors: false },
    endpoints: healthy,
  },
  {
    name: "allocates-beyond-memory-limit",
    does: "allocates 64 × 256 MB (16 GB of address space); `roomy.py`, after it, needs 512 MB",
    file: "hog.py",
    expect: {
      kind: "memory",
      type: "MemoryError",
      message: `MemoryError: the import of hog.py used more than ${MEMORY_LIMIT_MB} MB, the scan's memory limit (flash.scan.memoryLimitMB, --memory-limit)`,
      line: 12,
      inImportErrors: true,
    },
    endpoints: withOwn("roomy.py:roomy"),
  },
  {
    name: "floods-stdout-100mb",
    does: "writes 100 MB to stdout",
    file: "chatty.py",
    expect: null,
    endpoints: withOwn("chatty.py:chatty"),
  },
  {
    name: "unbounded-recursion",
    does: "`def down(n): return down(n + 1)`",
    file: "recurse.py",
    expect: { kind: "exception", type: "RecursionError", message: "RecursionError: maximum recursion depth exceeded", line: 10, inImportErrors: true },
    endpoints: healthy,
  },
  {
    name: "child-outlives-import",
    does: "starts `python -c 'time.sleep(3600)'` with `subprocess.Popen` and never stops it",
    file: "spawner.py",
    expect: null,
    endpoints: withOwn("spawner.py:spawner"),
    marker: "flash-hostile-child:",
  },
  {
    name: "daemon-leaves-process-group",
    does: "starts a sleeper with `start_new_session=True` (out of our process group)",
    file: "daemon.py",
    expect: null,
    endpoints: withOwn("daemon.py:daemon"),
    marker: "flash-hostile-daemon:",
  },
  {
    name: "replaces-stdio-and-import",
    does: "`sys.stdout = sys.stderr = None`; `builtins.__import__` that raises for every name",
    file: "rude.py",
    expect: null,
    endpoints: withOwn("rude.py:rude"),
  },
  {
    name: "changes-cwd-and-sys-path",
    does: "`os.chdir(\"/\")`, `sys.path.clear()`; the next module imports a fresh stdlib module and reads a file relative to the cwd",
    file: "wander.py",
    expect: null,
    endpoints: withOwn("wander.py:wander"),
  },
  {
    name: "non-utf8-source",
    does: "Latin-1 bytes without a coding line",
    file: "legacy.py",
    expect: {
      kind: "syntax",
      type: "SyntaxError",
      message: "SyntaxError: (unicode error) 'utf-8' codec can't decode byte 0xe9 in position 3: unexpected end of data (legacy.py, line 10)",
      line: 10,
      inImportErrors: true,
    },
    endpoints: healthy,
  },
  {
    name: "five-mb-source",
    does: "a 5 MB module (a vendored base64 blob)",
    file: "vendored_weights.py",
    expect: null,
    endpoints: healthy,
    setup: (project) => writeFileSync(join(project, "vendored_weights.py"), fiveMegabyteModule()),
  },
  {
    name: "symlink-loop",
    does: "`loop -> .` and `nested/back -> ..` in the tree",
    file: "nested/inner.py",
    expect: null,
    endpoints: withOwn("nested/inner.py:inner"),
    setup: (project) => {
      symlinkSync(".", join(project, "loop"));
      mkdirSync(join(project, "nested"), { recursive: true });
      symlinkSync("..", join(project, "nested", "back"));
    },
  },
  {
    name: "unreadable-file",
    does: "`chmod 000 secret.py` (as root the file stays readable)",
    file: "secret.py",
    expect: null,
    endpoints: withOwn("secret.py:secret"),
    setup: (project) => chmodSync(join(project, "secret.py"), 0o000),
  },
  {
    name: "edits-another-project-file",
    does: "rewrites `victim.py` and appends to `notes.txt` next to its `__file__`",
    file: "tamper.py",
    expect: null,
    endpoints: withOwn("tamper.py:tamper"),
    // As in flash build's own copy: imported after tamper.py, the rewritten victim.py fails.
    victim: { file: "victim.py", endpoint: "victim.py:victim", message: "RuntimeError: rewritten by tamper.py" },
  },
];

/** 5 MB of Python: a base64 blob in a string literal, 76 characters a line. */
export function fiveMegabyteModule(): string {
  const line = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\n";
  const lines = Math.ceil((5 * 1024 * 1024) / line.length);
  return `# Vendored weights, base64.\nWEIGHTS = """\n${line.repeat(lines)}"""\n`;
}
