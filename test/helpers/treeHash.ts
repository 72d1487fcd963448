// A fingerprint of every entry under a folder, to prove a scan left it untouched.
import { createHash } from "node:crypto";
import { lstatSync, readFileSync, readdirSync, readlinkSync } from "node:fs";
import { join } from "node:path";

/** Relative POSIX path → "dir", "link:<target>" or the file's sha256; `skip` prunes entries. */
export function hashTree(root: string, skip: (relPosix: string) => boolean = () => false): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dirRel: string): void => {
    for (const name of readdirSync(join(root, dirRel)).sort()) {
      const rel = dirRel ? `${dirRel}/${name}` : name;
      if (skip(rel)) continue;
      const abs = join(root, rel);
      const st = lstatSync(abs);
      if (st.isSymbolicLink()) out[rel] = `link:${readlinkSync(abs)}`;
      else if (st.isDirectory()) {
        out[rel] = "dir";
        walk(rel);
      } else out[rel] = createHash("sha256").update(readFileSync(abs)).digest("hex");
    }
  };
  walk("");
  return out;
}
