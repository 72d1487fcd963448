// Which modules a save can change, and how partial probe results merge into the
// model. Pure: the project session does the I/O.
import type { ModuleResult } from "../probe/probeMessages";

/** Every module that imports one of `changed`, directly or through others, plus `changed`. */
export function withDependents(changed: Iterable<string>, imports: Record<string, string[]>): Set<string> {
  const importers = new Map<string, string[]>();
  for (const [module, deps] of Object.entries(imports)) {
    for (const dep of deps) {
      if (!importers.has(dep)) importers.set(dep, []);
      importers.get(dep)!.push(module);
    }
  }
  const out = new Set<string>();
  const queue = [...changed];
  while (queue.length) {
    const file = queue.pop()!;
    if (out.has(file)) continue;
    out.add(file);
    for (const importer of importers.get(file) ?? []) queue.push(importer);
  }
  return out;
}

/** The modules to re-import after `changed` files were saved, in the scan order. */
export function modulesToRescan(changed: Iterable<string>, modules: string[], imports: Record<string, string[]>): string[] {
  const affected = withDependents(changed, imports);
  return modules.filter((m) => affected.has(m));
}

/** The module results of the whole project after a partial rescan, in scan order. */
export function mergeResults(previous: Map<string, ModuleResult>, fresh: ModuleResult[], modules: string[]): Map<string, ModuleResult> {
  const next = new Map<string, ModuleResult>();
  const byFile = new Map(fresh.map((r) => [r.file, r]));
  modules.forEach((file, index) => {
    const r = byFile.get(file) ?? previous.get(file);
    if (r) next.set(file, { ...r, index });
  });
  return next;
}
