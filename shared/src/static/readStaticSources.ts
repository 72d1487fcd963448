// The I/O edge of the static scan: the modules flash would scan, read as text.
// Reading files runs nothing, so this is safe in an untrusted folder.
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { collectProjectFiles, scanModules } from "../files/collectFiles";
import type { EndpointModel } from "../protocol/endpointModel";
import { staticScan, type PythonSource } from "./staticScan";

/** Files larger than this are skipped: generated code, not endpoints. */
const MAX_BYTES = 2 * 1024 * 1024;

export async function readStaticSources(root: string, exclude: string[] = []): Promise<PythonSource[]> {
  const modules = scanModules(await collectProjectFiles(root, exclude));
  const sources: PythonSource[] = [];
  for (const file of modules) {
    try {
      const abs = join(root, ...file.split("/"));
      if ((await fs.stat(abs)).size > MAX_BYTES) continue;
      sources.push({ file, text: new TextDecoder("utf-8").decode(await fs.readFile(abs)) });
    } catch {
      // deleted or unreadable while we read: the next scan sees it
    }
  }
  return sources;
}

/** Static scan of a folder on disk. */
export async function staticScanFolder(root: string, options: { folderUri?: string; exclude?: string[] } = {}): Promise<EndpointModel> {
  const sources = await readStaticSources(root, options.exclude);
  return staticScan({ folderUri: options.folderUri ?? pathToFileURL(root).href, root, sources, scannedAt: Date.now() });
}
