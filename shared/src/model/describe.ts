// Small descriptions shared by every view of the model (CLI tree, endpoint model, diagnostics).
import type { ImportFailure } from "../probe/probeMessages";
import type { DiscoveredFunction, ScanResult } from "../scan/scanResult";

export interface EndpointGroup {
  name: string;
  functions: { fn: DiscoveredFunction; index: number }[];
}

/** Functions grouped by endpoint name, in order of first discovery. */
export function groupByEndpoint(scan: ScanResult): EndpointGroup[] {
  const groups = new Map<string, EndpointGroup>();
  scan.functions.forEach((fn, index) => {
    const name = fn.meta.resource_config_name;
    if (!groups.has(name)) groups.set(name, { name, functions: [] });
    groups.get(name)!.functions.push({ fn, index });
  });
  return [...groups.values()];
}

/** "LiveServerless · queue · gpu ADA_24 · workers 0–3" */
export function describeResource(fn: DiscoveredFunction): string {
  const r = fn.resource as Record<string, unknown>;
  const parts = [fn.meta.resource_type, fn.meta.is_load_balanced ? "load-balanced" : "queue"];
  const cpu = Array.isArray(r.instanceIds) && r.instanceIds.length ? r.instanceIds : null;
  const gpu = !cpu && Array.isArray(r.gpus) ? r.gpus : null;
  if (cpu) parts.push(`cpu ${cpu.join(", ")}`);
  else if (gpu && gpu.length) parts.push(gpu.length > 3 ? `gpu ${gpu.slice(0, 3).join(", ")} +${gpu.length - 3}` : `gpu ${gpu.join(", ")}`);
  if (typeof r.workersMin === "number" && typeof r.workersMax === "number") parts.push(`workers ${r.workersMin}–${r.workersMax}`);
  if (fn.meta.local) parts.push("local");
  return parts.join(" · ");
}

/** One sentence that helps the user fix an import failure, or null. */
export function failureHint(f: ImportFailure): string | null {
  const mm = f.missingModule;
  if (mm?.declaredInDependencies)
    return `'${mm.name}' is listed in dependencies=[...] (${mm.dependency}), so it is probably installed only in the container: install it in this interpreter or import it inside the function`;
  if (mm?.excluded)
    return `'${mm.name}' exists in the project, but .gitignore or flash's built-in ignore rules keep it out of the build, so flash build cannot import it`;
  if (mm?.local) return `'${mm.name}' is a project module that could not be imported`;
  if (mm) return `install '${mm.name}' into this interpreter, or add it to the endpoint's dependencies and import it inside the function`;
  return null;
}
