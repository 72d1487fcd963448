// Differential tests of our local-import validation against runpod-flash's own
// validate_local_module_imports, on the fixture projects under
// test/fixtures/local-imports/ and on generated ones, plus our Python syntax
// check against ast.parse on real and mutated source.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectProjectFiles } from "../../shared/src/files/collectFiles";
import { checkLocalImports, type LocalImportReport } from "../../shared/src/files/localImports";
import { parsePython } from "../../shared/src/files/python/parsePython";
import { decodeUtf8 } from "../../shared/src/files/pythonText";
import { seededRandom } from "../helpers/seededRandom";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const python = join(repo, ".tools/venv/bin/python");
const fixtures = join(repo, "test/fixtures/local-imports");
const work = mkdtempSync(join(tmpdir(), "local-imports-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const HARNESS = `
import json, sys
from pathlib import Path
import runpod_flash.cli.commands.build as build
from runpod_flash.cli.utils.ignore import get_file_tree, load_ignore_patterns
from runpod_flash.core.exceptions import LocalModuleResolutionError
for line in sys.stdin:
    req = json.loads(line)
    root = Path(req["root"])
    warnings = []
    build.print_warning = lambda console, msg: warnings.append(str(msg))
    shipped = sorted(f.relative_to(root).as_posix() for f in get_file_tree(root, load_ignore_patterns(root)))
    try:
        # our walk order, so that "imported by" does not depend on os.listdir order
        build.validate_local_module_imports([root / f for f in req["files"]], root)
        message = None
    except LocalModuleResolutionError as e:
        message = str(e)
    print("@@" + json.dumps({"message": message, "warnings": warnings, "shipped": shipped}), flush=True)
`;

interface CliOutcome {
  message: string | null;
  warnings: string[];
  shipped: string[];
}

function cli(requests: { root: string; files: string[] }[]): CliOutcome[] {
  const r = spawnSync(python, ["-c", HARNESS], {
    cwd: work, // the SDK writes .flash/logs under its working directory
    input: requests.map((q) => JSON.stringify(q)).join("\n") + "\n",
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.split("\n").filter((l) => l.startsWith("@@")).map((l) => JSON.parse(l.slice(2)) as CliOutcome);
}

async function ours(root: string): Promise<{ files: string[]; report: LocalImportReport }> {
  const files = await collectProjectFiles(root);
  return { files, report: await checkLocalImports(root, files) };
}

describe("local imports match validate_local_module_imports on the fixtures", () => {
  const names = readdirSync(fixtures).sort();
  let expected: CliOutcome[] = [];
  const results = new Map<string, Awaited<ReturnType<typeof ours>>>();

  beforeAll(async () => {
    for (const n of names) results.set(n, await ours(join(fixtures, n)));
    expected = cli(names.map((n) => ({ root: join(fixtures, n), files: results.get(n)!.files })));
  });

  names.forEach((name, i) => {
    it(`${name}: same refusal and warnings`, () => {
      const { files, report } = results.get(name)!;
      expect(files).toEqual(expected[i].shipped);
      // The CLI validates the project folder itself (before copying it): its messages, and ours, name it absolutely.
      expect(report.refusal?.message ?? null).toBe(expected[i].message);
      expect(report.warnings.map((w) => w.message)).toEqual(expected[i].warnings);
    });
  });

  it("marks the import statement of an excluded module, in the shipped file that wrote it", () => {
    const r = results.get("nested-packages")!.report.refusal!;
    expect(r.files).toEqual(["core/models/user.py"]);
    expect(r.sites).toEqual([{ file: "core/models/user.py", line: 2, col: 0 }]);
  });

  it("marks an import inside a function at its own line", () => {
    const r = results.get("import-inside-function")!.report.refusal!;
    expect(r.message).toContain("  local_only.py (imported by worker.py)\n  plugins/__init__.py (imported by worker.py)\n  plugins/extra.py (imported by worker.py)");
    expect(r.sites[0]).toEqual({ file: "worker.py", line: 9, col: 8 });
  });

  it("marks the broken relative import and the syntax error where they are", () => {
    expect(results.get("unresolvable-relative-import-in-endpoint")!.report.refusal!.sites).toEqual([{ file: "app/api.py", line: 2, col: 0 }]);
    expect(results.get("syntax-error-in-dependency")!.report.refusal!.sites).toEqual([
      { file: "helpers.py", line: 2, col: 0 },
      { file: "main.py", line: 2, col: 0 },
    ]);
  });
});

describe("each check reads the files as they are now", () => {
  // Parses are reused across checks while a file's bytes are unchanged: an edit at
  // the same path, even to the same size, must be seen by the next check.
  it("follows a dependency through broken, fixed and broken-again contents at the same path", async () => {
    const root = join(work, "edited-dependency");
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, "main.py"), "from runpod_flash import remote\nfrom helpers import fmt\n\n\n@remote\ndef run(x):\n    return fmt(x)\n");
    const good = 'def fmt(x):\n    return f"{x!r}"\n';
    const bad = 'def fmt(x):\n    return f"{x!z}"\n'; // same size as good
    const verdicts: (string | null)[] = [];
    for (const text of [good, bad, good, bad]) {
      writeFileSync(join(root, "helpers.py"), text);
      verdicts.push((await ours(root)).report.refusal?.message ?? null);
    }
    // What the CLI says of each state.
    const states: (string | null)[] = [];
    for (const text of [good, bad]) {
      writeFileSync(join(root, "helpers.py"), text);
      states.push(cli([{ root, files: ["helpers.py", "main.py"] }])[0].message);
    }
    expect(states[0]).toBeNull();
    expect(states[1]).toContain("Could not parse " + join(root, "helpers.py") + " while resolving local imports");
    expect(verdicts).toEqual([states[0], states[1], states[0], states[1]]);
  });
});

// --- generated projects -------------------------------------------------------


const MODULES = ["main.py", "api.py", "pkg/__init__.py", "pkg/a.py", "pkg/b.py", "pkg/sub/__init__.py", "pkg/sub/c.py", "tests/t.py", "x_test.py", "docs/d.py", "json.py", "lib/util.py"];
const IMPORTS = [
  "import pkg.a", "from pkg import b", "from pkg.sub import c", "import lib.util", "import tests.t", "import x_test",
  "from docs import d", "import json", "import os, sys", "from pkg import *", "import pkg.sub.c as c",
  "import importlib\nimportlib.import_module('pkg.b')", "def f():\n    import x_test", "class K:\n    import docs.d",
  "try:\n    import lib.util\nexcept ImportError:\n    pass", "from . import a", "from .b import x", "from .sub import c",
  "from . import *", "from .. import outside", "from ... import outside", "__import__(name)", "from .missing import y",
  "if x:\n    from .. import missing",
];
const BODIES = ["", "", "", "@remote\ndef handler(x):\n    return x\n", "@rf.Endpoint(name='e')\nclass Worker:\n    pass\n", "def broken(:\n    pass\n"];

function generateProject(seed: number, root: string): void {
  const r = seededRandom(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, "..", "outside.py"), "X = 1\n"); // reachable only by climbing out of the project
  for (const f of MODULES.filter(() => r() < 0.6)) {
    const lines = Array.from({ length: Math.floor(r() * 4) }, () => pick(IMPORTS));
    const body = r() < 0.1 ? BODIES[5] : pick(BODIES.slice(0, 5));
    mkdirSync(join(root, dirname(f)), { recursive: true });
    writeFileSync(join(root, f), r() < 0.05 ? Buffer.from([0x78, 0x20, 0x3d, 0x20, 0xff, 0x0a]) : `${lines.join("\n")}\n\n${body}`);
  }
  if (r() < 0.4) writeFileSync(join(root, ".gitignore"), pick(["pkg/b.py\n", "lib/\n", "pkg/sub/\n", "api.py\n"]));
}

describe("local imports match validate_local_module_imports on generated projects", () => {
  const seeds = Array.from({ length: 120 }, (_, i) => 500 + i);
  it(`agrees on ${seeds.length} generated projects`, async () => {
    const roots = seeds.map((s) => join(work, `gen-${s}`, "proj"));
    seeds.forEach((s, i) => generateProject(s, roots[i]));
    const mine = await Promise.all(roots.map(ours));
    const theirs = cli(roots.map((root, i) => ({ root, files: mine[i].files })));
    const mismatches: string[] = [];
    const kinds = new Set<string>();
    roots.forEach((root, i) => {
      const want = theirs[i].message === null ? null : theirs[i].message!;
      const got = mine[i].report.refusal?.message ?? null;
      kinds.add(want === null ? "none" : want.split(" ").slice(0, 2).join(" "));
      if (got !== want) mismatches.push(`seed ${seeds[i]}:\n  ours: ${got}\n  cli:  ${want}`);
      const warnings = theirs[i].warnings.map((w) => w);
      const mineWarnings = mine[i].report.warnings.map((w) => w.message);
      if (JSON.stringify(mineWarnings) !== JSON.stringify(warnings)) mismatches.push(`seed ${seeds[i]} warnings:\n  ours: ${JSON.stringify(mineWarnings)}\n  cli:  ${JSON.stringify(warnings)}`);
    });
    expect(mismatches.slice(0, 3)).toEqual([]);
    // The generator reaches every kind of outcome.
    expect([...kinds].sort()).toEqual(expect.arrayContaining(["Cannot resolve", "Could not", "Imported local", "Shipped code", "none"]));
  });
});

// --- the syntax check ------------------------------------------------------------

const SYNTAX_HARNESS = `
import ast, json, random, sys, warnings
warnings.simplefilter("ignore")
from pathlib import Path
lib = Path(sys.base_prefix) / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
paths = sorted(str(p) for p in lib.glob("*.py"))
rng = random.Random(int(sys.argv[1]))
SNIPPETS = ["(", ")", "[", "]", "{", "}", ":", ",", "=", ":=", "*", "**", "'", '"', '"""', "\\\\", "#", "@", "if ", "else",
            "for ", " in ", "lambda", "def ", "return", "yield", "not ", "import ", "from ", "as ", "\\n", "\\n    ", "\\t",
            "f'{", "!", ".", "0x", "1_", "09", "€", "print ", "match ", "case ", "->", ";", "try:", "except", "with "]
for path in rng.sample(paths, 150):
    src = open(path, encoding="utf-8").read()
    lines = src.split("\\n")
    for k in range(4):
        mutated = lines[:]
        if k:
            i = rng.randrange(len(mutated))
            line = mutated[i]
            j = rng.randrange(len(line) + 1)
            if rng.random() < 0.5:
                mutated[i] = line[:j] + rng.choice(SNIPPETS) + line[j:]
            else:
                mutated[i] = line[:j] + line[j + rng.choice([1, 2, 4]):]
        text = "\\n".join(mutated)
        try:
            ast.parse(text)
            err = None
        except SyntaxError as e:
            err = str(e)
        print("@@" + json.dumps({"src": text, "err": err}))
`;

describe("the Python syntax check agrees with CPython's ast.parse", () => {
  it("on standard-library modules and mutations of them", () => {
    const r = spawnSync(python, ["-c", SYNTAX_HARNESS, "11"], { cwd: work, encoding: "utf8", maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(r.stderr);
    const cases = r.stdout.split("\n").filter((l) => l.startsWith("@@")).map((l) => JSON.parse(l.slice(2)) as { src: string; err: string | null });
    let verdicts = 0;
    let messages = 0;
    let errors = 0;
    const wrongVerdict: string[] = [];
    for (const c of cases) {
      const p = parsePython(c.src);
      const got = p.ok ? null : p.error.toString();
      if ((got === null) === (c.err === null)) verdicts++;
      else wrongVerdict.push(`ours ${got} / cli ${c.err}`);
      if (c.err !== null) {
        errors++;
        if (got === c.err) messages++;
      }
    }
    expect(cases.length).toBe(600);
    expect(wrongVerdict).toEqual([]);
    expect(verdicts).toBe(cases.length);
    expect(errors).toBeGreaterThan(150);
    // The wording (message and line) matches in all but rare cases (see parsePython.ts).
    expect(messages / errors).toBeGreaterThan(0.98);
  });
});

describe("UTF-8 decode errors are worded as CPython words them", () => {
  it("on 400 random byte strings", () => {
    const r = seededRandom(99);
    const pool = [0x41, 0x0a, 0x80, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xa0, 0xed, 0x9f, 0xef, 0xf0, 0x90, 0xf4, 0x8f, 0xf5, 0xff];
    const samples = Array.from({ length: 400 }, () => Array.from({ length: 1 + Math.floor(r() * 6) }, () => pool[Math.floor(r() * pool.length)]));
    const script = `
import json, sys
for line in sys.stdin:
    b = bytes(json.loads(line))
    try:
        b.decode("utf-8"); out = None
    except UnicodeDecodeError as e:
        out = str(e)
    print("@@" + json.dumps(out))
`;
    const py = spawnSync(python, ["-c", script], { cwd: work, input: samples.map((s) => JSON.stringify(s)).join("\n") + "\n", encoding: "utf8" });
    const expected = py.stdout.split("\n").filter((l) => l.startsWith("@@")).map((l) => JSON.parse(l.slice(2)) as string | null);
    const got = samples.map((s) => {
      const d = decodeUtf8(new Uint8Array(s));
      return d.ok ? null : d.error;
    });
    expect(got).toEqual(expected);
    expect(expected.filter((e) => e !== null).length).toBeGreaterThan(200);
  });
});
