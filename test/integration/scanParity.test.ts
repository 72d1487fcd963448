// Our scan against runpod-flash 1.21.0's own RuntimeScanner, fixture by fixture:
// the RemoteFunctionMetadata list (every field, in order), import_errors (file and
// message, in order) and the client endpoints must be exactly what `flash build` sees.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanProject } from "../../shared/src/scan/scanProject";
import type { ScanResult } from "../../shared/src/scan/scanResult";
import { factsFromReference, factsFromScan } from "../helpers/cliFacts";
import { mapLimit } from "../helpers/concurrency";
import { PYTHON } from "../helpers/paths";
import { referenceScan, type ReferenceOptions, type ReferenceOutput } from "../helpers/referenceScan";
import { TempProjects, listScanFixtures } from "../helpers/tempProjects";

interface ParitySetup {
  /** Per-module deadline for both sides (the reference's 30 s constant is replaced). */
  timeoutSeconds?: number;
  /** Files the reference leaves out because they would end its process. */
  referenceOmits?: string[];
}

// Fixtures that stop or hang the CLI, and how each is still compared:
// - module-sleeps-at-import: the CLI abandons the import after its deadline and
//   carries on; both sides get a 2 s deadline so the test does not wait 30 s.
// - os-exit-at-import: os._exit(1) kills `flash build` outright, so the CLI has no
//   results to compare. The reference runs without killer.py; everything else
//   must match. What we report for killer.py itself is checked in scanFailures.
const SETUP: Record<string, ParitySetup> = {
  "module-sleeps-at-import": { timeoutSeconds: 2 },
  "os-exit-at-import": { referenceOmits: ["killer.py"] },
};

interface ParityRun {
  reference: ReferenceOutput;
  referenceProject: string;
  ours: ScanResult;
  oursProject: string;
}

const fixtures = listScanFixtures();
const projects = new TempProjects();
const runs = new Map<string, ParityRun | Error>();

async function runBoth(fixture: string): Promise<ParityRun> {
  const setup = SETUP[fixture] ?? {};
  const referenceProject = projects.copy(fixture);
  const oursProject = projects.copy(fixture);
  const referenceOptions: ReferenceOptions = { timeoutSeconds: setup.timeoutSeconds, omit: setup.referenceOmits };
  const reference = await referenceScan(referenceProject, referenceOptions);
  const ours = await scanProject(oursProject, { python: PYTHON, timeoutSeconds: setup.timeoutSeconds });
  return { reference, referenceProject, ours, oursProject };
}

beforeAll(async () => {
  // Two fixtures at a time, each running one Python process after the other.
  await mapLimit(fixtures, 2, async (fixture) => {
    try {
      runs.set(fixture, await runBoth(fixture));
    } catch (e) {
      runs.set(fixture, e instanceof Error ? e : new Error(String(e)));
    }
  });
}, 600_000);

afterAll(() => projects.removeAll());

function runOf(fixture: string): ParityRun {
  const run = runs.get(fixture);
  if (run === undefined) throw new Error(`no run for ${fixture}`);
  if (run instanceof Error) throw run;
  return run;
}

/**
 * Each side ran in its own temp copy, so absolute paths in messages (a user's
 * `open(Path(__file__).parent / ...)`) name different roots: map both roots to
 * one placeholder, keeping whether the path pointed into the build copy.
 */
function placeholderPaths(text: string, project: string): string {
  return text.split(`${project}/.flash/.build/`).join("<build>/").split(`${project}/`).join("<project>/");
}

describe("scan parity with runpod-flash 1.21.0's RuntimeScanner", () => {
  it("has at least 22 fixtures, every one compared", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(22);
    for (const fixture of Object.keys(SETUP)) expect(fixtures).toContain(fixture);
  });

  it.each(fixtures)("%s: same functions, import errors and client endpoints as flash build", (fixture) => {
    const { reference, referenceProject, ours, oursProject } = runOf(fixture);
    if ("raised" in reference) {
      // Discovery itself raised: `flash build` prints str(e) (no type name) and
      // stops. Ours must carry that text; the CLI names files by absolute paths in
      // its build copy, ours by project-relative paths, so that prefix is dropped.
      const separator = reference.raised.indexOf(": ");
      const printed = reference.raised.slice(separator + 2);
      expect(ours.discoveryError?.message).toBe(printed.split(`${referenceProject}/.flash/.build/`).join(""));
      return;
    }
    expect(ours.discoveryError).toBeUndefined();
    const expected = factsFromReference(reference);
    const actual = factsFromScan(ours);
    expect(actual.functions).toEqual(expected.functions);
    expect(actual.importErrors.map((e) => ({ ...e, message: placeholderPaths(e.message, oursProject) }))).toEqual(
      expected.importErrors.map((e) => ({ ...e, message: placeholderPaths(e.message, referenceProject) })),
    );
    expect(actual.clientEndpoints).toEqual(expected.clientEndpoints);
  });
});
