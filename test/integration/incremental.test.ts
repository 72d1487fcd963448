// The invariant behind incremental scans: after any sequence of edits, the model
// built from partial rescans equals a fresh full scan. Random edit sequences
// (seeded, so a failure can be replayed) on a small project, 200+ steps a run.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProjectSession } from "../../shared/src/project/projectSession";
import type { ScanResult } from "../../shared/src/scan/scanResult";
import { seededRandom } from "../helpers/seededRandom";

const PYTHON = join(__dirname, "..", "..", ".tools", "venv", "bin", "python");
const STEPS = Number(process.env.FLASH_INCREMENTAL_STEPS ?? 200);
const SEED = Number(process.env.FLASH_INCREMENTAL_SEED ?? 20261127);

interface Module {
  path: string; // project-relative, e.g. "m3.py" or "lib/m6.py"
  imports: Set<string>; // module names, "import x" or "from x import *"
  starImports: Set<string>;
  endpoints: number[];
  broken: boolean;
  raises: boolean;
}

const moduleName = (path: string) => path.replace(/\.py$/, "").split("/").join(".");

function render(m: Module, all: Module[]): string {
  const lines = ["from runpod_flash import Endpoint"];
  for (const name of m.imports) lines.push(`import ${name}`);
  for (const name of m.starImports) lines.push(`from ${name} import *`);
  for (const id of m.endpoints) {
    // Some bodies call an endpoint of an imported module through its attribute.
    const target = all.find((o) => m.imports.has(moduleName(o.path)) && o.endpoints.length);
    const body = target && id % 2 === 0 ? `return await ${moduleName(target.path)}.f${target.endpoints[0]}(x)` : "return x";
    lines.push("", "", `@Endpoint(name="ep${id}", cpu="cpu3c-1-2")`, `async def f${id}(x):`, `    ${body}`);
  }
  if (m.raises) lines.push("", 'raise RuntimeError("boom at import")');
  if (m.broken) lines.push("", "def broken(:");
  return lines.join("\n") + "\n";
}

/** The model without what legitimately differs between two runs: timings, output, process ids. */
function comparable(scan: ScanResult) {
  return {
    ...scan,
    durationMs: 0,
    moduleTimesMs: {},
    output: "",
    clientEndpoints: scan.clientEndpoints.map((c) => ({ ...c, object_id: "" })),
    failures: scan.failures.map((f) => ({ ...f, failure: { ...f.failure, traceback: undefined } })),
  };
}

describe("incremental scans", () => {
  const root = join(mkdtempSync(join(tmpdir(), "flash-incr-")), "project");
  const sessions: ProjectSession[] = [];
  afterAll(() => {
    sessions.forEach((s) => s.dispose());
    rmSync(root, { recursive: true, force: true });
  });

  it(`equal a fresh full scan after each of ${STEPS} random edits (seed ${SEED})`, async () => {
    mkdirSync(join(root, "lib"), { recursive: true });
    const random = seededRandom(SEED);
    const pick = <T,>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
    let nextId = 0;
    let renames = 0;
    const modules: Module[] = Array.from({ length: 8 }, (_, i) => ({
      path: i < 6 ? `m${i}.py` : `lib/m${i}.py`,
      imports: new Set<string>(),
      starImports: new Set<string>(),
      endpoints: [nextId++],
      broken: false,
      raises: false,
    }));
    const writeAll = () => modules.forEach((m) => writeFileSync(join(root, m.path), render(m, modules)));
    writeAll();

    const incremental = new ProjectSession({ root, python: PYTHON, timeoutSeconds: 10 });
    const reference = new ProjectSession({ root, python: PYTHON, timeoutSeconds: 10 });
    sessions.push(incremental, reference);
    await incremental.request("full");
    expect(incremental.problem).toBeNull();

    let partial = 0;
    const kinds: Record<string, number> = {};
    for (let step = 0; step < STEPS; step++) {
      const m = pick(modules);
      const others = modules.filter((o) => o !== m);
      const kind = pick(["add-endpoint", "remove-endpoint", "break", "fix", "import", "unimport", "star-import", "raise", "rename"]);
      kinds[kind] = (kinds[kind] ?? 0) + 1;
      let structural = false;
      if (kind === "add-endpoint") m.endpoints.push(nextId++);
      else if (kind === "remove-endpoint") m.endpoints.pop();
      else if (kind === "break") m.broken = true;
      else if (kind === "fix") m.broken = m.raises = false;
      else if (kind === "raise") m.raises = !m.raises;
      else if (kind === "import") m.imports.add(moduleName(pick(others).path));
      else if (kind === "unimport") m.imports.clear(), m.starImports.clear();
      else if (kind === "star-import") m.starImports.add(moduleName(pick(others).path));
      else {
        const renamed = m.path.replace(/m(\d+)(_r\d+)?\.py$/, `m$1_r${++renames}.py`);
        renameSync(join(root, m.path), join(root, renamed));
        m.path = renamed;
        structural = true;
      }
      writeFileSync(join(root, m.path), render(m, modules));
      await incremental.request(structural ? "full" : [m.path]);
      if (!incremental.lastRun?.full) partial++;
      await reference.request("full");
      const expected = comparable(reference.scan!);
      const actual = comparable(incremental.scan!);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        expect({ step, kind, file: m.path, model: actual }).toEqual({ step, kind, file: m.path, model: expected });
      }
    }
    // The property only means something if most steps were partial rescans.
    expect(partial).toBeGreaterThan(STEPS * 0.7);
    console.log(`incremental property: ${STEPS} steps, ${partial} partial rescans, edits ${JSON.stringify(kinds)}`);
  }, 600_000);
});
