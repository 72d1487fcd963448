// `flash-ls manifest`: write DIR/.flash/flash_manifest.json as `flash build` would,
// or refuse with its reason and exit code, writing nothing.
import { join, relative, resolve } from "node:path";
import { runManifest } from "../manifest/runManifest";
import { ScanError } from "../scan/scanProject";
import { interpreterFor, parseMemoryLimit, parseTimeout, UsageError } from "./scanCommand";
import { progressLine } from "./progressLine";
import { where } from "./formatScanTree";

export interface ManifestCommandOptions {
  dir: string;
  python?: string;
  pythonVersion?: string;
  out?: string;
  timeout?: string;
  memoryLimit?: string;
}

export async function runManifestCommand(o: ManifestCommandOptions): Promise<number> {
  const dir = resolve(o.dir);
  try {
    const python = interpreterFor(dir, o.python);
    const out = o.out ? resolve(o.out) : join(dir, ".flash", "flash_manifest.json");
    const progress = progressLine(process.stderr);
    const result = await runManifest({
      root: dir,
      python,
      timeoutSeconds: parseTimeout(o.timeout),
      memoryLimitMB: parseMemoryLimit(o.memoryLimit),
      pythonVersion: o.pythonVersion,
      out,
      onProgress: (done, total, file) => progress.update(`scanning ${done}/${total} ${file}`),
    });
    progress.clear();
    if (!result.ok) {
      process.stderr.write(`flash-ls: flash build would refuse to build ${dir}:\n`);
      for (const r of result.refusals) {
        process.stderr.write(`\n${r.message}\n`);
        const places = r.sites.map((s, i) => where(s) || r.files[i]).filter(Boolean);
        if (places.length) process.stderr.write(`  at ${places.join(", ")}\n`);
      }
      return result.exitCode;
    }
    const rel = relative(process.cwd(), result.path) || result.path;
    process.stdout.write(
      `Wrote ${rel}: ${result.resources} resource${result.resources === 1 ? "" : "s"}, ` +
        `${result.functions} function${result.functions === 1 ? "" : "s"}, ${result.routes} route${result.routes === 1 ? "" : "s"} ` +
        `(python ${result.summary.pythonVersion})\n`,
    );
    for (const w of result.summary.warnings) process.stderr.write(`warning: ${w.message}\n`);
    for (const r of result.summary.resources) {
      if (r.configNote) process.stderr.write(`warning: ${r.name}: flash build reads no deployment config from ${r.file} (${r.configNote})\n`);
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof ScanError) {
      process.stderr.write(`flash-ls: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
