// `flash-ls manifest` against runpod-flash 1.21.0's `flash build`, fixture by fixture:
// the same flash_manifest.json bytes (generated_at masked), or the same refusal text and
// exit code with nothing written. Every fixture runs through test/reference/
// reference_manifest.py (the SDK's own run_build steps up to the manifest, in a
// process that imports the SDK once); the ones marked `realCli` also go through the
// real `flash build` command end to end, which checks the driver as well.
// Each side builds its own temp copy, so no side sees another's .flash/.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mapLimit } from "../helpers/concurrency";
import { PYTHON, REPO_ROOT } from "../helpers/paths";

const FIXTURES = join(REPO_ROOT, "test", "fixtures", "manifest");
const DRIVER = join(REPO_ROOT, "test", "reference", "reference_manifest.py");
/** The bundled CLI; `npm test` builds it before running the tests. */
const CLI = join(REPO_ROOT, "dist", "cli.js");
const FLASH = join(REPO_ROOT, ".tools", "venv", "bin", "flash");

interface FixtureSetup {
  /** `--python-version X.Y`, given to every side. */
  pythonVersion?: string;
  /** Also run the real `flash build` (these have no dependencies: no pip install). */
  realCli?: boolean;
}

// Which fixtures go through the real CLI: quick ones (no requirements) covering a
// queue worker with a class, routes, warnings, non-ASCII env, ignore negations, the
// override flag, a validation refusal, a refusal naming .flash/.build paths, and the
// silent exit.
const SETUP: Record<string, FixtureSetup> = {
  "qb-function-and-class": { realCli: true },
  "lb-routes-several-methods": { realCli: true },
  "max-concurrency-qb-kept-lb-dropped": { realCli: true },
  "env-non-ascii-and-integer-keys": { realCli: true },
  "gitignore-negations": { realCli: true },
  "python-version-override-agreeing": { pythonVersion: "3.10", realCli: true },
  "python-version-override-undeclared": { pythonVersion: "3.13" },
  "refuse-python-version-override-conflict": { pythonVersion: "3.12" },
  "refuse-python-version-override-unsupported": { pythonVersion: "3.9" },
  "refuse-duplicate-function-name": { realCli: true },
  "refuse-endpoint-name-in-several-files": { realCli: true },
  "refuse-sys-exit-during-reimport": { realCli: true },
};

// Where each refusal fixture is refused on the CLI's road (run_build order):
// - project check, "✗ No Python files found …": refuse-no-python-files
// - validate_local_module_imports (before the copy): refuse-excluded-local-module,
//   refuse-unresolvable-local-import (an `@Endpoint(...)` file, so it is strict)
// - the scan's import errors, "Failed to load:": refuse-import-failure,
//   refuse-routes-rejected-at-import (Endpoint's own reserved-path and duplicate-route
//   checks, @remote's LB method/path check), refuse-two-volumes-in-one-datacenter
//   (pydantic), refuse-unresolvable-import-in-instance-decorated-file (`@worker` is not
//   an endpoint file to the AST check: validation only warns, the import then fails)
// - ManifestBuilder.build's ValueError: refuse-endpoint-name-in-several-files,
//   refuse-lb-function-without-method-path, refuse-duplicate-route, refuse-reserved-path
//   (both through @remote, which does not check routes), refuse-duplicate-function-name,
//   refuse-client-and-resource-same-name, refuse-python-version-conflict,
//   refuse-python-version-override-conflict, refuse-python-version-override-unsupported
// - SystemExit from the builder's re-import, exit 3 and no output:
//   refuse-sys-exit-during-reimport

/** The manifest builder's own warnings (the CLI logs them; ours prints them as `warning: …`). */
const MANIFEST_LOGGER = "runpod_flash.cli.commands.build_utils.manifest";

/** What one side did, in comparable form. */
interface Outcome {
  exitCode: number | null;
  /** .flash/flash_manifest.json after the run, generated_at masked; null when none was written. */
  manifest: string | null;
  /** The reason printed, paths normalised; null when the build succeeded. */
  refusal: string | null;
}

interface SideRun {
  outcome: Outcome;
  /** The manifest-builder warnings this side reported. */
  warnings: string[];
  ms: number;
  /** Real CLI only: from start to the manifest's mtime (copy2 keeps the write time). */
  msToManifest?: number;
}

interface FixtureRun {
  reference: SideRun;
  ours: SideRun;
  realCli?: SideRun;
}

// ---------------------------------------------------------------------------
// Running things

interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  startedAt: number;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const startedAt = Date.now();
    const started = performance.now();
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => stdout.push(c));
    child.stderr.on("data", (c: Buffer) => stderr.push(c));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
        ms: performance.now() - started,
        startedAt,
      });
    });
  });
}

const temps: string[] = [];

/** A fresh copy of fixture `name`, keeping its folder name (it is the manifest's project_name). */
function copyFixture(name: string): string {
  // The real path, as Python's Path.resolve() prints it.
  const parent = realpathSync(mkdtempSync(join(tmpdir(), "flash-manifest-test-")));
  temps.push(parent);
  const project = join(parent, name);
  cpSync(join(FIXTURES, name), project, { recursive: true });
  return project;
}

// ---------------------------------------------------------------------------
// Normalising

/** Masks the one value that differs by construction: the whole generated_at string. */
function maskGeneratedAt(text: string): string {
  return text.replace(/^ {2}"generated_at": "[^"\\]*",$/m, '  "generated_at": "<masked>",');
}

/**
 * The CLI names files by absolute paths in its build copy; ours by project-relative
 * paths. Drop the build-copy prefix; then each side's own root (different temp
 * folders) becomes one placeholder, so an absolute project path on one side still
 * differs from a relative one on the other.
 */
function normalisePaths(text: string, root: string): string {
  return text.split(`${root}/.flash/.build/`).join("").split(root).join("<project>");
}

/**
 * The refusal in what the CLI's console printed: from its first error line (print_error's
 * "✗ " or the "Failed to load:" heading) to the end, without the "✗ " mark. Warnings
 * printed before it ("! …") are not part of the reason. "" when nothing was printed.
 */
function refusalInConsole(text: string): string {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.startsWith("\u2717 ") || l === "Failed to load:");
  if (start < 0) return text.trim();
  const reason = lines.slice(start).join("\n").trim();
  return reason.startsWith("\u2717 ") ? reason.slice(2) : reason;
}

const LOG_RECORD = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \| ([A-Z]+) *\| (.*)$/;

/** The real CLI's stdout holds the SDK's log records too: split them from what the console printed. */
function splitCliStdout(stdout: string): { printed: string; log: { level: string; message: string }[] } {
  const lines = stdout.split("\n");
  const printed: string[] = [];
  const log: { level: string; message: string }[] = [];
  for (let i = 0; i < lines.length; ) {
    const record = LOG_RECORD.exec(lines[i]);
    if (!record) {
      printed.push(lines[i++]);
      continue;
    }
    log.push({ level: record[1], message: record[2] });
    i++;
    // logger.exception appends a traceback: its header, indented frames, the exception
    // line, and the same again for chained exceptions.
    while (lines[i] === "Traceback (most recent call last):") {
      i++;
      while (i < lines.length && lines[i].startsWith(" ")) i++;
      i++;
      if (lines[i] === "" && /^(The above exception|During handling)/.test(lines[i + 1] ?? "")) i += 3;
    }
  }
  return { printed: printed.join("\n"), log };
}

function readManifest(root: string): string | null {
  const file = join(root, ".flash", "flash_manifest.json");
  return existsSync(file) ? readFileSync(file, "utf8") : null;
}

function outcomeOf(exitCode: number | null, root: string, printedReason: string): Outcome {
  const manifest = readManifest(root);
  return {
    exitCode,
    manifest: manifest === null ? null : maskGeneratedAt(manifest),
    refusal: exitCode === 0 ? null : normalisePaths(printedReason, root),
  };
}

// ---------------------------------------------------------------------------
// The three sides

interface DriverResult {
  ok: boolean;
  manifest_text: string | null;
  exit_code: number;
  error_text: string;
  warnings: [string, string][];
}

/**
 * The reference driver in --serve mode: one Python imports the SDK once and builds
 * each project in a forked child (the import is most of a build's time). Requests
 * are answered in order, one line each.
 */
class ReferenceServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: { resolve: (line: string) => void; reject: (e: Error) => void }[] = [];
  private buffer = "";
  private stderrTail = "";
  private turn: Promise<unknown> = Promise.resolve();

  constructor(cwd: string) {
    this.child = spawn(PYTHON, [DRIVER, "--serve"], { cwd, stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdout.on("data", (chunk: Buffer) => {
      this.buffer += chunk.toString("utf8");
      for (let nl = this.buffer.indexOf("\n"); nl >= 0; nl = this.buffer.indexOf("\n")) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        this.waiting.shift()?.resolve(line);
      }
    });
    this.child.stderr.on("data", (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-8000);
    });
    this.child.on("close", (code, signal) => {
      const error = new Error(`reference server ended (${code ?? signal}):\n${this.stderrTail}`);
      for (const w of this.waiting.splice(0)) w.reject(error);
    });
  }

  /** Builds `project` (one at a time); resolves with the driver's document and the time it took. */
  build(project: string, pythonVersion?: string): Promise<{ result: DriverResult; ms: number }> {
    const job = this.turn.then(async () => {
      const started = performance.now();
      const line = new Promise<string>((resolve, reject) => this.waiting.push({ resolve, reject }));
      this.child.stdin.write(JSON.stringify({ project, python_version: pythonVersion ?? null }) + "\n");
      const document = JSON.parse(await line) as DriverResult | { died: number };
      if ("died" in document) throw new Error(`the reference build of ${project} died (${document.died}):\n${this.stderrTail}`);
      return { result: document, ms: performance.now() - started };
    });
    this.turn = job.catch(() => undefined);
    return job;
  }

  close(): void {
    this.child.stdin.end();
  }
}

let server: ReferenceServer | undefined;

/** The one-project form, for a project with a .env (which --serve would load too late). */
async function referenceOnce(root: string, pythonVersion?: string): Promise<{ result: DriverResult; ms: number }> {
  const r = await run(PYTHON, [DRIVER, root, ...(pythonVersion ? ["--python-version", pythonVersion] : [])], root);
  try {
    return { result: JSON.parse(r.stdout) as DriverResult, ms: r.ms };
  } catch {
    throw new Error(`reference driver gave no result for ${root} (${r.code ?? r.signal}):\n${r.stderr.slice(-4000)}`);
  }
}

async function referenceSide(fixture: string, setup: FixtureSetup): Promise<SideRun> {
  const root = copyFixture(fixture);
  const { result, ms } = existsSync(join(root, ".env"))
    ? await referenceOnce(root, setup.pythonVersion)
    : await server!.build(root, setup.pythonVersion);
  // The driver's document must agree with what it left on disk.
  if (readManifest(root) !== result.manifest_text) throw new Error(`reference driver's manifest_text is not ${root}/.flash/flash_manifest.json`);
  return {
    outcome: outcomeOf(result.exit_code, root, refusalInConsole(result.error_text)),
    warnings: result.warnings.filter(([logger]) => logger === MANIFEST_LOGGER).map(([, message]) => message),
    ms,
  };
}

/** What `flash-ls manifest` printed as its refusal: the text between its heading and the "  at …" line. */
function refusalOfOurs(stderr: string): string {
  const heading = /^flash-ls: flash build would refuse to build .*:\n/;
  if (!heading.test(stderr)) return stderr.trim();
  const lines = stderr.replace(heading, "").replace(/^\n/, "").replace(/\n$/, "").split("\n");
  if (lines.length && lines[lines.length - 1].startsWith("  at ")) lines.pop();
  return lines.join("\n");
}

async function ourSide(fixture: string, setup: FixtureSetup): Promise<SideRun> {
  const root = copyFixture(fixture);
  const args = [CLI, "manifest", root, "--python", PYTHON, ...(setup.pythonVersion ? ["--python-version", setup.pythonVersion] : [])];
  const r = await run(process.execPath, args, root);
  const warnings = r.stderr
    .split("\n")
    .filter((l) => l.startsWith("warning: "))
    .map((l) => l.slice("warning: ".length));
  return { outcome: outcomeOf(r.code, root, r.code === 0 ? "" : refusalOfOurs(r.stderr)), warnings, ms: r.ms };
}

async function realCliSide(fixture: string, setup: FixtureSetup): Promise<SideRun> {
  const root = copyFixture(fixture);
  // COLUMNS: Rich wraps console output at the terminal width (80 when piped); the
  // update check would ask PyPI in a background thread.
  const env = { ...process.env, COLUMNS: "100000", FLASH_NO_UPDATE_CHECK: "1" };
  const args = ["build", ...(setup.pythonVersion ? ["--python-version", setup.pythonVersion] : [])];
  const r = await run(FLASH, args, root, env);
  const { printed, log } = splitCliStdout(r.stdout);
  const manifestFile = join(root, ".flash", "flash_manifest.json");
  return {
    outcome: outcomeOf(r.code, root, refusalInConsole(printed)),
    warnings: log.filter((l) => l.level === "WARNING").map((l) => l.message),
    ms: r.ms,
    msToManifest: existsSync(manifestFile) ? statSync(manifestFile).mtimeMs - r.startedAt : undefined,
  };
}

// ---------------------------------------------------------------------------

const fixtures = readdirSync(FIXTURES)
  .filter((name) => statSync(join(FIXTURES, name)).isDirectory())
  .sort();
