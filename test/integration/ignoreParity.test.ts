// Differential test: our file collection against runpod-flash's own
// get_file_tree(dir, load_ignore_patterns(dir)) on hundreds of generated trees
// and .gitignore files, all checked by one Python process.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectProjectTree, ignoreMatcher, IgnorePatternError } from "../../shared/src/files/collectFiles";
import { seededRandom } from "../helpers/seededRandom";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const python = join(repo, ".tools/venv/bin/python");

const HARNESS = `
import json, sys
from pathlib import Path
from runpod_flash.cli.utils.ignore import get_file_tree, load_ignore_patterns
for line in sys.stdin:
    root = Path(json.loads(line))
    try:
        files = get_file_tree(root, load_ignore_patterns(root))
        out = {"files": sorted(f.relative_to(root).as_posix() for f in files)}
    except Exception as e:
        out = {"error": type(e).__name__}
    print("@@" + json.dumps(out), flush=True)  # the SDK logs to stdout too
`;

type Outcome = { files: string[] } | { error: string };

/** One Python process answers for every tree (importing runpod_flash once). */
function cliOutcomes(roots: string[], cwd: string): Outcome[] {
  const r = spawnSync(python, ["-c", HARNESS], {
    cwd, // the SDK writes .flash/logs under its working directory
    input: roots.map((d) => JSON.stringify(d)).join("\n") + "\n",
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`python harness failed: ${r.stderr}`);
  return r.stdout.split("\n").filter((l) => l.startsWith("@@")).map((l) => JSON.parse(l.slice(2)) as Outcome);
}

async function ourOutcome(root: string): Promise<Outcome> {
  try {
    return { files: (await collectProjectTree(root)).files.sort() };
  } catch (e) {
    if (e instanceof IgnorePatternError) return { error: "pattern" };
    throw e;
  }
}

/** Python's outcome with the error class folded, for comparison. */
const normalize = (o: Outcome): Outcome => ("error" in o ? { error: "pattern" } : { files: [...o.files].sort() });

// --- generated cases -------------------------------------------------------


const NAMES = [
  "a", "b", "c", "src", "lib", "pkg", "docs", "tests", "test", "build", "dist", "env", "venv", ".venv", ".git",
  "__pycache__", "x.py", "y.py", "__init__.py", "README.md", "notes.md", "test_a.py", "a_test.py", "data.txt",
  "main.py", "f[1].py", "sp ace", "#hash", "!bang", "star*", "q?", "back\\slash", "é.py", "😀", "a.b.c",
  "foo.egg-info", "pkg.tar.gz", ".env", ".env.local", "README.MD", "x.pyc", "]", "-", "^x", "a-b", "ab",
];

const ATOMS = [
  "a", "b", "src", "docs", "x.py", "*.py", "*", "**", "?", "??", "[ab]", "[!a]", "[^a]", "[]a]", "[!]a]", "[a-c]*",
  "\\*", "\\!bang", "\\#hash", "test*", "*.md", "README.md", "sp ace", "f[[]1].py", "f\\[1].py", "é*", "*😀*",
  "q\\?", "*_test.py", "[a-]", "[-]", "[\\]", "a*b", "*.*", ".*", "[[]", "**.py", "a**", "x.p?", "*[!.]*", "[]",
  "[a", "ab[", "\\a", "back\\\\slash", "[^]]", "[---]", "[+--]",
];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

function randomPattern(r: () => number): string {
  const roll = r();
  if (roll < 0.04) return pick(r, ["#comment", "", "   ", "# x/"]);
  if (roll < 0.05) return pick(r, ["!", "x\\", "[z-a]", "a/[c-a]/b"]); // pathspec raises on these
  let p = "";
  if (r() < 0.18) p += "!";
  if (r() < 0.2) p += "/";
  const n = 1 + Math.floor(r() * 3);
  p += Array.from({ length: n }, () => pick(r, ATOMS)).join("/");
  if (r() < 0.25) p += "/";
  const tail = r();
  if (tail < 0.08) p += "  ";
  else if (tail < 0.12) p += "\\ ";
  else if (tail < 0.14) p += "\t";
  return p;
}

function writeTree(r: () => number, dir: string, depth: number): void {
  const count = 2 + Math.floor(r() * 4);
  for (let i = 0; i < count; i++) {
    const name = pick(r, NAMES);
    const path = join(dir, name);
    try {
      if (depth < 3 && r() < 0.4) {
        mkdirSync(path, { recursive: true });
        writeTree(r, path, depth + 1);
      } else {
        writeFileSync(path, name, { flag: "wx" });
      }
    } catch {
      // the name is already taken by the other kind: keep what is there
    }
  }
}

function makeRandomCase(seed: number, root: string): void {
  const r = seededRandom(seed);
  mkdirSync(root, { recursive: true });
  writeTree(r, root, 0);
  const lines = Array.from({ length: 1 + Math.floor(r() * 6) }, () => randomPattern(r));
  const eol = pick(r, ["\n", "\r\n", "\r"]);
  writeFileSync(join(root, ".gitignore"), lines.join(eol) + (r() < 0.5 ? eol : ""));
}

// --- fixed corner cases ------------------------------------------------------

const BUILTIN_TREE = [
  "README.md", "notes.md", "docs/README.md", "docs/guide.md", "a/README.md", "a/notes.md", "dist", "sub/dist/x.py",
  "build/x.py", "tests/t.py", "test_a.py", "sub/x_test.py", "env/x.py", "venv/x.py", ".venv/x.py", "x.egg-info/PKG",
  "y.egg-info", ".git/HEAD", "__pycache__/m.pyc", "m.pyc", ".env", ".env.local", "pkg.tar.gz", ".vscode/s.json",
  "src/app.py", "src/__init__.py", ".flash/x", ".build/x", ".runpod/x", ".idea/x", "m.pyo", "m.pyd",
];

const CORNERS: Record<string, { files: string[]; gitignore?: string | Buffer; links?: [string, string][] }> = {
  "built-ins only": { files: BUILTIN_TREE },
  "negation can re-include under an ignored-by-pattern folder": { files: BUILTIN_TREE, gitignore: "!docs/\n!build\n" },
  "a name with a final newline matches like Python's $": { files: ["foo\n", "bar\nx", "a/foo\n"], gitignore: "foo\nbar\n" },
  "symlinked file, folder and a broken link": {
    files: ["real/x.py", "y.py"],
    links: [["real", "linked"], ["y.py", "ylink.py"], ["missing", "broken"]],
    gitignore: "real/\n",
  },
  "non-UTF-8 .gitignore falls back to the built-ins": { files: ["a.py", "b.py"], gitignore: Buffer.from([0x61, 0x2e, 0x70, 0x79, 0x0a, 0xff]) },
  "BOM, form feed and odd line breaks in .gitignore": { files: ["a.py", "b.py", "c.py", "\ufeffa.py"], gitignore: "\ufeffa.py\fb.py\x1cc.py\u2028 \x85" },
  "anchors and double stars": { files: ["a/b/c.py", "b/c.py", "c.py", "x/a/b/c.py"], gitignore: "/a/**/c.py\n**/b/\n!/b\n" },
  "catch-all shapes": { files: ["a.py", "d/a.py", "d/e/a.py"], gitignore: "*/\n!d/e/\n" },
  "a lone negated slash keeps nested paths": { files: ["a.py", "d/a.py"], gitignore: "*\n!/\n" },
  "a bare ** and **/": { files: ["a.py", "d/a.py"], gitignore: "**/\n" },
  "trailing escaped space crashes the CLI after stripping": { files: ["a "], gitignore: "a\\ \n" },
};

function makeCorner(root: string, c: (typeof CORNERS)[string]): void {
  mkdirSync(root, { recursive: true });
  for (const f of c.files) {
    mkdirSync(join(root, f, ".."), { recursive: true });
    writeFileSync(join(root, f), f);
  }
  for (const [target, link] of c.links ?? []) symlinkSync(target, join(root, link));
  if (c.gitignore !== undefined) writeFileSync(join(root, ".gitignore"), c.gitignore);
}

// --- pattern-level comparison ------------------------------------------------

const PAIR_HARNESS = `
import json, sys, warnings
warnings.simplefilter("ignore")
import pathspec
for line in sys.stdin:
    pattern, paths = json.loads(line)
    try:
        spec = pathspec.PathSpec.from_lines("gitwildmatch", [pattern])
        print("@@" + json.dumps([spec.match_file(p) for p in paths]))
    except Exception as e:
        print("@@" + json.dumps("error"))
`;

function randomPath(r: () => number): string {
  return Array.from({ length: 1 + Math.floor(r() * 4) }, () => pick(r, NAMES)).join("/");
}

// --- the test -----------------------------------------------------------------

const SEEDS = Array.from({ length: 400 }, (_, i) => 1000 + i);
let base = "";
let expected: Outcome[] = [];
const cornerNames = Object.keys(CORNERS);

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), "ignore-parity-"));
  SEEDS.forEach((s) => makeRandomCase(s, join(base, `seed-${s}`)));
  cornerNames.forEach((n, i) => makeCorner(join(base, `corner-${i}`), CORNERS[n]));
  const roots = [...SEEDS.map((s) => join(base, `seed-${s}`)), ...cornerNames.map((_, i) => join(base, `corner-${i}`))];
  mkdirSync(join(base, "cwd"));
  expected = cliOutcomes(roots, join(base, "cwd")).map(normalize);
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe("file collection matches flash build's get_file_tree", () => {
  it(`agrees on ${SEEDS.length} generated trees and .gitignore files`, async () => {
    const mismatches: string[] = [];
    let errors = 0;
    for (const [i, seed] of SEEDS.entries()) {
      const ours = await ourOutcome(join(base, `seed-${seed}`));
      if ("error" in expected[i]) errors++;
      if (JSON.stringify(ours) !== JSON.stringify(expected[i])) {
        mismatches.push(`seed ${seed}: ours ${JSON.stringify(ours)} cli ${JSON.stringify(expected[i])}`);
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    // Most cases must produce a file list, or the test checks little.
    expect(errors).toBeLessThan(SEEDS.length / 4);
  });

  it("matches pathspec pattern by pattern on 3000 patterns x 40 paths", () => {
    const r = seededRandom(7);
    const cases = Array.from({ length: 3000 }, () => [randomPattern(r), Array.from({ length: 40 }, () => randomPath(r))] as const);
    const py = spawnSync(python, ["-c", PAIR_HARNESS], {
      cwd: join(base, "cwd"),
      input: cases.map((c) => JSON.stringify(c)).join("\n") + "\n",
      encoding: "utf8",
      maxBuffer: 1 << 28,
    });
    const answers = py.stdout.split("\n").filter((l) => l.startsWith("@@")).map((l) => JSON.parse(l.slice(2)) as boolean[] | "error");
    expect(answers.length).toBe(cases.length);
    const mismatches: string[] = [];
    let matched = 0;
    cases.forEach(([pattern, paths], i) => {
      let ours: boolean[] | "error";
      try {
        const m = ignoreMatcher([pattern]);
        ours = paths.map(m);
      } catch (e) {
        if (!(e instanceof IgnorePatternError)) throw e;
        ours = "error";
      }
      if (Array.isArray(ours)) matched += ours.filter(Boolean).length;
      if (JSON.stringify(ours) !== JSON.stringify(answers[i])) mismatches.push(`${JSON.stringify(pattern)}: ${JSON.stringify(paths)} ours ${JSON.stringify(ours)} pathspec ${JSON.stringify(answers[i])}`);
    });
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(matched).toBeGreaterThan(3000); // the generator reaches real matches
  });

  for (const [i, name] of cornerNames.entries()) {
    it(name, async () => {
      expect(await ourOutcome(join(base, `corner-${i}`))).toEqual(expected[SEEDS.length + i]);
    });
  }
});
