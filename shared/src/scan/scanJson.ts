// The documented JSON form of a scan (docs/scan-json.md): the model without the
// captured program output, which may hold anything the user's code printed.
import type { ScanResult } from "./scanResult";

export const SCAN_JSON_VERSION = 1;

export function toScanJson(scan: ScanResult): Record<string, unknown> {
  const { output: _output, ...rest } = scan;
  return { version: SCAN_JSON_VERSION, ...rest };
}
