// validate_project_structure: `flash build` refuses a folder with no `.py` file
// anywhere below it (ignored folders count: it uses rglob, not the ignore rules).
import { promises as fs } from "node:fs";
import { join } from "node:path";

export async function hasAnyPythonFile(dir: string, depth = 0): Promise<boolean> {
  if (depth > 64) return false;
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  if (entries.some((e) => e.name.endsWith(".py") && !e.isDirectory())) return true;
  for (const e of entries) if (e.isDirectory() && (await hasAnyPythonFile(join(dir, e.name), depth + 1))) return true;
  return false;
}
