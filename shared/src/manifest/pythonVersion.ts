// ManifestBuilder._reconcile_python_version: one tarball serves every resource, so the
// app gets one Python version — the override, else the one declared version, else the
// SDK's default — and a refusal, in the CLI's words, when declarations disagree.
import { cliMessages } from "./cliMessages";
import { pySorted } from "./pyRepr";

export interface DeclaredVersion {
  /** Resource name (a key of the manifest's resources). */
  name: string;
  /** Its deployment config's python_version; only truthy values count, as in the CLI. */
  version: string;
}

export interface PythonVersionOptions {
  /** `flash build --python-version`; an empty string counts as absent (the CLI tests truthiness). */
  override?: string;
  defaultVersion: string;
  supportedVersions: string[];
}

export type PythonVersionChoice =
  | { ok: true; version: string; source: "override" | "declared" | "default" }
  /** `names`: the resources the message names (empty when only the override is at fault). */
  | { ok: false; message: string; names: string[] };

/** `declared` in resources_dict order (decorated resources sorted, then client endpoints). */
export function reconcilePythonVersion(declared: DeclaredVersion[], options: PythonVersionOptions): PythonVersionChoice {
  const perResource = new Map<string, string>();
  for (const d of declared) if (d.version) perResource.set(d.name, d.version);
  const distinct = new Set(perResource.values());
  const details = (names: string[]) => names.map((n) => `${n}=${perResource.get(n)}`).join(", ");

  if (options.override) {
    const chosen = options.override;
    if (!options.supportedVersions.includes(chosen)) {
      return { ok: false, message: cliMessages.unsupportedPython(chosen, options.supportedVersions), names: [] };
    }
    const conflicting = pySorted([...perResource.keys()].filter((n) => perResource.get(n) !== chosen));
    if (conflicting.length > 0) {
      return { ok: false, message: cliMessages.overrideConflict(chosen, details(conflicting)), names: conflicting };
    }
    return { ok: true, version: chosen, source: "override" };
  }

  if (distinct.size > 1) {
    const names = pySorted(perResource.keys());
    const message = cliMessages.versionConflict(pySorted(distinct), details(names), options.defaultVersion);
    return { ok: false, message, names };
  }

  if (distinct.size === 1) {
    const only = [...distinct][0];
    if (!options.supportedVersions.includes(only)) {
      return { ok: false, message: cliMessages.unsupportedPython(only, options.supportedVersions), names: [...perResource.keys()] };
    }
    return { ok: true, version: only, source: "declared" };
  }

  return { ok: true, version: options.defaultVersion, source: "default" };
}
