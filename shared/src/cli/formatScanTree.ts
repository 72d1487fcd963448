// The human-readable view of a scan for `flash-ls scan`: endpoints, their functions
// and routes, cross-calls, then what failed. Env values never appear here.
import type { ScanResult } from "../scan/scanResult";
import type { Position } from "../probe/probeMessages";
import { describeResource, failureHint, groupByEndpoint } from "../model/describe";

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
}

export const plainStyle: Style = { bold: (s) => s, dim: (s) => s, red: (s) => s, yellow: (s) => s, green: (s) => s };

export const ansiStyle: Style = {
  bold: (s) => `\x1b[1m${s}\x1b[22m`,
  dim: (s) => `\x1b[2m${s}\x1b[22m`,
  red: (s) => `\x1b[31m${s}\x1b[39m`,
  yellow: (s) => `\x1b[33m${s}\x1b[39m`,
  green: (s) => `\x1b[32m${s}\x1b[39m`,
};

export function where(p: Position | null | undefined): string {
  return p ? `${p.file}:${p.line}${p.col ? `:${p.col + 1}` : ""}` : "";
}

export function formatScanTree(scan: ScanResult, s: Style = plainStyle): string {
  const out: string[] = [];
  const i = scan.interpreter;
  out.push(`${s.bold("Flash project")} ${scan.root}`);
  out.push(s.dim(`  Python ${i.python} (${i.executable}), runpod-flash ${i.flashVersion ?? "?"}`));
  out.push(s.dim(`  ${scan.modules.length} modules scanned in ${(scan.durationMs / 1000).toFixed(2)} s`));
  out.push("");
  const groups = groupByEndpoint(scan);
  out.push(s.bold(`Endpoints (${groups.length})`));
  if (groups.length === 0) out.push(s.dim("  none found: decorate a function with @Endpoint(name=...) to make one"));
  for (const g of groups) {
    const first = g.functions[0].fn;
    out.push(`  ${s.green(g.name)}  ${s.dim(describeResource(first))}  ${s.dim(where(first.site.resource ?? first.site.decorator))}`);
    for (const { fn, index } of g.functions) {
      const m = fn.meta;
      const label = m.http_method
        ? `${m.http_method.padEnd(6)} ${m.http_path} → ${m.function_name}`
        : m.is_class
          ? `class ${m.function_name}`
          : `${m.function_name}(${m.param_names.join(", ")})`;
      const elsewhere = fn.site.def && fn.site.def.file !== m.file_path ? s.yellow(`  (also found in ${m.file_path}, which imports it)`) : "";
      out.push(`    ${label}${m.is_async && !m.is_class ? s.dim("  async") : ""}  ${s.dim(where(fn.site.def))}${elsewhere}`);
      if (m.is_class) for (const method of m.class_methods) out.push(s.dim(`      .${method}(${(m.class_method_params[method] ?? []).join(", ")})`));
      for (const edge of scan.crossCalls.filter((e) => e.from === index)) {
        const target = scan.functions[edge.to].meta;
        out.push(`      calls → ${target.resource_config_name} ${s.dim(`(${edge.text}, ${where(edge.at)})`)}`);
      }
    }
  }
  if (scan.clientEndpoints.length) {
    out.push("", s.bold(`Client endpoints (${scan.clientEndpoints.length})`));
    for (const c of scan.clientEndpoints) out.push(`  ${c.name}  ${s.dim(`image ${c.image}`)}  ${s.dim(where(c.site))}`);
  }
  const failed = scan.failures;
  if (failed.length) {
    out.push("", s.bold(s.red(`Failed to load (${failed.length})`)));
    for (const f of failed) {
      out.push(`  ${s.red(where(f.failure.location) || f.file)}  ${f.failure.message}`);
      const hint = failureHint(f.failure) ?? (f.failure.location && f.failure.importSite ? `raised in ${where(f.failure.location)}, imported from ${where(f.failure.importSite)}` : null);
      if (hint) out.push(s.dim(`      ${hint}`));
      if (f.note) out.push(s.yellow(`      ${f.note}`));
    }
  }
  if (scan.discoveryError) out.push("", s.red(`flash build stops discovery: ${scan.discoveryError.message}`));
  return out.join("\n");
}
