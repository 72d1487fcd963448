// The probe is standard library only and must behave the same on Python 3.10–3.13.
// Each available interpreter gets a cached venv with runpod-flash 1.21.0 (.tools/),
// scans the same fixtures, and must report the same facts as the default venv.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scanProject } from "../../shared/src/scan/scanProject";
import type { ScanResult } from "../../shared/src/scan/scanResult";

const ROOT = join(__dirname, "..", "..");
const DEFAULT_PYTHON = join(ROOT, ".tools", "venv", "bin", "python");
const FIXTURES = ["lb-routes-all-five-methods", "class-methods-with-params", "syntax-error", "missing-declared-dependency", "cross-call-attribute-call"];

/** An interpreter of that version: on PATH, or installed by pyenv (whose shims answer only the global version). */
function interpreter(version: string): string | null {
  const pyenv = join(process.env.PYENV_ROOT ?? join(process.env.HOME ?? "/root", ".pyenv"), "versions");
  const installed = existsSync(pyenv) ? readdirSync(pyenv).filter((v) => v.startsWith(`${version}.`)).sort().reverse() : [];
  for (const candidate of [`python${version}`, ...installed.map((v) => join(pyenv, v, "bin", `python${version}`))]) {
    const r = spawnSync(candidate, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], { encoding: "utf8" });
    if (r.status === 0 && r.stdout.trim() === version) return candidate;
  }
  return null;
}

function venvFor(version: string): string | null {
  const base = interpreter(version);
  if (!base) return null;
  const venv = join(ROOT, ".tools", `venv-${version}`);
  const python = join(venv, "bin", "python");
  const stamp = join(venv, "flash.stamp");
  if (!existsSync(stamp)) {
    for (const [cmd, args] of [
      [base, ["-m", "venv", venv]],
      [python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "runpod-flash==1.21.0"]],
    ] as const) {
      const r = spawnSync(cmd, [...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
    }
    writeFileSync(stamp, "runpod-flash==1.21.0\n");
  }
  return python;
}

/** Facts that must not depend on the interpreter's version. */
function facts(scan: ScanResult) {
  return {
    functions: scan.functions.map((f) => ({ meta: f.meta, site: f.site, calls: f.calls })),
    importErrors: scan.importErrors,
    failures: scan.failures.map((f) => [f.file, f.failure.kind, f.failure.location?.line, f.failure.missingModule]),
    crossCalls: scan.crossCalls,
  };
}

describe.each(["3.10", "3.13"])("the probe on Python %s", (version) => {
  const python = venvFor(version);
  it.skipIf(!python).each(FIXTURES)(`%s: same facts as on the default interpreter`, async (fixture) => {
    // Copies: importing the SDK writes .flash/logs into the working directory.
    const copies = [0, 1].map(() => {
      const dir = join(mkdtempSync(join(tmpdir(), "flash-pyver-")), fixture);
      cpSync(join(ROOT, "test", "fixtures", "scan", fixture), dir, { recursive: true });
      return dir;
    });
    const [theirs, ours] = await Promise.all([scanProject(copies[0], { python: python! }), scanProject(copies[1], { python: DEFAULT_PYTHON })]);
    copies.forEach((c) => rmSync(c, { recursive: true, force: true }));
    expect(theirs.interpreter.python.startsWith(version)).toBe(true);
    const expected = facts(ours);
    const actual = facts(theirs);
    // Python 3.10 has no column offsets in tracebacks; lines must still agree.
    if (version === "3.10") {
      const strip = (x: typeof expected) => JSON.parse(JSON.stringify(x, (k, v) => (k === "endCol" || k === "endLine" || (k === "col" && typeof v === "number") ? undefined : v)));
      expect(strip(actual)).toEqual(strip(expected));
    } else {
      expect(actual).toEqual(expected);
    }
  }, 180_000);
});
