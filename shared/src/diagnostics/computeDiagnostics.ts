// Project model → diagnostics per file, editor-independent. Each import failure
// sits on the statement or decorator that failed, with the CLI's text as message.
import type { Position } from "../probe/probeMessages";
import type { ScanResult } from "../scan/scanResult";
import { failureHint } from "../model/describe";

export interface TextRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export const enum Severity {
  Error = 1,
  Warning = 2,
  Information = 3,
}

export interface FlashDiagnostic {
  file: string;
  range: TextRange;
  severity: Severity;
  /** The failure kind ("syntax", "missing-module", …) or the refusal's code. */
  code: string;
  message: string;
  related?: { file: string; range: TextRange; message: string }[];
}

/** A refusal of the manifest builder placed on the lines it involves. */
export interface PlacedRefusal {
  code: string;
  message: string;
  sites: Position[];
}

/** Returns the text of a 0-based line of a project file, if known. */
export type LineText = (file: string, line: number) => string | undefined;

/** A Position as a range: exact where Python gave an end, else the rest of the line. */
export function toRange(p: Position, lineText: LineText): TextRange {
  const line = p.line - 1;
  const text = lineText(p.file, line) ?? "";
  if (p.endLine !== undefined && p.endCol !== undefined) {
    if (p.endLine !== p.line || p.endCol > p.col) {
      return { start: { line, character: p.col }, end: { line: p.endLine - 1, character: p.endCol } };
    }
    // Python points between characters (e.g. the end of `return x +`): cover one.
    return p.col < text.length
      ? { start: { line, character: p.col }, end: { line, character: p.col + 1 } }
      : { start: { line, character: Math.max(0, p.col - 1) }, end: { line, character: p.col } };
  }
  const firstNonSpace = text.search(/\S/);
  const start = p.col > 0 ? p.col : Math.max(0, firstNonSpace);
  const end = Math.max(start + 1, text.trimEnd().length);
  return { start: { line, character: start }, end: { line, character: end } };
}

export function computeDiagnostics(scan: ScanResult, refusals: PlacedRefusal[], lineText: LineText): Map<string, FlashDiagnostic[]> {
  const out = new Map<string, FlashDiagnostic[]>();
  const add = (d: FlashDiagnostic) => {
    if (!out.has(d.file)) out.set(d.file, []);
    out.get(d.file)!.push(d);
  };
  for (const f of scan.failures) {
    const where = f.failure.location;
    const site = f.failure.importSite ?? (where && where.file === f.file ? where : null);
    const anchor: Position = site ?? { file: f.file, line: 1, col: 0 };
    const hint = failureHint(f.failure);
    const swallowedExit = f.failure.kind === "exit" && !f.inImportErrors && f.exitCode !== undefined && f.note !== undefined;
    const message = [f.failure.message, f.note, hint].filter(Boolean).join("\n");
    add({
      file: f.file,
      range: toRange(anchor, lineText),
      severity: swallowedExit ? Severity.Warning : Severity.Error,
      code: f.failure.kind,
      message,
      ...(where && where.file !== f.file
        ? { related: [{ file: where.file, range: toRange(where, lineText), message: `${f.failure.type} raised here` }] }
        : {}),
    });
  }
  if (scan.discoveryError) {
    refusals = [...refusals, { code: "discovery", message: scan.discoveryError.message, sites: scan.discoveryError.sites.filter((s): s is Position => !!s) }];
  }
  for (const r of refusals) {
    r.sites.forEach((site, i) => {
      const others = r.sites.filter((_, j) => j !== i);
      add({
        file: site.file,
        range: toRange(site, lineText),
        severity: Severity.Error,
        code: r.code,
        message: `flash build will refuse: ${r.message}`,
        ...(others.length ? { related: others.map((o) => ({ file: o.file, range: toRange(o, lineText), message: "also involved" })) } : {}),
      });
    });
  }
  return out;
}
