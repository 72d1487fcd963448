// "Build manifest" over LSP: the same shared core as `flash-ls manifest`.
import { join } from "node:path";
import type { BuildManifestResult } from "../../shared/src/protocol/flashProtocol";
import { runManifest } from "../../shared/src/manifest/runManifest";
import { fileUri } from "../../shared/src/model/toEndpointModel";
import type { Folder } from "./folder";

export async function buildManifestFor(folder: Folder | null, pythonVersion?: string): Promise<BuildManifestResult> {
  if (!folder) return { ok: false, exitCode: 2, refusals: [{ message: "no workspace folder to build", locations: [] }] };
  if (!folder.python) return { ok: false, exitCode: 2, refusals: [{ message: "no Python interpreter found for this folder", locations: [] }] };
  const started = performance.now();
  const outcome = await runManifest({
    root: folder.root,
    python: folder.python,
    timeoutSeconds: folder.settings.scan.timeoutSeconds,
    memoryLimitMB: folder.settings.scan.memoryLimitMB,
    pythonVersion,
    out: join(folder.root, ".flash", "flash_manifest.json"),
    session: folder.session ?? undefined,
  });
  if (outcome.ok) {
    return { ok: true, path: outcome.path, resources: outcome.resources, functions: outcome.functions, routes: outcome.routes, durationMs: performance.now() - started };
  }
  return {
    ok: false,
    exitCode: outcome.exitCode,
    refusals: outcome.refusals.map((r) => ({
      message: r.message,
      locations: r.sites.map((s, i) => (s ? { uri: fileUri(folder.root, s.file), line: s.line - 1 } : { uri: fileUri(folder.root, r.files[i] ?? ""), line: 0 })),
    })),
  };
}
