// The shipped file set, as runpod-flash's get_file_tree computes it
// (cli/utils/ignore.py): .gitignore lines plus built-in patterns, each path
// (files and folders, folders without a trailing slash) matched on its own.
import { promises as fs } from "node:fs";
import { join } from "node:path";
import ignore from "ignore";

/** runpod-flash 1.21.0's always_ignore list, in its order (after .gitignore's lines). */
export const BUILTIN_IGNORE_PATTERNS = [
  ".build/", ".flash/", ".runpod/", "*.tar.gz", ".git/", ".gitignore", "__pycache__/", "*.pyc", "*.pyo", "*.pyd",
  "*.egg-info/", "dist/", "build/", ".venv/", "venv/", "env/", ".vscode/", ".idea/", ".env", ".env.local",
  "tests/", "test_*.py", "*_test.py", "docs/", "*.md", "!README.md",
];

/** parse_ignore_file: stripped, non-empty, non-comment lines. */
export function parseIgnoreFile(text: string): string[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
}

export type PathMatcher = (relPosix: string) => boolean;

export function ignoreMatcher(patterns: string[]): PathMatcher {
  const ig = ignore({ allowRelativePaths: true }).add(patterns);
  return (rel) => ig.test(rel).ignored;
}

export async function loadIgnorePatterns(root: string): Promise<string[]> {
  let gitignore: string[] = [];
  try {
    gitignore = parseIgnoreFile(await fs.readFile(join(root, ".gitignore"), "utf8"));
  } catch {
    // no .gitignore: built-ins only
  }
  return [...gitignore, ...BUILTIN_IGNORE_PATTERNS];
}

/** Every shipped file under root, project-relative POSIX paths, sorted. */
export async function collectProjectFiles(root: string, extraExcludes: string[] = []): Promise<string[]> {
  const matches = ignoreMatcher([...(await loadIgnorePatterns(root)), ...extraExcludes]);
  const out: string[] = [];
  async function walk(dirRel: string): Promise<void> {
    let entries;
    try {
      entries = await fs.readdir(join(root, dirRel), { withFileTypes: true });
    } catch {
      return; // unreadable folder: the CLI logs and skips it too
    }
    for (const entry of entries) {
      const rel = dirRel ? `${dirRel}/${entry.name}` : entry.name;
      if (matches(rel)) continue;
      let kind = entry.isDirectory() ? "dir" : entry.isFile() ? "file" : "";
      if (entry.isSymbolicLink()) {
        const st = await fs.stat(join(root, rel)).catch(() => null);
        kind = st?.isDirectory() ? "dir" : st?.isFile() ? "file" : "";
      }
      if (kind === "file") out.push(rel);
      else if (kind === "dir") await walk(rel);
    }
  }
  await walk("");
  return out.sort(comparePaths);
}

/** Python's PurePosixPath ordering: part by part, by code point. */
export function comparePaths(a: string, b: string): number {
  const pa = a.split("/");
  const pb = b.split("/");
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const c = compareCodePoints(pa[i], pb[i]);
    if (c !== 0) return c;
  }
  return pa.length - pb.length;
}

export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

/** The modules RuntimeScanner imports, in its order: .py files except __init__.py. */
export function scanModules(files: string[]): string[] {
  return files.filter((f) => f.endsWith(".py") && !f.endsWith("/__init__.py") && f !== "__init__.py").sort(comparePaths);
}
