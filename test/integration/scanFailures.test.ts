// What a scan reports when user code fails, hangs or ends the process at import:
// one exact record per failing module, and every healthy module still scanned.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { scanProject } from "../../shared/src/scan/scanProject";
import type { ModuleFailure, ScanResult } from "../../shared/src/scan/scanResult";
import { factsFromReference, factsFromScan } from "../helpers/cliFacts";
import { PYTHON } from "../helpers/paths";
import { referenceScan } from "../helpers/referenceScan";
import { TempProjects } from "../helpers/tempProjects";
import { hashTree } from "../helpers/treeHash";

const projects = new TempProjects();
afterAll(() => projects.removeAll());

async function scanFixture(fixture: string, timeoutSeconds?: number): Promise<ScanResult> {
  return scanProject(projects.copy(fixture), { python: PYTHON, timeoutSeconds });
}

/** The one failure recorded for `file`; a second record for the same file is a bug too. */
function failureOf(scan: ScanResult, file: string): ModuleFailure {
  const found = scan.failures.filter((f) => f.file === file);
  expect(found, `failures for ${file}`).toHaveLength(1);
  return found[0];
}

function endpointNames(scan: ScanResult): string[] {
  return scan.functions.map((f) => `${f.meta.file_path}:${f.meta.function_name}`);
}

