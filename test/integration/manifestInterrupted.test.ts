// `flash-ls manifest` killed with SIGKILL mid-run must never leave a partial
// .flash/flash_manifest.json: after every kill the file is either the previous
// manifest, byte for byte, or a complete new one (equal to an uninterrupted run's bytes,
// generated_at masked). Kill times are spread over the run's measured duration; a few
// more runs are killed the moment their temporary file appears in .flash/, i.e. during
// the write itself. Such a kill leaves that temporary file behind (nothing removes it);
// its name is unique per process, so no later run reads it, and the last run here
// proves that.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, watch, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PYTHON, REPO_ROOT } from "../helpers/paths";
import { seededRandom } from "../helpers/seededRandom";

const CLI = join(REPO_ROOT, "dist", "cli.js");
/** The largest manifest among the fixtures (37 resources, about 50 KB). */
const FIXTURE = "thirty-seven-endpoints";
const SPREAD_RUNS = 12;
/** Runs killed when their temporary file appears, after 0, 1, 2 … ms. */
const MID_WRITE_RUNS = 4;
/** What writeFileAtomically names its temporary file: `.flash_manifest.json.<pid>.<hex>.tmp`. */
const TEMP_FILE = /^\.flash_manifest\.json\.\d+\.[0-9a-f]+\.tmp$/;

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  temps.push(dir);
  return dir;
}

const maskGeneratedAt = (text: string): string =>
  text.replace(/^ {2}"generated_at": "[^"\\]*",$/m, '  "generated_at": "<masked>",');

/** Children of `pid`, recursively, from /proc (the probe runs in a process group of its own). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

interface OurRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  startedAt: number;
  /** Processes the run started that outlived its SIGKILL by 5 s (then killed by pid). */
  orphans: number;
}

/** When to SIGKILL the CLI process (only it): after a delay, or once its temporary file exists. */
type Kill = { afterMs: number } | { afterTempFileMs: number };

/** Runs `flash-ls manifest` on `root`, killing it as `kill` says. */
async function runOurs(root: string, env: NodeJS.ProcessEnv, extra: string[] = [], kill?: Kill): Promise<OurRun> {
  const startedAt = Date.now();
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, "manifest", root, "--python", PYTHON, ...extra], { cwd: root, env, stdio: "ignore" });
  let family: number[] = [];
  const killNow = (): void => {
    family = descendants(child.pid!);
    child.kill("SIGKILL");
  };
  let timer: NodeJS.Timeout | undefined;
  let watcher: ReturnType<typeof watch> | undefined;
  if (kill && "afterMs" in kill) timer = setTimeout(killNow, kill.afterMs);
  if (kill && "afterTempFileMs" in kill) {
    watcher = watch(join(root, ".flash"), (_event, name) => {
      if (!name || !TEMP_FILE.test(name.toString())) return;
      watcher?.close();
      if (kill.afterTempFileMs === 0) killNow();
      else timer = setTimeout(killNow, kill.afterTempFileMs);
    });
  }
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (c, s) => resolve([c, s]));
  });
  clearTimeout(timer);
  watcher?.close();
  const ms = performance.now() - started;
  // The probe notices its parent's death by end of input; give it a moment, then end it.
  let survivors = family;
  for (const deadline = Date.now() + 5000; Date.now() < deadline; ) {
    survivors = survivors.filter(alive);
    if (!survivors.length) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  survivors = survivors.filter(alive);
  for (const pid of survivors) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  return { code, signal, ms, startedAt, orphans: survivors.length };
}

