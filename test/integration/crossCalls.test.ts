// Cross-calls resolved by identity (ours) beside the CLI's name-only pass
// (RemoteFunctionMetadata.called_remote_functions): both facts, side by side.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanProject } from "../../shared/src/scan/scanProject";
import type { DiscoveredFunction, ScanResult } from "../../shared/src/scan/scanResult";
import { PYTHON } from "../helpers/paths";
import { referenceScan, type ReferenceOutput } from "../helpers/referenceScan";
import { TempProjects } from "../helpers/tempProjects";

const projects = new TempProjects();
afterAll(() => projects.removeAll());

interface Scanned {
  ours: ScanResult;
  reference: Extract<ReferenceOutput, { functions: unknown }>;
}

async function scanBoth(fixture: string): Promise<Scanned> {
  const [ours, reference] = await Promise.all([
    scanProject(projects.copy(fixture), { python: PYTHON }),
    referenceScan(projects.copy(fixture)),
  ]);
  if ("raised" in reference) throw new Error(`reference raised: ${reference.raised}`);
  return { ours, reference };
}

function indexOf(functions: DiscoveredFunction[], file: string, name: string): number {
  const i = functions.findIndex((f) => f.meta.file_path === file && f.meta.function_name === name);
  expect(i, `${file}:${name} discovered`).toBeGreaterThanOrEqual(0);
  return i;
}

function cliCalls(reference: Scanned["reference"], file: string, name: string): string[] {
  const meta = reference.functions.find((f) => f.file_path === file && f.function_name === name);
  if (!meta) throw new Error(`reference did not discover ${file}:${name}`);
  return meta.called_remote_functions;
}

describe("cross-calls", () => {
  describe("a local helper named like an endpoint (cross-call-same-named-helper)", () => {
    let scanned: Scanned;
    beforeAll(async () => {
      scanned = await scanBoth("cross-call-same-named-helper");
    });

    it("the CLI's name-based pass counts the helper call as a call to the preprocess endpoint", () => {
      expect(cliCalls(scanned.reference, "api.py", "handle")).toEqual(["preprocess"]);
      // Ours carries the CLI's field unchanged, for the manifest.
      const handle = scanned.ours.functions[indexOf(scanned.ours.functions, "api.py", "handle")];
      expect(handle.meta.calls_remote_functions).toBe(true);
      expect(handle.meta.called_remote_functions).toEqual(["preprocess"]);
    });

    it("identity resolution rejects it: no edge from handle to the preprocess endpoint", () => {
      const { functions, crossCalls } = scanned.ours;
      const handle = indexOf(functions, "api.py", "handle");
      const preprocess = indexOf(functions, "prep_worker.py", "preprocess");
      expect(crossCalls.filter((c) => c.from === handle)).toEqual([]);
      expect(crossCalls.filter((c) => c.to === preprocess)).toEqual([]);
    });
  });

  describe("an attribute call gpu_worker.infer(...) (cross-call-attribute-call)", () => {
    let scanned: Scanned;
    beforeAll(async () => {
      scanned = await scanBoth("cross-call-attribute-call");
    });

    it("the CLI's name-based pass misses it", () => {
      expect(cliCalls(scanned.reference, "pipeline.py", "run")).toEqual([]);
      const run = scanned.ours.functions[indexOf(scanned.ours.functions, "pipeline.py", "run")];
      expect(run.meta.calls_remote_functions).toBe(false);
      expect(run.meta.called_remote_functions).toEqual([]);
    });

    it("identity resolution finds it: one edge run → infer at the call in pipeline.py", () => {
      const { functions, crossCalls } = scanned.ours;
      const run = indexOf(functions, "pipeline.py", "run");
      const infer = indexOf(functions, "gpu_worker.py", "infer");
      expect(crossCalls).toHaveLength(1);
      expect(crossCalls[0]).toMatchObject({ from: run, to: infer, text: "gpu_worker.infer" });
      // `gpu_worker.infer` in `return await gpu_worker.infer(prompt)`, line 8.
      expect(crossCalls[0].at).toMatchObject({ file: "pipeline.py", line: 8, col: 17, endLine: 8, endCol: 33 });
    });
  });
});
