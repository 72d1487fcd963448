// Nothing lost: Build manifest killed (SIGKILL) at random moments, through the CLI and
// through the server (flash.buildManifest via workspace/executeCommand, then the
// server killed), leaves .flash/flash_manifest.json either exactly the previous
// manifest or a complete new one, never a partial file. Between runs the project
// alternates between two states, so "previous" and "new" always differ.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, watch, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PYTHON, REPO_ROOT } from "../helpers/paths";
import { seededRandom } from "../helpers/seededRandom";
import { LspSession, uri } from "../protocol/lspHarness";
import { saveFigures } from "./hostileRun";
import { freshRunTag, leftovers } from "./processTable";

const CLI = join(REPO_ROOT, "dist", "cli.js");
const RUNS = { cli: 25, server: 25 };
const SEED = Number(process.env.FLASH_KILL_SEED ?? 50_2026);
const WORKER = join("workers", "gpu_worker.py");

const temp = realpathSync(mkdtempSync(join(tmpdir(), "flash-manifest-kill-")));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** When to kill: after a delay, or a few milliseconds after the write's temporary file appears. */
type Kill = { afterMs: number } | { writingPlusMs: number };
const TEMP_FILE = /^\.flash_manifest\.json\..*\.tmp$/;

/** Arms `kill` against a run that started now; returns the disarm function. */
function arm(kill: Kill, project: Project, doKill: () => void): () => void {
  if ("afterMs" in kill) {
    const timer = setTimeout(doKill, kill.afterMs);
    return () => clearTimeout(timer);
  }
  const watcher = watch(join(project.dir, ".flash"), (_event, name) => {
    if (name && TEMP_FILE.test(name)) setTimeout(doKill, kill.writingPlusMs);
  });
  return () => watcher.close();
}

/** The manifest with its one time-dependent field masked. */
const masked = (text: string) => text.replace(/"generated_at": "[^"]*"/, '"generated_at": "…"');

class Project {
  readonly dir: string;
  readonly manifest: string;
  private readonly original: string;

  constructor(name: string) {
    this.dir = join(temp, name);
    cpSync(join(REPO_ROOT, "examples", "hello-flash"), this.dir, { recursive: true });
    rmSync(join(this.dir, ".flash"), { recursive: true, force: true });
    this.manifest = join(this.dir, ".flash", "flash_manifest.json");
    this.original = readFileSync(join(this.dir, WORKER), "utf8");
    expect(this.original).toContain("workers=(0, 3)");
  }

  /** State A (as shipped) or B (one more GPU worker): two different manifests. */
  set(state: "A" | "B"): void {
    writeFileSync(join(this.dir, WORKER), state === "A" ? this.original : this.original.replace("workers=(0, 3)", "workers=(0, 4)"));
  }

  read(): string | null {
    return existsSync(this.manifest) ? readFileSync(this.manifest, "utf8") : null;
  }
}

function runCli(project: Project, kill: Kill | null): Promise<{ ms: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, "manifest", project.dir, "--python", PYTHON], { stdio: "ignore" });
    const disarm = kill ? arm(kill, project, () => child.kill("SIGKILL")) : () => undefined;
    child.on("exit", (code) => {
      disarm();
      if (!kill) expect(code).toBe(0);
      resolve({ ms: performance.now() - started });
    });
  });
}

/** Starts a server, asks it for Build manifest at once, and kills it as `kill` says (or waits for the answer). */
async function runServer(project: Project, kill: Kill | null): Promise<{ ms: number }> {
  const started = performance.now();
  const s = await LspSession.start({ folders: [project.dir], env: { FLASH_PYTHON: PYTHON } });
  const exited = new Promise((r) => (s.child.exitCode !== null || s.child.signalCode !== null ? r(null) : s.child.once("exit", r)));
  const disarm = kill ? arm(kill, project, () => s.child.kill("SIGKILL")) : () => undefined;
  // The command names a folder the server knows once it has said something about it.
  await s.waitFor(() => s.statuses.some((st) => st.folderUri === uri(project.dir)), 30_000, "the folder's first status");
  const build = s.connection
    .sendRequest("workspace/executeCommand", { command: "flash.buildManifest", arguments: [uri(project.dir)] })
    .catch(() => null);
  if (!kill) {
    const result = (await build) as { ok: boolean } | null;
    expect(result).toMatchObject({ ok: true });
    const ms = performance.now() - started;
    await s.close();
    return { ms };
  }
  // Killed before it answers; if it answered first, it is killed right after.
  await Promise.race([exited, build]);
  s.child.kill("SIGKILL");
  await exited;
  disarm();
  s.connection.dispose();
  return { ms: performance.now() - started };
}

/** A third of the kills anywhere in the run, a third in its last part, a third during the write itself. */
function killMoment(random: () => number, fullMs: number): Kill {
  const r = random();
  if (r < 1 / 3) return { afterMs: Math.round(random() * fullMs * 1.2) };
  if (r < 2 / 3) return { afterMs: Math.round(fullMs * (0.8 + random() * 0.5)) };
  return { writingPlusMs: Math.floor(random() * 4) };
}

describe("Build manifest killed at random moments", () => {
  it.each([
    ["cli", runCli],
    ["server", runServer],
  ] as const)("%s: the manifest is always the previous one or a complete new one", async (via, run) => {
    const tag = freshRunTag(`kill-${via}`);
    const random = seededRandom(SEED + (via === "cli" ? 0 : 1));
    const project = new Project(via);
    // The two complete manifests, from uninterrupted runs.
    const expected: Record<"A" | "B", string> = { A: "", B: "" };
    let fullMs = 0;
    for (const state of ["B", "A"] as const) {
      project.set(state);
      fullMs = Math.max(fullMs, (await run(project, null)).ms);
      expected[state] = masked(project.read()!);
    }
    expect(expected.A).not.toBe(expected.B);

    let state: "A" | "B" = "A";
    const outcomes = { previous: 0, new: 0 };
    const kills: Kill[] = [];
    for (let i = 0; i < RUNS[via]; i++) {
      const previous = project.read()!;
      const next: "A" | "B" = state === "A" ? "B" : "A";
      project.set(next);
      const kill = killMoment(random, fullMs);
      kills.push(kill);
      await run(project, kill);
      const now = project.read();
      const at = JSON.stringify(kill);
      expect(now, `run ${i}: killed ${at}`).not.toBeNull();
      if (now === previous) {
        outcomes.previous++;
        // The project stays in `next`; the manifest describes `state`: that is what the user has.
        project.set(state);
      } else {
        expect(masked(now!), `run ${i}: killed ${at}, a manifest that is neither the previous nor the new one`).toBe(expected[next]);
        outcomes.new++;
        state = next;
      }
    }
    saveFigures(`kill-${via}`, { seed: SEED, runs: RUNS[via], uninterruptedMs: Math.round(fullMs), outcomes, kills });
    // Killed runs leave their probes without a reader: they end by themselves.
    expect(await leftovers(tag, undefined, 15_000)).toEqual([]);
  }, 180_000);
});
