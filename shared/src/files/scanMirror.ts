// A copy of the shipped files outside the project, which the probe imports from.
// `flash build` scans a copy too (.flash/.build): a module the ignore rules drop is
// not importable there, and a file read next to `__file__` must be shipped to exist.
// We mirror that without writing into the user's project. Python files are copied
// (and re-copied when they change); other files are symlinked, since they can be large.
import { createHash } from "node:crypto";
import { lstatSync, promises as fs, statSync, type Stats } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { removeStale } from "./staleByPid";

interface Copied {
  /** The project file's size and time when it was mirrored. */
  size: number;
  mtimeMs: number;
  /** The mirror entry as we left it: user code may rewrite it (or replace a link) at import. */
  mirror: string;
}

/** What identifies a mirror entry's state (lstat: a link replaced by a copy changes it). */
async function entryState(path: string): Promise<string> {
  return stateOf(await fs.lstat(path).catch(() => null));
}

function stateOf(st: Stats | null): string {
  return st ? `${st.isSymbolicLink() ? "link" : "file"}:${st.size}:${st.mtimeMs}:${st.ino}` : "missing";
}

/** Whether a mirrored file is as we left it and its source unchanged. Synchronous on
 * purpose: two stat calls per file are far cheaper than a trip through the thread pool,
 * and a Build manifest checks every shipped file. */
function unchanged(known: Copied | undefined, source: string, target: string): boolean {
  if (!known) return false;
  try {
    const st = statSync(source, { throwIfNoEntry: false });
    if (!st || st.size !== known.size || st.mtimeMs !== known.mtimeMs) return false;
    return stateOf(lstatSync(target, { throwIfNoEntry: false }) ?? null) === known.mirror;
  } catch {
    return false; // ENOTDIR, ELOOP…: let syncFile decide, as it did before this check
  }
}

export class ScanMirror {
  private copied = new Map<string, Copied>();
  private fresh = true;

  constructor(
    readonly root: string,
    readonly dir: string,
  ) {}

  /** A mirror folder of its own for `root` (unique per process, so two tools never share one). */
  static for(root: string): ScanMirror {
    const id = createHash("sha1").update(root).digest("hex").slice(0, 12);
    // One parent folder per user: another user's would not be writable.
    const parent = join(tmpdir(), `flash-ls-mirror-${process.getuid?.() ?? "user"}`);
    return new ScanMirror(root, join(parent, `${id}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`));
  }

  /**
   * Makes the mirror hold exactly `files` (project-relative), as they are on disk now;
   * with `exact` false, only refreshes those files and leaves the others alone.
   */
  async sync(files: string[], exact = true): Promise<void> {
    if (!exact && !this.fresh) {
      await Promise.all(files.map((rel) => this.syncFile(rel)));
      return;
    }
    if (this.fresh) {
      // Mirrors of runs that were killed before they could remove theirs.
      await removeStale(dirname(this.dir), /^[0-9a-f]{12}-(\d+)-/);
      await fs.rm(this.dir, { recursive: true, force: true });
      await fs.mkdir(this.dir, { recursive: true });
      this.fresh = false;
    }
    const wanted = new Set(files);
    for (const [rel] of this.copied) {
      if (!wanted.has(rel)) {
        await fs.rm(join(this.dir, rel), { force: true });
        this.copied.delete(rel);
      }
    }
    await Promise.all(files.filter((rel) => !unchanged(this.copied.get(rel), join(this.root, rel), join(this.dir, rel))).map((rel) => this.syncFile(rel)));
  }

  private async syncFile(rel: string): Promise<void> {
    const source = join(this.root, rel);
    const target = join(this.dir, rel);
    let st;
    try {
      st = await fs.stat(source);
    } catch {
      return; // vanished since it was listed
    }
    const known = this.copied.get(rel);
    if (known && known.size === st.size && known.mtimeMs === st.mtimeMs && known.mirror === (await entryState(target))) return;
    await fs.mkdir(dirname(target), { recursive: true });
    await fs.rm(target, { force: true });
    let linked = false;
    if (!rel.endsWith(".py")) {
      try {
        await fs.symlink(source, target);
        linked = true;
      } catch {
        // no symlinks here (Windows without the privilege): copy instead
      }
    }
    if (!linked) {
      try {
        await fs.copyFile(source, target);
      } catch (e) {
        // Unreadable to us: link it, so that its import fails with the PermissionError
        // the user needs to see, on that module alone.
        if ((e as NodeJS.ErrnoException).code !== "EACCES" && (e as NodeJS.ErrnoException).code !== "EPERM") throw e;
        await fs.rm(target, { force: true });
        await fs.symlink(source, target);
      }
    }
    this.copied.set(rel, { size: st.size, mtimeMs: st.mtimeMs, mirror: await entryState(target) });
  }

  async dispose(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}