const realCliFixtures = fixtures.filter((f) => SETUP[f]?.realCli);
const runs = new Map<string, FixtureRun | Error>();

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`node scripts/build.mjs\` (npm test does)`);
  // The server's own folder gets the SDK's log file, nothing else.
  const serverDir = realpathSync(mkdtempSync(join(tmpdir(), "flash-manifest-reference-")));
  temps.push(serverDir);
  server = new ReferenceServer(serverDir);
  // Two fixtures at a time; within one, the sides run one after the other.
  await mapLimit(fixtures, 2, async (fixture) => {
    const setup = SETUP[fixture] ?? {};
    try {
      const reference = await referenceSide(fixture, setup);
      const ours = await ourSide(fixture, setup);
      const realCli = setup.realCli ? await realCliSide(fixture, setup) : undefined;
      runs.set(fixture, { reference, ours, realCli });
    } catch (e) {
      runs.set(fixture, e instanceof Error ? e : new Error(String(e)));
    }
  });
  server.close();
}, 900_000);

afterAll(() => {
  server?.close();
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
  // Timings, for the closing note of the manifest issue.
  const rows: string[] = [];
  let reference = 0;
  let ours = 0;
  for (const fixture of fixtures) {
    const r = runs.get(fixture);
    if (!r || r instanceof Error) continue;
    reference += r.reference.ms;
    ours += r.ours.ms;
    const real = r.realCli ? `  flash build ${r.realCli.ms.toFixed(0)} ms (manifest at ${r.realCli.msToManifest?.toFixed(0) ?? "-"} ms)` : "";
    rows.push(`  ${fixture.padEnd(58)} reference ${r.reference.ms.toFixed(0).padStart(5)} ms  flash-ls ${r.ours.ms.toFixed(0).padStart(5)} ms${real}`);
  }
  console.log(`manifest parity timings (${rows.length} fixtures; reference ${(reference / 1000).toFixed(1)} s, flash-ls ${(ours / 1000).toFixed(1)} s in total):\n${rows.join("\n")}`);
});

function runOf(fixture: string): FixtureRun {
  const r = runs.get(fixture);
  if (r === undefined) throw new Error(`no run for ${fixture}`);
  if (r instanceof Error) throw r;
  return r;
}

const fingerprintOf = (manifest: string | null): string | undefined =>
  manifest === null ? undefined : (JSON.parse(manifest) as { source_fingerprint?: string }).source_fingerprint;

/**
 * Ours must equal the CLI's outcome. One exception by design: when the CLI exits
 * without a word (sys.exit during its re-import), ours says which exit it predicts.
 */
function expectSameOutcome(ours: Outcome, cli: Outcome): void {
  if (cli.refusal === "") {
    expect(ours.exitCode).toBe(cli.exitCode);
    expect(ours.manifest).toBe(cli.manifest);
    expect(ours.refusal).toMatch(new RegExp(`^flash build exits with code ${cli.exitCode} while re-importing \\S+ for its deployment config$`));
    return;
  }
  expect(fingerprintOf(ours.manifest)).toBe(fingerprintOf(cli.manifest));
  expect(ours).toEqual(cli);
}

describe("flash-ls manifest against runpod-flash 1.21.0's flash build", () => {
  it("has at least 25 fixtures, at least 5 of them through the real flash build", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(25);
    expect(realCliFixtures.length).toBeGreaterThanOrEqual(5);
    for (const fixture of Object.keys(SETUP)) expect(fixtures).toContain(fixture);
  });

  it.each(fixtures)("%s: same manifest bytes (generated_at masked), or same refusal and exit code, as run_build's own steps", (fixture) => {
    const { reference, ours } = runOf(fixture);
    expectSameOutcome(ours.outcome, reference.outcome);
    if (reference.outcome.exitCode === 0) {
      // The manifest builder's warnings (max_concurrency on LB, a client without image).
      for (const warning of reference.warnings) expect(ours.warnings).toContain(warning);
    }
  });

  it.each(realCliFixtures)("%s: the real `flash build` writes the same manifest, or refuses the same way", (fixture) => {
    const { reference, ours, realCli } = runOf(fixture);
    // The reference driver stands for `flash build` in the other fixtures: it must agree here.
    expect(reference.outcome).toEqual(realCli!.outcome);
    expectSameOutcome(ours.outcome, realCli!.outcome);
    if (realCli!.outcome.exitCode === 0) {
      for (const warning of reference.warnings) expect(realCli!.warnings).toContain(warning);
    }
  });
});
