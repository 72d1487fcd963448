// Publishes a folder's diagnostics and clears those that are gone (fixed, deleted
// or newly ignored files), so nothing stale stays in the Problems view.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Connection, Diagnostic, DiagnosticRelatedInformation } from "vscode-languageserver";
import type { TextDocuments } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { computeDiagnostics, type FlashDiagnostic, type PlacedRefusal } from "../../shared/src/diagnostics/computeDiagnostics";
import { fileUri } from "../../shared/src/model/toEndpointModel";
import { editorRefusals } from "../../shared/src/manifest/editorRefusals";
import type { ScanResult } from "../../shared/src/scan/scanResult";

export class DiagnosticsPublisher {
  private published = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
  ) {}

  publish(scan: ScanResult, refusals: PlacedRefusal[] = editorRefusals(scan)): void {
    const lines = new Map<string, string[]>();
    const lineText = (file: string, line: number) => {
      if (!lines.has(file)) {
        const doc = this.documents.get(fileUri(scan.root, file));
        let text = doc?.getText();
        if (text === undefined) {
          try {
            text = readFileSync(join(scan.root, file), "utf8");
          } catch {
            text = "";
          }
        }
        lines.set(file, text.split(/\r?\n/));
      }
      return lines.get(file)![line];
    };
    const byFile = computeDiagnostics(scan, refusals, lineText);
    const next = new Set<string>();
    for (const [file, diagnostics] of byFile) {
      const uri = fileUri(scan.root, file);
      next.add(uri);
      this.connection.sendDiagnostics({ uri, diagnostics: diagnostics.map((d) => toLsp(scan.root, d)) });
    }
    for (const uri of this.published) if (!next.has(uri)) this.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.published = next;
  }

  clear(): void {
    for (const uri of this.published) this.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.published.clear();
  }
}

function toLsp(root: string, d: FlashDiagnostic): Diagnostic {
  const related: DiagnosticRelatedInformation[] | undefined = d.related?.map((r) => ({
    location: { uri: fileUri(root, r.file), range: r.range },
    message: r.message,
  }));
  return { range: d.range, severity: d.severity, code: d.code, source: "flash", message: d.message, ...(related ? { relatedInformation: related } : {}) };
}
