// `flash-ls scan --no-exec` runs nothing (a marker-file test), and `--memory-limit`
// (default 4096 MB) is the ceiling a module that allocates without end runs into.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PYTHON, REPO_ROOT } from "../helpers/paths";
import { hashTree } from "../helpers/treeHash";
import { HOSTILE_FIXTURES, notFlashDir } from "./hostileRun";

const CLI = join(REPO_ROOT, "dist", "cli.js");
const temp = realpathSync(mkdtempSync(join(tmpdir(), "flash-cli-flags-")));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function copy(name: string): string {
  const project = join(temp, name);
  if (!existsSync(project)) cpSync(join(HOSTILE_FIXTURES, name), project, { recursive: true });
  return project;
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env: { ...process.env, ...env }, timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The endpoint lines of a tree, without the header that says how it was made. */
const endpointSection = (tree: string) => tree.slice(tree.indexOf("\nEndpoints ("));

describe("flash-ls scan --no-exec", () => {
  it("imports no module: the markers the modules write at import do not appear, with or without an interpreter", () => {
    const project = copy("writes-a-marker-at-import");
    const marker = join(temp, "imported");
    const before = hashTree(project);
    for (const python of ["/nonexistent/python3", PYTHON]) {
      const run = cli(["scan", project, "--no-exec", "--python", python], { FLASH_TEST_MARKER: marker });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(run.stdout.split("\n").slice(0, 2)).toEqual([
        `Flash project ${project}  (static: no code was run)`,
        "  2 modules read; decorators only, so endpoints made by factories, loops or conditions are missed",
      ]);
      expect(existsSync(marker)).toBe(false);
      expect(existsSync(`${marker}.worker`)).toBe(false);
    }
    expect(hashTree(project)).toEqual(before);
  });

  it("prints the endpoints a real scan finds, which does import both modules", () => {
    const project = copy("writes-a-marker-at-import");
    const marker = join(temp, "imported-for-real");
    const staticRun = cli(["scan", project, "--no-exec"], { FLASH_TEST_MARKER: marker });
    const realRun = cli(["scan", project, "--python", PYTHON], { FLASH_TEST_MARKER: marker });
    expect(realRun.status).toBe(0);
    expect(existsSync(marker) && existsSync(`${marker}.worker`)).toBe(true);
    expect(endpointSection(staticRun.stdout)).toBe(endpointSection(realRun.stdout));
    expect(endpointSection(staticRun.stdout)).toBe(
      [
        "",
        "Endpoints (2)",
        "  marker-api  CpuLiveLoadBalancer · load-balanced · cpu cpu3c-1-2 · workers 1–2  api.py:9",
        "    POST   /echo → echo  async  api.py:13",
        "  marker-worker  LiveServerless · queue · gpu ADA_24 · workers 0–1  worker.py:9",
        "    work(prompt, steps)  async  worker.py:10",
        "",
      ].join("\n"),
    );
  });

  it("exits 1, like scan, when reading the decorators finds a problem", () => {
    const run = cli(["scan", join(REPO_ROOT, "test", "fixtures", "scan", "lb-endpoint-without-name"), "--no-exec"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      "Problems (1)\n  routes.py:6:2  ValueError: name is required for load-balanced endpoints. use Endpoint(name='my-api', ...) when registering routes.",
    );
  });
});

describe("flash-ls --memory-limit", () => {
  type Json = { failures: { file: string; failure: { kind: string; message: string; location: { line: number } | null } }[]; functions: unknown[] };

  it.each([
    [["--memory-limit", "1024"], 1024],
    [[], 4096],
  ])("scan %j: the module that allocates 16 GB gets a memory record naming the %i MB limit", (flags, mb) => {
    const project = copy("allocates-beyond-memory-limit");
    const before = hashTree(project, notFlashDir);
    const run = cli(["scan", project, "--json", "--python", PYTHON, "--timeout", "10", ...flags]);
    expect(run.status).toBe(1);
    const scan = JSON.parse(run.stdout) as Json;
    expect(scan.failures.map((f) => [f.file, f.failure.kind, f.failure.message, f.failure.location?.line])).toEqual([
      ["hog.py", "memory", `MemoryError: the import of hog.py used more than ${mb} MB, the scan's memory limit (flash.scan.memoryLimitMB, --memory-limit)`, 12],
    ]);
    expect(scan.functions).toHaveLength(3);
    expect(hashTree(project, notFlashDir)).toEqual(before);
  });

  it("refuses a limit below 64 MB as a usage error", () => {
    const run = cli(["manifest", copy("allocates-beyond-memory-limit"), "--memory-limit", "10", "--python", PYTHON]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("flash-ls: --memory-limit takes a number of megabytes, at least 64, not '10'\n");
  });
});
