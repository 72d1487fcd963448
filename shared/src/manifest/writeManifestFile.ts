// Writes a manifest so that a reader (or a crash) never sees half of it: a
// temporary file beside the target, flushed, then renamed over it.
import { promises as fs } from "node:fs";
import { dirname, basename, join } from "node:path";
import { randomBytes } from "node:crypto";
import { removeStale } from "../files/staleByPid";

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export async function writeFileAtomically(target: string, text: string): Promise<void> {
  await fs.mkdir(dirname(target), { recursive: true });
  // A writer killed between open and rename leaves its temporary file: sweep those.
  await removeStale(dirname(target), new RegExp(`^\\.${escapeRegExp(basename(target))}\\.(\\d+)\\.[0-9a-f]+\\.tmp$`));
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const handle = await fs.open(temp, "w");
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temp, target);
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
}
