// The manifest's `source_fingerprint`, as runpod-flash 1.21.0's
// compute_source_fingerprint (cli/commands/build.py) computes it: SHA-256 over
// the shipped files sorted by relative POSIX path (whole-string, code point
// order), each path and each content preceded by its length as 8 big-endian bytes.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compareCodePoints } from "./pathOrder";

/** A shipped file: project-relative POSIX path and its bytes. */
export type SourceFile = readonly [relPosix: string, bytes: Uint8Array];

/** The fingerprint of files already in memory (pure). */
export function sourceFingerprint(files: Iterable<SourceFile>): string {
  const sorted = [...files].sort((a, b) => compareCodePoints(a[0], b[0]));
  const h = createHash("sha256");
  for (const [rel, bytes] of sorted) {
    const relBytes = Buffer.from(rel, "utf8");
    h.update(lengthPrefix(relBytes.length));
    h.update(relBytes);
    h.update(lengthPrefix(bytes.length));
    h.update(bytes);
  }
  return h.digest("hex");
}

function lengthPrefix(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

/** Reads each file under root (as collectProjectFiles lists them) and fingerprints them. */
export async function computeSourceFingerprint(root: string, relPaths: readonly string[]): Promise<string> {
  // Synchronous reads: far cheaper than four thread-pool trips per small file. The
  // event loop still gets a turn after every 8 MB read, on a project that large.
  const files: SourceFile[] = [];
  let sinceYield = 0;
  for (const rel of relPaths) {
    if (sinceYield > 8 * 1024 * 1024) {
      sinceYield = 0;
      await new Promise((r) => setImmediate(r));
    }
    const bytes = readFileSync(join(root, rel));
    sinceYield += bytes.length;
    files.push([rel, bytes]);
  }
  return sourceFingerprint(files);
}