describe("flash-ls manifest killed mid-run", () => {
  it(`leaves .flash/flash_manifest.json whole: the previous one or a complete new one (${SPREAD_RUNS + MID_WRITE_RUNS} SIGKILLs)`, async () => {
    expect(existsSync(CLI), `${CLI} is missing: run \`node scripts/build.mjs\``).toBe(true);
    const root = join(tempDir("flash-manifest-kill-"), FIXTURE);
    cpSync(join(REPO_ROOT, "test", "fixtures", "manifest", FIXTURE), root, { recursive: true });
    // Our scan mirror lives under TMPDIR: give the runs a folder of their own to inspect.
    const runTmp = tempDir("flash-manifest-kill-tmp-");
    const env = { ...process.env, TMPDIR: runTmp };
    const manifestFile = join(root, ".flash", "flash_manifest.json");

    // The previous manifest: the same project built for Python 3.11, so it differs from the new one.
    const previousRun = await runOurs(root, env, ["--python-version", "3.11"]);
    expect(previousRun.code).toBe(0);
    const previous = readFileSync(manifestFile, "utf8");

    // One uninterrupted run: the bytes a finished run writes, its duration and the write's moment.
    const full = await runOurs(root, env);
    expect(full.code).toBe(0);
    const complete = readFileSync(manifestFile, "utf8");
    const completeMasked = maskGeneratedAt(complete);
    expect(completeMasked).not.toBe(maskGeneratedAt(previous));
    const writeAtMs = statSync(manifestFile).mtimeMs - full.startedAt;

    const seed = Number(process.env.FLASH_KILL_SEED ?? Date.now() % 2 ** 31);
    const random = seededRandom(seed);
    const kills: Kill[] = [
      // One kill in each twelfth of the run, at a random point within it.
      ...Array.from({ length: SPREAD_RUNS }, (_, i) => ({ afterMs: (full.ms * (i + random())) / SPREAD_RUNS })),
      // And during the write: when the temporary file appears, or a few ms later.
      ...Array.from({ length: MID_WRITE_RUNS }, (_, i) => ({ afterTempFileMs: i })),
    ];

    const outcomes: string[] = [];
    let leftovers: string[] = [];
    let orphans = 0;
    for (const kill of kills) {
      writeFileSync(manifestFile, previous);
      const run = await runOurs(root, env, [], kill);
      const when = "afterMs" in kill ? `${kill.afterMs.toFixed(0)} ms` : `temp file + ${kill.afterTempFileMs} ms`;
      orphans += run.orphans;
      const text = readFileSync(manifestFile, "utf8");
      const killed = run.signal === "SIGKILL";
      if (!killed) expect(run.code).toBe(0);
      if (text === previous) {
        outcomes.push(`${when}: killed, previous manifest kept`);
        // A run that finished on its own must have replaced it.
        expect(killed).toBe(true);
      } else {
        // Not the previous bytes: it must be a complete new manifest, never a partial one.
        expect(() => JSON.parse(text)).not.toThrow();
        expect(maskGeneratedAt(text)).toBe(completeMasked);
        outcomes.push(`${when}: ${killed ? "killed after the write" : "finished first"}, new manifest`);
      }
      // Nothing else in .flash/ but the SDK's log folder, and perhaps our temporary files.
      const entries = readdirSync(join(root, ".flash"));
      for (const entry of entries) {
        if (entry === "flash_manifest.json" || entry === "logs") continue;
        expect(entry).toMatch(TEMP_FILE);
      }
      leftovers = entries.filter((e) => TEMP_FILE.test(e));
    }

    // A later run is not tripped by anything the kills left: it writes the complete manifest.
    const after = await runOurs(root, env);
    expect(after.code).toBe(0);
    expect(maskGeneratedAt(readFileSync(manifestFile, "utf8"))).toBe(completeMasked);

    const mirrors = existsSync(join(runTmp, "flash-ls-mirror")) ? readdirSync(join(runTmp, "flash-ls-mirror")).length : 0;
    console.log(
      `interrupted manifest writes (seed ${seed}; uninterrupted run ${full.ms.toFixed(0)} ms, write at ${writeAtMs.toFixed(0)} ms):\n` +
        outcomes.map((o) => `  ${o}`).join("\n") +
        `\n  temporary files left in .flash/: ${leftovers.length ? leftovers.join(", ") : "none"}` +
        `\n  probe processes alive 5 s after the CLI's SIGKILL: ${orphans}` +
        `\n  scan mirrors left under TMPDIR/flash-ls-mirror: ${mirrors}`,
    );
    // The spread must have interrupted at least one run before its write, or it proved nothing.
    expect(outcomes.some((o) => o.includes("previous manifest kept"))).toBe(true);
  }, 300_000);
});
