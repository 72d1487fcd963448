// The fingerprint equals runpod-flash's compute_source_fingerprint on real trees.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { collectProjectFiles } from "../../shared/src/files/collectFiles";
import { computeSourceFingerprint, sourceFingerprint } from "../../shared/src/files/sourceFingerprint";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const python = join(repo, ".tools/venv/bin/python");
const base = mkdtempSync(join(tmpdir(), "fingerprint-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const HARNESS = `
import json, sys
from pathlib import Path
from runpod_flash.cli.utils.ignore import get_file_tree, load_ignore_patterns
from runpod_flash.cli.commands.build import compute_source_fingerprint
for line in sys.stdin:
    root = Path(json.loads(line))
    print("@@" + compute_source_fingerprint(root, get_file_tree(root, load_ignore_patterns(root))))
`;

/** The CLI's fingerprint of each project, from one Python process. */
function cliFingerprints(roots: string[]): string[] {
  mkdirSync(join(base, "cwd"), { recursive: true });
  const r = spawnSync(python, ["-c", HARNESS], {
    cwd: join(base, "cwd"),
    input: roots.map((d) => JSON.stringify(d)).join("\n") + "\n",
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.split("\n").filter((l) => l.startsWith("@@")).map((l) => l.slice(2));
}

function project(name: string, files: Record<string, string | Uint8Array>): string {
  const root = join(base, name);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(root, rel, ".."), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
  return root;
}

const PROJECTS: Record<string, Record<string, string | Uint8Array>> = {
  "one endpoint": { "main.py": "from runpod_flash import Endpoint\n", "README.md": "# hi\n", "requirements.txt": "numpy\n" },
  // "a-b/x" sorts before "a/b" as a string but after it part by part.
  "whole-string order, not part order": { "a/b.py": "1", "a-b/x.py": "2", "a.py": "3", "a0.py": "", "a/b/c.py": "4" },
  "non-BMP and non-ASCII names": { "é.py": "é", "😀.py": "x", "ｆ.py": "y", "z.py": "\u{ffff}" },
  "binary and empty files": { "data.bin": new Uint8Array([0, 255, 1, 254]), "empty.py": "", "pkg/__init__.py": "" },
  "ignored files do not count": { "main.py": "x", "tests/t.py": "y", ".gitignore": "secret.py\n", "secret.py": "z" },
};

describe("source fingerprint matches compute_source_fingerprint", () => {
  const names = Object.keys(PROJECTS);
  const roots = names.map((n, i) => project(`p${i}`, PROJECTS[n]));
  const expected = cliFingerprints(roots);

  names.forEach((name, i) => {
    it(name, async () => {
      const files = await collectProjectFiles(roots[i]);
      expect(await computeSourceFingerprint(roots[i], files)).toBe(expected[i]);
    });
  });

  it("of no files is the SHA-256 of nothing", () => {
    expect(sourceFingerprint([])).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("does not depend on the order files are given in", () => {
    const a: [string, Uint8Array][] = [["b.py", new Uint8Array([1])], ["a.py", new Uint8Array([2])]];
    expect(sourceFingerprint(a)).toBe(sourceFingerprint([...a].reverse()));
  });
});
