// The shipped file set, as runpod-flash 1.21.0's get_file_tree computes it
// (cli/utils/ignore.py): .gitignore lines plus built-in patterns, compiled with
// pathspec's gitwildmatch (ported in gitwildmatch.ts), each path (files and
// folders, folders without a trailing slash) matched on its own, last matching
// pattern wins, no descent into an ignored folder.
import { promises as fs, type Dir, type Dirent } from "node:fs";
import { join } from "node:path";
import { compileGitWildMatch, type CompiledPattern } from "./gitwildmatch";
import { decodeUtf8, pySplitLines, pyStrip, pySuffix, translateNewlines } from "./pythonText";
import { comparePaths } from "./pathOrder";

export { comparePaths, compareCodePoints } from "./pathOrder";
export { IgnorePatternError } from "./gitwildmatch";

/** runpod-flash 1.21.0's always_ignore list, in its order (after .gitignore's lines). */
export const BUILTIN_IGNORE_PATTERNS: readonly string[] = [
  ".build/", ".flash/", ".runpod/", "*.tar.gz", ".git/", ".gitignore", "__pycache__/", "*.pyc", "*.pyo", "*.pyd",
  "*.egg-info/", "dist/", "build/", ".venv/", "venv/", "env/", ".vscode/", ".idea/", ".env", ".env.local",
  "tests/", "test_*.py", "*_test.py", "docs/", "*.md", "!README.md",
];

/** parse_ignore_file on decoded text: Python-stripped, non-empty, non-comment lines. */
export function parseIgnoreFile(text: string): string[] {
  return pySplitLines(translateNewlines(text)).map(pyStrip).filter((l) => l && !l.startsWith("#"));
}

export type PathMatcher = (relPosix: string) => boolean;

/**
 * PathSpec.from_lines("gitwildmatch", patterns).match_file. Throws IgnorePatternError
 * where pathspec raises (e.g. a lone `!`, a trailing backslash, `[z-a]`).
 */
export function ignoreMatcher(patterns: readonly string[]): PathMatcher {
  const compiled = patterns.filter((p) => p).map(compileGitWildMatch).filter((p): p is CompiledPattern => p !== null);
  compiled.reverse(); // the last matching pattern decides
  return (rel) => {
    const path = rel.startsWith("/") ? rel.slice(1) : rel.startsWith("./") ? rel.slice(2) : rel; // normalize_file
    for (const p of compiled) if (p.regex.test(path)) return p.include;
    return false;
  };
}

/** load_ignore_patterns' pattern lines: .gitignore's, then the built-ins. */
export async function loadIgnorePatterns(root: string, warnings: string[] = []): Promise<string[]> {
  return [...(await readGitignore(root, warnings)), ...BUILTIN_IGNORE_PATTERNS];
}

async function readGitignore(root: string, warnings: string[]): Promise<string[]> {
  if (await exists(join(root, ".flashignore"))) {
    warnings.push(".flashignore is no longer supported; patterns are now built-in. "
      + "Move any custom patterns to .gitignore and delete .flashignore.");
  }
  const path = join(root, ".gitignore");
  if (!(await exists(path))) return [];
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch (e) {
    warnings.push(`Failed to read .gitignore: ${(e as Error).message}`);
    return [];
  }
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) {
    // The CLI logs this and goes on with the built-ins alone.
    warnings.push(`Failed to read .gitignore: ${decoded.error}`);
    return [];
  }
  return parseIgnoreFile(decoded.text);
}

const exists = (p: string) => fs.stat(p).then(() => true, () => false);

export interface ProjectTree {
  /** Shipped files: project-relative POSIX paths, sorted with comparePaths. */
  files: string[];
  /**
   * Folder symlinks we did not follow because they lead back to a folder being walked.
   * The CLI follows them until the kernel's 40-symlink limit (ELOOP) stops it, shipping
   * each file once per level (and with two such links, effectively never finishing).
   */
  symlinkCycles: string[];
  /**
   * Entries whose name is not valid UTF-8 (shown with U+FFFD). The CLI ships them and
   * then fails computing the fingerprint (UnicodeEncodeError); we leave them out.
   */
  undecodableNames: string[];
  /** What the CLI logs as warnings while collecting (.flashignore, unreadable .gitignore). */
  warnings: string[];
}

