// The tree `flash-ls scan --no-exec` prints: the same shape as formatScanTree, drawn
// from the static model (decorators read, no module imported).
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { EndpointModel, ModelLocation } from "../protocol/endpointModel";
import { plainStyle, type Style } from "./formatScanTree";

export const NO_EXEC_NOTE = "(static: no code was run)";

export function formatStaticTree(model: EndpointModel, modules: number, s: Style = plainStyle): string {
  const at = (loc: ModelLocation | null): string =>
    loc ? `${relative(model.root, fileURLToPath(loc.uri)).split("\\").join("/")}:${loc.line + 1}${loc.character ? `:${loc.character + 1}` : ""}` : "";
  const out: string[] = [];
  out.push(`${s.bold("Flash project")} ${model.root}  ${s.yellow(NO_EXEC_NOTE)}`);
  out.push(s.dim(`  ${modules} modules read; decorators only, so endpoints made by factories, loops or conditions are missed`));
  out.push("");
  out.push(s.bold(`Endpoints (${model.endpoints.length})`));
  if (model.endpoints.length === 0) out.push(s.dim("  none found: decorate a function with @Endpoint(name=...) to make one"));
  for (const e of model.endpoints) {
    out.push(`  ${s.green(e.name)}  ${s.dim(e.description)}  ${s.dim(at(e.location))}`);
    for (const fn of e.functions) {
      const label = fn.route
        ? `${fn.route.method.padEnd(6)} ${fn.route.path} → ${fn.name}`
        : fn.kind === "class"
          ? `class ${fn.name}`
          : `${fn.name}(${fn.params.join(", ")})`;
      out.push(`    ${label}${fn.isAsync && fn.kind !== "class" ? s.dim("  async") : ""}  ${s.dim(at(fn.location))}`);
      for (const m of fn.methods) out.push(s.dim(`      .${m.name}(${m.params.join(", ")})`));
      for (const c of model.crossCalls.filter((c) => c.fromEndpoint === e.name && c.fromFunction === fn.name)) {
        out.push(`      calls → ${c.toEndpoint} ${s.dim(`(${c.text}, ${at(c.location)})`)}`);
      }
    }
  }
  if (model.clients.length) {
    out.push("", s.bold(`Client endpoints (${model.clients.length})`));
    for (const c of model.clients) out.push(`  ${c.name}  ${s.dim(`image ${c.image}`)}  ${s.dim(at(c.location))}`);
  }
  if (model.failures.length) {
    out.push("", s.bold(s.red(`Problems (${model.failures.length})`)));
    for (const f of model.failures) {
      out.push(`  ${s.red(at(f.location) || f.file)}  ${f.message}`);
      if (f.hint) out.push(s.dim(`      ${f.hint}`));
    }
  }
  return out.join("\n");
}