describe("scan failures", () => {
  it("a syntax error is kind syntax at the line and column Python reports, and the healthy module is scanned", async () => {
    const scan = await scanFixture("syntax-error");
    const f = failureOf(scan, "broken.py");
    expect(f.inImportErrors).toBe(true);
    expect(f.failure.message).toBe("SyntaxError: expected ':' (broken.py, line 5)");
    expect(f.failure.type).toBe("SyntaxError");
    expect(f.failure.kind).toBe("syntax");
    expect(f.failure.location).toMatchObject({ file: "broken.py", line: 5, col: 31 });
    expect(scan.importErrors).toEqual([{ file: "broken.py", message: "SyntaxError: expected ':' (broken.py, line 5)" }]);
    expect(endpointNames(scan)).toEqual(["healthy.py:healthy"]);
  });

  it("a missing third-party module declared in dependencies= is kind missing-module at the import line", async () => {
    const scan = await scanFixture("missing-declared-dependency");
    const f = failureOf(scan, "summarizer.py");
    expect(f.inImportErrors).toBe(true);
    expect(f.failure.message).toBe("ModuleNotFoundError: No module named 'transformers'");
    expect(f.failure.type).toBe("ModuleNotFoundError");
    expect(f.failure.kind).toBe("missing-module");
    expect(f.failure.location).toMatchObject({ file: "summarizer.py", line: 4, col: 0 });
    expect(f.failure.missingModule).toEqual({
      name: "transformers",
      local: false,
      declaredInDependencies: true,
      dependency: "transformers>=4.40",
    });
    expect(endpointNames(scan)).toEqual(["health.py:health"]);
  });

  it("a missing module inside a project folder is kind missing-module, local, not declared", async () => {
    const scan = await scanFixture("missing-local-module");
    const f = failureOf(scan, "thumbnails.py");
    expect(f.inImportErrors).toBe(true);
    expect(f.failure.message).toBe("ModuleNotFoundError: No module named 'common.imaging'");
    expect(f.failure.kind).toBe("missing-module");
    expect(f.failure.location).toMatchObject({ file: "thumbnails.py", line: 4, col: 0 });
    expect(f.failure.missingModule).toEqual({ name: "common.imaging", local: true, declaredInDependencies: false });
    // common/text.py is scanned too (it defines no endpoint) and must not fail.
    expect(scan.failures.map((x) => x.file)).toEqual(["thumbnails.py"]);
    expect(endpointNames(scan)).toEqual(["captions.py:caption"]);
  });

  it("an exception raised at import is kind exception at the raising line", async () => {
    const scan = await scanFixture("exception-at-import");
    const f = failureOf(scan, "model_server.py");
    expect(f.inImportErrors).toBe(true);
    expect(f.failure.message).toBe("RuntimeError: FLASH_FIXTURE_MODEL_DIR is not set; export it before building");
    expect(f.failure.type).toBe("RuntimeError");
    expect(f.failure.kind).toBe("exception");
    expect(f.failure.location).toMatchObject({ file: "model_server.py", line: 7, col: 4 });
    expect(endpointNames(scan)).toEqual(["status.py:status"]);
  });

  it("an LB route on an Endpoint without name= is kind validation at the @api.get decorator", async () => {
    const scan = await scanFixture("lb-endpoint-without-name");
    const f = failureOf(scan, "routes.py");
    expect(f.inImportErrors).toBe(true);
    expect(f.failure.message).toBe(
      "ValueError: name is required for load-balanced endpoints. use Endpoint(name='my-api', ...) when registering routes.",
    );
    expect(f.failure.type).toBe("ValueError");
    expect(f.failure.kind).toBe("validation");
    // Python's own position for the failing call: `api.get("/x")`, after the '@'.
    expect(f.failure.location).toMatchObject({ file: "routes.py", line: 6, col: 1 });
    expect(endpointNames(scan)).toEqual(["named.py:get_y"]);
  });

  it("a module that sleeps past a 2 s deadline is kind timeout at time.sleep, within deadline + 1 s, the rest scanned", async () => {
    const withoutSleeper = projects.copy("module-sleeps-at-import");
    rmSync(join(withoutSleeper, "slow.py"));
    // Unmeasured warm-up, so the baseline and the measured scan start alike.
    await scanProject(projects.copy("syntax-error"), { python: PYTHON, timeoutSeconds: 2 });

    let started = performance.now();
    await scanProject(withoutSleeper, { python: PYTHON, timeoutSeconds: 2 });
    const baselineMs = performance.now() - started;

    const project = projects.copy("module-sleeps-at-import");
    started = performance.now();
    const scan = await scanProject(project, { python: PYTHON, timeoutSeconds: 2 });
    const totalMs = performance.now() - started;

    expect(totalMs).toBeLessThan(2000 + 1000 + baselineMs);
    const f = failureOf(scan, "slow.py");
    expect(f.failure.message).toBe("TimeoutError: import of slow.py timed out after 2s (module-level code may be blocking)");
    expect(f.failure.type).toBe("TimeoutError");
    expect(f.failure.kind).toBe("timeout");
    expect(f.failure.location).toMatchObject({ file: "slow.py", line: 12, col: 0 });
    expect(f.inImportErrors).toBe(true);
    expect(endpointNames(scan)).toEqual(["api.py:before", "worker.py:after"]);
  }, 120_000);

  it("sys.exit(3) at import is kind exit, code 3, not an import error, and endpoints before it are kept", async () => {
    const scan = await scanFixture("sys-exit-after-endpoint");
    const f = failureOf(scan, "cli_script.py");
    expect(f.inImportErrors).toBe(false);
    expect(f.exitCode).toBe(3);
    expect(f.failure.message).toBe("SystemExit: 3");
    expect(f.failure.type).toBe("SystemExit");
    expect(f.failure.kind).toBe("exit");
    expect(f.failure.location).toMatchObject({ file: "cli_script.py", line: 16, col: 0 });
    expect(scan.importErrors).toEqual([]);
    // As the CLI does: the half-executed module is kept; after_exit was never defined.
    expect(endpointNames(scan)).toEqual(["cli_script.py:before_exit", "other.py:neighbour"]);
  });

  it("os._exit(1) at import is kind exit, code 1, and the other modules' results are intact", async () => {
    const scan = await scanFixture("os-exit-at-import");
    const f = failureOf(scan, "killer.py");
    expect(f.inImportErrors).toBe(false);
    expect(f.exitCode).toBe(1);
    expect(f.failure.kind).toBe("exit");
    expect(f.failure.message).toContain("os._exit(1)");
    expect(f.failure.location).toMatchObject({ file: "killer.py", line: 12, col: 0 });
    expect(scan.importErrors).toEqual([]);
    expect(endpointNames(scan)).toEqual(["alpha.py:alpha", "zulu.py:zulu"]);
    expect(scan.functions.map((x) => x.meta.resource_config_name)).toEqual(["alpha", "zulu"]);
  });

  it("a module printing 10 MB to stdout leaves the facts intact and equal to flash build's", async () => {
    const [ours, reference] = await Promise.all([
      scanFixture("prints-10mb-to-stdout"),
      referenceScan(projects.copy("prints-10mb-to-stdout")),
    ]);
    if ("raised" in reference) throw new Error(`reference raised: ${reference.raised}`);
    expect(ours.failures).toEqual([]);
    expect(endpointNames(ours)).toEqual(["chatty.py:chatty", "quiet.py:quiet"]);
    expect(factsFromScan(ours)).toEqual(factsFromReference(reference));
  });

  it.each(["subpackages-without-init-relative-imports", "cross-call-attribute-call", "sys-exit-after-endpoint", "prints-10mb-to-stdout"])(
    "%s: the project folder is byte-for-byte unchanged after a scan, apart from runpod_flash's own .flash/",
    async (fixture) => {
      const project = projects.copy(fixture);
      const notFlash = (rel: string) => rel === ".flash" || rel.startsWith(".flash/");
      const before = hashTree(project, notFlash);
      // A user's environment rarely sets this; without it an import writes __pycache__/.
      const saved = process.env.PYTHONDONTWRITEBYTECODE;
      delete process.env.PYTHONDONTWRITEBYTECODE;
      try {
        const scan = await scanProject(project, { python: PYTHON });
        expect(scan.functions.length).toBeGreaterThan(0);
      } finally {
        if (saved !== undefined) process.env.PYTHONDONTWRITEBYTECODE = saved;
      }
      expect(hashTree(project, notFlash)).toEqual(before);
    },
  );
});
