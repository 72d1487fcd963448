// The manifest's second input: deployment config, which `flash build` reads by
// re-importing each resource's file. What to ask the probe for (in the CLI's order)
// and how to read its answers, including the answers that end the CLI's run.
import type { DeployConfig } from "../probe/probeMessages";
import type { ScanResult } from "../scan/scanResult";
import { pySorted } from "./pyRepr";

/** The probe's `deployConfig` request: decorated resources, then client endpoints, each sorted by name. */
export interface DeployConfigRequest {
  resources: { name: string; file: string; configVariable: string | null; functionName: string }[];
  clients: { name: string; file: string; varName: string }[];
}

/** The probe's deploy-phase messages, in arrival order (DeployConfig and deploy-exit). */
export type DeployEvent =
  | Pick<DeployConfig, "t" | "kind" | "name" | "configJson" | "resourceType" | "unserializable" | "note">
  | { t: "deploy-exit"; kind: "resources" | "clients"; name: string; code: number };

export interface DeployPhase {
  events: DeployEvent[];
  /** The probe hung or died on this item: so would `flash build` (its re-import has no deadline). */
  ended?: { name: string; reason: "timeout" | "crash"; exitCode: number | null };
}

/** What ManifestBuilder._extract_deployment_config reads: the first function of each
 * resource names the file, the variable and (for inline decorators) the function. */
export function deployConfigRequest(scan: Pick<ScanResult, "functions" | "clientEndpoints">): DeployConfigRequest {
  const firstOf = new Map<string, ScanResult["functions"][number]>();
  for (const f of scan.functions) if (!firstOf.has(f.meta.resource_config_name)) firstOf.set(f.meta.resource_config_name, f);
  const resources = pySorted(firstOf.keys()).map((name) => {
    const meta = firstOf.get(name)!.meta;
    return { name, file: meta.file_path, configVariable: meta.config_variable, functionName: meta.function_name };
  });
  const clients = namedClients(scan.clientEndpoints).map((c) => ({ name: c.name, file: c.file_path, varName: c.var_name }));
  return { resources, clients };
}

/** Client endpoints sorted by name. Endpoint(image=...) refuses a missing name, so the
 * scanner never records one; a nameless record would be a probe bug and is left out. */
export function namedClients(clients: ScanResult["clientEndpoints"]): (ScanResult["clientEndpoints"][number] & { name: string })[] {
  const named = clients.filter((c): c is (typeof clients)[number] & { name: string } => c.name !== null);
  const order = pySorted(named.map((c) => c.name));
  return order.map((n) => named.find((c) => c.name === n)!);
}

export type DeployAnswer =
  | { t: "config"; configJson: string | null; resourceType?: string; unserializable?: string; note?: string }
  | { t: "exit"; code: number }
  | { t: "stuck"; reason: "timeout" | "crash"; exitCode: number | null };

/** Finds the probe's answer for one item; throws when the caller never asked for it. */
export function deployAnswer(phase: DeployPhase, kind: "resources" | "clients", name: string): DeployAnswer {
  const event = phase.events.find((e) => e.kind === kind && e.name === name);
  if (event?.t === "deploy-exit") return { t: "exit", code: event.code };
  if (event) {
    const { configJson, resourceType, unserializable, note } = event;
    return { t: "config", configJson, resourceType, unserializable, note };
  }
  if (phase.ended?.name === name) return { t: "stuck", reason: phase.ended.reason, exitCode: phase.ended.exitCode };
  throw new Error(`no deployment config was read for ${kind === "resources" ? "resource" : "client endpoint"} '${name}'`);
}