/** Every shipped file under root, project-relative POSIX paths, sorted. */
export async function collectProjectFiles(root: string, extraExcludes: string[] = []): Promise<string[]> {
  return (await collectProjectTree(root, extraExcludes)).files;
}

/** get_file_tree(root, load_ignore_patterns(root)), plus what it could not express. */
export async function collectProjectTree(root: string, extraExcludes: string[] = []): Promise<ProjectTree> {
  const tree: ProjectTree = { files: [], symlinkCycles: [], undecodableNames: [], warnings: [] };
  const ignored = ignoreMatcher([...(await loadIgnorePatterns(root, tree.warnings)), ...extraExcludes]);
  const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }); // a name may start with U+FEFF
  const lossy = new TextDecoder("utf-8", { ignoreBOM: true });

  async function walk(absDir: string, relDir: string, realDir: string, ancestors: Set<string>): Promise<void> {
    let entries: Dirent<Buffer>[];
    try {
      entries = await listInKernelOrder(absDir);
    } catch (e) {
      // The CLI logs a PermissionError and goes on; other errors (a folder deleted
      // while we walk) would stop it, but an editor is better served by going on.
      const denied = ["EACCES", "EPERM"].includes((e as NodeJS.ErrnoException).code ?? "");
      tree.warnings.push(`${denied ? "Permission denied" : "Cannot list"}: ${absDir} - ${(e as Error).message}`);
      return;
    }
    for (const entry of entries) {
      let name: string;
      let decodable = true;
      try {
        name = strict.decode(entry.name);
      } catch {
        name = lossy.decode(entry.name);
        decodable = false;
      }
      const rel = relDir ? `${relDir}/${name}` : name;
      if (ignored(rel)) continue;
      const abs = join(absDir, name);
      let kind = entry.isFile() ? "file" : entry.isDirectory() ? "dir" : "";
      const followed = !kind; // a symlink (or an unknown d_type): Path.is_file()/is_dir() stat through it
      if (followed) {
        if (!decodable) kind = "other";
        else {
          const st = await statLikePython(abs);
          if (st === "permission") return; // PermissionError ends this folder's loop in the CLI
          kind = st;
        }
      }
      if (!decodable && kind !== "") {
        tree.undecodableNames.push(rel);
      } else if (kind === "file") {
        tree.files.push(rel);
      } else if (kind === "dir") {
        const real = followed ? await fs.realpath(abs) : `${realDir}/${name}`;
        if (ancestors.has(real)) tree.symlinkCycles.push(rel);
        else await walk(abs, rel, real, new Set(ancestors).add(real));
      }
    }
  }

  const realRoot = await fs.realpath(root);
  await walk(root, "", realRoot, new Set([realRoot]));
  tree.files.sort(comparePaths);
  return tree;
}

/** Directory entries in readdir(3) order, as os.listdir returns them (fs.readdir sorts). */
async function listInKernelOrder(absDir: string): Promise<Dirent<Buffer>[]> {
  const dir: Dir = await fs.opendir(absDir, { encoding: "buffer" as BufferEncoding, bufferSize: 128 });
  const out: Dirent<Buffer>[] = [];
  for await (const entry of dir) out.push(entry as unknown as Dirent<Buffer>);
  return out;
}

/** Path.is_file() / is_dir(): follow symlinks; ENOENT, ENOTDIR, EBADF, ELOOP mean neither. */
async function statLikePython(abs: string): Promise<"file" | "dir" | "" | "permission"> {
  try {
    const st = await fs.stat(abs);
    return st.isFile() ? "file" : st.isDirectory() ? "dir" : "";
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "EACCES" || code === "EPERM" ? "permission" : "";
  }
}

/** The modules RuntimeScanner imports, in its order: `.py` suffix, not named __init__.py. */
export function scanModules(files: string[]): string[] {
  return files.filter((f) => pySuffix(f) === ".py" && !(f === "__init__.py" || f.endsWith("/__init__.py"))).sort(comparePaths);
}
