// Every hostile case through the CLI's engine (`flash-ls scan`: a fresh probe process,
// restarted after a crash or a kill): the scan ends in time, the hostile module gets
// its exact record, every other module its facts, nothing keeps running and the
// project is byte-for-byte what it was.
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanProjectWithProbe } from "../../shared/src/scan/scanProject";
import { PYTHON, REPO_ROOT } from "../helpers/paths";
import { hashTree } from "../helpers/treeHash";
import { DEADLINE_S, HOSTILE_CASES, MEMORY_LIMIT_MB } from "./hostileCases";
import { expectCaseFacts, HOSTILE_FIXTURES, HostileProjects, notFlashDir, saveFigures } from "./hostileRun";
import { freshRunTag, leftovers } from "./processTable";

const projects = new HostileProjects();
const figures: Record<string, { recordMs: number | null; moduleMs: number | null; totalMs: number; restarts: number }> = {};
let baselineMs = 0;

beforeAll(async () => {
  // A cold scan of the healthy modules alone: interpreter start, SDK import, two imports.
  const project = projects.copy({ ...HOSTILE_CASES[0], setup: (p) => rmSync(join(p, "spin.py")) });
  const started = performance.now();
  await scanProjectWithProbe(project, { python: PYTHON, timeoutSeconds: DEADLINE_S });
  baselineMs = performance.now() - started;
}, 60_000);

afterAll(() => {
  saveFigures("cli", { baselineMs: Math.round(baselineMs), cases: figures });
  projects.removeAll();
});

describe("hostile modules through the CLI engine", () => {
  it.each(HOSTILE_CASES.map((c) => [c.name, c] as const))("%s", async (name, c) => {
    const project = projects.copy(c);
    const before = hashTree(project, notFlashDir);
    const tag = freshRunTag(name);
    let recordMs: number | null = null;
    const started = performance.now();
    const { scan, outcome } = await scanProjectWithProbe(project, {
      python: PYTHON,
      timeoutSeconds: DEADLINE_S,
      memoryLimitMB: MEMORY_LIMIT_MB,
      onProgress: (_done, _total, file) => {
        if (file === c.file) recordMs = performance.now() - started;
      },
    });
    const totalMs = performance.now() - started;
    const moduleMs = scan.moduleTimesMs[c.file] ?? null;
    figures[name] = { recordMs: recordMs && Math.round(recordMs), moduleMs: moduleMs && Math.round(moduleMs), totalMs: Math.round(totalMs), restarts: outcome.restarts };

    expectCaseFacts(c, scan);
    // Within the deadline plus the 2 s grace of the module's start; the scan as a whole
    // pays one cold start per restart on top.
    expect(moduleMs!).toBeLessThan((DEADLINE_S + 2) * 1000 + 500);
    expect(totalMs).toBeLessThan(baselineMs * (1 + outcome.restarts) + (DEADLINE_S + 2) * 1000 + 1500);
    expect(await leftovers(tag, c.marker && `${c.marker}${project}`)).toEqual([]);
    expect(hashTree(project, notFlashDir)).toEqual(before);
  });
});

// As root, chmod 000 does not stop a read: the case above scans secret.py like any
// module. Run as an unprivileged user, the file really is unreadable.
const asNobody = process.getuid?.() === 0 && spawnSync("setpriv", ["--help"]).status === 0;
// The venv's interpreter may live where nobody cannot go (e.g. under /root with pyenv):
// run the system Python 3.11 on the venv's packages instead.
const SITE_PACKAGES = join(REPO_ROOT, ".tools", "venv", "lib", "python3.11", "site-packages");
const NOBODY_PYTHON = "/usr/bin/python3.11";

describe.runIf(asNobody && existsSync(NOBODY_PYTHON) && existsSync(SITE_PACKAGES))("an unreadable module, scanned by an unprivileged user", () => {
  it("gets a PermissionError record of its own and the other modules are scanned", () => {
    const parent = realpathSync(mkdtempSync(join(tmpdir(), "flash-hostile-nobody-")));
    try {
      chmodSync(parent, 0o755);
      const project = join(parent, "unreadable-file");
      cpSync(join(HOSTILE_FIXTURES, "unreadable-file"), project, { recursive: true });
      const temp = join(parent, "tmp");
      mkdirSync(temp, { mode: 0o777 });
      chmodSync(temp, 0o777);
      spawnSync("chmod", ["-R", "a+rwX", project]);
      chmodSync(join(project, "secret.py"), 0o000);
      // The checkout may sit in a folder nobody cannot enter (a 0700 temp clone): give
      // nobody its own copy of the bundle and hard links to the packages.
      const dist = join(parent, "dist");
      cpSync(join(REPO_ROOT, "dist"), dist, { recursive: true, filter: (src) => !src.endsWith(".map") });
      const site = join(parent, "site-packages");
      if (spawnSync("cp", ["-al", SITE_PACKAGES, site]).status !== 0) cpSync(SITE_PACKAGES, site, { recursive: true });
      spawnSync("chmod", ["-R", "a+rX", dist, site]);
      const run = spawnSync(
        "setpriv",
        ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, join(dist, "cli.js"), "scan", project, "--json", "--python", NOBODY_PYTHON, "--timeout", String(DEADLINE_S)],
        { encoding: "utf8", env: { ...process.env, HOME: temp, TMPDIR: temp, PYTHONPATH: site }, timeout: 60_000 },
      );
      expect(run.stderr).not.toContain("internal error");
      expect(run.status).toBe(1);
      const scan = JSON.parse(run.stdout) as { failures: { file: string; failure: { type: string; kind: string } }[]; functions: { meta: { file_path: string } }[] };
      expect(scan.failures.map((f) => [f.file, f.failure.type])).toEqual([["secret.py", "PermissionError"]]);
      expect(scan.functions.map((f) => f.meta.file_path).sort()).toEqual(["alpha.py", "zulu.py"]);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
