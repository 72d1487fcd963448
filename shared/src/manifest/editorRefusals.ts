// The manifest refusals an editor can show on every save, without re-importing
// anything: the pure builder run on the scan alone. Deployment config is stood in
// for by what the scan saw of each resource (only python_version matters to a
// refusal), so what this finds is what `flash build` would refuse for.
import type { PlacedRefusal } from "../diagnostics/computeDiagnostics";
import type { Position } from "../probe/probeMessages";
import type { ScanResult } from "../scan/scanResult";
import { buildManifest } from "./buildManifest";
import { deployConfigRequest, type DeployEvent } from "./deployConfigs";

export function editorRefusals(scan: ScanResult): PlacedRefusal[] {
  // Import failures and discovery errors already have diagnostics of their own.
  if (scan.importErrors.length || scan.discoveryError || scan.functions.length === 0) return [];
  const request = deployConfigRequest(scan);
  const pythonVersionOf = new Map<string, unknown>();
  for (const f of scan.functions) {
    if (!pythonVersionOf.has(f.meta.resource_config_name)) pythonVersionOf.set(f.meta.resource_config_name, f.resource.python_version);
  }
  const events: DeployEvent[] = [
    ...request.resources.map((r) => {
      const v = pythonVersionOf.get(r.name);
      return { t: "deploy" as const, kind: "resources" as const, name: r.name, configJson: JSON.stringify(typeof v === "string" && v ? { python_version: v } : {}) };
    }),
    ...request.clients.map((c) => ({ t: "deploy" as const, kind: "clients" as const, name: c.name, configJson: "{}" })),
  ];
  const outcome = buildManifest(scan, { events }, {
    projectName: "editor",
    generatedAt: "",
    sourceFingerprint: "",
    defaultPythonVersion: scan.interpreter.defaultPythonVersion ?? "3.12",
    supportedPythonVersions: scan.interpreter.supportedPythonVersions,
  });
  if (outcome.ok) return [];
  return outcome.refusals
    .filter((r) => r.cause !== "import" && r.cause !== "discovery")
    .map((r) => ({
      code: `manifest-${r.cause}`,
      message: r.message,
      sites: r.sites.map((s, i) => s ?? { file: r.files[i], line: 1, col: 0 }).filter((s): s is Position => !!s?.file),
    }));
}
