// How a static read describes a resource, in the words of describeResource
// (shared/src/model/describe.ts): what the source says, SDK defaults only for workers.
import type { Expr } from "./pythonModule";

type Call = Extract<Expr, { t: "call" }>;

/** The class the SDK would build: Endpoint picks Live(Cpu)Serverless or Live(Cpu)LoadBalancer. */
export function resourceType(call: Call, isEndpoint: boolean, hasRoutes: boolean): string {
  if (!isEndpoint) return call.callee.split(".").pop()!;
  const cpu = call.kwargs.has("cpu") ? "Cpu" : "";
  return hasRoutes ? `${cpu}LiveLoadBalancer` : `${cpu}LiveServerless`;
}

/** "LiveServerless · queue · gpu ADA_24 · workers 0–3", as describeResource words it. */
export function describe(type: string, lb: boolean, call: Call, isEndpoint: boolean, local: boolean): string {
  const parts = [type, lb ? "load-balanced" : "queue"];
  const list = (e: Expr | undefined) => (e === undefined ? [] : e.t === "seq" ? e.items.map(literal) : [literal(e)]);
  const cpu = list(call.kwargs.get(isEndpoint ? "cpu" : "instanceIds")).map((c) => (c.includes(".") ? cpuValue(c) : c));
  const gpu = list(call.kwargs.get(isEndpoint ? "gpu" : "gpus")).map((g) => g.split(".").pop()!);
  if (cpu.length) parts.push(`cpu ${cpu.join(", ")}`);
  else if (gpu.length) parts.push(gpu.length > 3 ? `gpu ${gpu.slice(0, 3).join(", ")} +${gpu.length - 3}` : `gpu ${gpu.join(", ")}`);
  const workers = isEndpoint ? endpointWorkers(call.kwargs.get("workers")) : resourceWorkers(call);
  if (workers) parts.push(`workers ${workers[0]}–${workers[1]}`);
  if (local) parts.push("local");
  return parts.join(" · ");
}

function literal(e: Expr): string {
  return e.t === "str" || e.t === "num" || e.t === "name" ? e.v : "?";
}

/** CpuInstanceType.CPU3G_2_8 → "cpu3g-2-8" (the enum's value). */
function cpuValue(dotted: string): string {
  return dotted.split(".").pop()!.toLowerCase().replace(/_/g, "-");
}

/** Endpoint(workers=…): None → (0, 1), n → (0, n), (a, b) → (a, b). */
function endpointWorkers(e: Expr | undefined): [string, string] | null {
  if (!e) return ["0", "1"]; // DEFAULT_WORKERS_MIN, DEFAULT_WORKERS_MAX
  if (e.t === "num") return ["0", e.v];
  if (e.t === "seq" && e.items.length === 2 && e.items.every((i) => i.t === "num")) return [literal(e.items[0]), literal(e.items[1])];
  return null;
}

function resourceWorkers(call: Call): [string, string] | null {
  const min = call.kwargs.get("workersMin");
  const max = call.kwargs.get("workersMax");
  if ((min && min.t !== "num") || (max && max.t !== "num")) return null;
  return [min?.t === "num" ? min.v : "0", max?.t === "num" ? max.v : "1"];
}
