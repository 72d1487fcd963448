// Files and folders we name after our process id (temporary manifests, scan mirrors)
// are ours to remove once that process is gone: a run killed mid-way cannot clean up.
import { promises as fs } from "node:fs";
import { join } from "node:path";

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes the entries of `dir` whose name matches `pattern` (first group: a pid) and whose process has ended. */
export async function removeStale(dir: string, pattern: RegExp): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (!pid || pid === process.pid || processAlive(pid)) continue;
    await fs.rm(join(dir, name), { recursive: true, force: true }).catch(() => undefined);
    removed.push(name);
  }
  return removed;
}
