// pyJsonDumps against the real thing: every expected text below is what Python's
// json.dumps(..., indent=2) prints in the reference interpreter, compared byte for byte.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { pyDict, pyFloat, pyInt, pyJsonDumps, pyRaw, rawObjectEntries, type PyJson } from "../../shared/src/manifest/pyJson";
import { compareCodePoints, pyFloatRepr, pyStrListRepr } from "../../shared/src/manifest/pyRepr";

const PYTHON = process.env.FLASH_TEST_PYTHON ?? join(fileURLToPath(new URL("../..", import.meta.url)), ".tools", "venv", "bin", "python");

/** Runs Python code, feeding `input` on stdin; returns stdout exactly (no newline added). */
function python(code: string, input = ""): string {
  const r = spawnSync(PYTHON, ["-c", code], { input, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return r.stdout;
}

/** json.dumps(eval(expr), indent=2), as Python writes it. */
const dumps = (expr: string): string => python(`import json,sys; sys.stdout.write(json.dumps(${expr}, indent=2))`);

describe("pyJsonDumps", () => {
  it("keeps dict keys in insertion order, integer-like keys included", () => {
    const value = pyDict([["b", pyInt(1)], ["1", pyInt(2)], ["10", true], ["0", null], ["a", []], ["c", pyDict()]]);
    expect(pyJsonDumps(value)).toBe(dumps(`{"b": 1, "1": 2, "10": True, "0": None, "a": [], "c": {}}`));
  });

  it("escapes non-ASCII keys and values as \\uXXXX, astral characters as surrogate pairs", () => {
    const value = pyDict([["café", "日本"], ["😀", "x\u2028y"], ["ünïcode", ["é", "\ud800"]]]);
    expect(pyJsonDumps(value)).toBe(dumps(`{"café": "日本", "\\U0001F600": "x\\u2028y", "ünïcode": ["é", "\\ud800"]}`));
  });

  it("writes control characters, quotes and backslashes the way Python does", () => {
    const s = "\x00\x01\b\t\n\x0b\f\r\x1f\x7f\"\\/'";
    expect(pyJsonDumps([s])).toBe(dumps(`["\\x00\\x01\\b\\t\\n\\x0b\\f\\r\\x1f\\x7f\\"\\\\/'"]`));
  });

  it("nests with two spaces, ',' at line ends and [] / {} for empty containers, no trailing newline", () => {
    const value = pyDict([["a", [pyDict([["x", []], ["y", pyDict()]]), [[]], false]], ["z", pyDict([["k", [pyInt(1), pyInt(2)]]])]]);
    const expected = dumps(`{"a": [{"x": [], "y": {}}, [[]], False], "z": {"k": [1, 2]}}`);
    expect(pyJsonDumps(value)).toBe(expected);
    expect(expected.endsWith("}")).toBe(true);
  });

  it("formats ints exactly, large and negative", () => {
    const value = [pyInt(0), pyInt(-7), pyInt(2n ** 70n), pyInt(-(10n ** 30n))];
    expect(pyJsonDumps(value)).toBe(dumps(`[0, -7, 2**70, -(10**30)]`));
  });

  it("formats floats with float.__repr__: 1.0, 1e-07, 1e+16, NaN, Infinity", () => {
    const xs = [1.0, 1e-7, 1e16, 1e15, 1e100, 0.1, -0.0, 0.0001, 0.00001, 123456789.125, 5e-324, 1.7976931348623157e308, 2.5e-5, 1.5e16];
    const value = [...xs.map(pyFloat), pyFloat(NaN), pyFloat(Infinity), pyFloat(-Infinity)];
    const expr = `[${xs.map((x) => (Object.is(x, -0) ? "-0.0" : x.toExponential())).join(", ")}, float("nan"), float("inf"), float("-inf")]`;
    expect(pyJsonDumps(value)).toBe(dumps(expr));
  });

  it("matches repr() for 3000 random doubles", () => {
    const view = new DataView(new ArrayBuffer(8));
    let seed = 12345n;
    const xs: number[] = [];
    while (xs.length < 3000) {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
      view.setBigUint64(0, seed);
      const x = view.getFloat64(0);
      if (Number.isFinite(x)) xs.push(x);
    }
    const hexes = xs.map((x) => {
      view.setFloat64(0, x);
      return view.getBigUint64(0).toString(16);
    });
    const reprs = python(
      "import struct,sys\nfor h in sys.stdin.read().split():\n print(repr(struct.unpack('>d', bytes.fromhex(h.rjust(16,'0')))[0]))",
      hexes.join("\n"),
    ).trimEnd().split("\n");
    expect(xs.map(pyFloatRepr)).toEqual(reprs);
  });

  it("encodes random strings (lone surrogates included) as Python does", () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const pool = [0x00, 0x1f, 0x20, 0x22, 0x41, 0x5c, 0x7e, 0x7f, 0x80, 0xe9, 0x2028, 0xd83d, 0xde00, 0xdc00, 0xfeff, 0xffff];
    const strings = Array.from({ length: 300 }, () => String.fromCharCode(...Array.from({ length: next() % 12 }, () => pool[next() % pool.length])));
    const expected = python("import json,sys; sys.stdout.write(json.dumps(json.loads(sys.stdin.read()), indent=2))", JSON.stringify(strings));
    expect(pyJsonDumps(strings)).toBe(expected);
  });
});

describe("raw nodes", () => {
  // A config as the probe sends it: json.dumps(config), compact, straight from Python.
  const configExpr = `{"max_concurrency": 3, "workersMin": 0, "scale": 1.0, "tiny": 1e-07, "big": 1e+100, "n": float("nan"), "inf": float("inf"), "env": {"Z": "1", "1": "\\u00e9\\U0001F600"}, "empty": [], "nested": [{}, [1.5, True, None]], "ints": 10**20}`;
  const compact = python(`import json,sys; sys.stdout.write(json.dumps(${configExpr}))`);

  it("re-indents a compact json.dumps text at any depth, tokens untouched", () => {
    const value = pyDict([["resources", pyDict([["gpu", pyDict([["name", "gpu"], ["config", pyRaw(compact)]])]])]]);
    expect(pyJsonDumps(value)).toBe(dumps(`{"resources": {"gpu": {"name": "gpu", "config": ${configExpr}}}}`));
  });

  it("splits a raw object into decoded keys and raw values that splice back identically", () => {
    const entries = rawObjectEntries(compact);
    expect(entries.map(([k]) => k)).toEqual(["max_concurrency", "workersMin", "scale", "tiny", "big", "n", "inf", "env", "empty", "nested", "ints"]);
    expect(entries.find(([k]) => k === "scale")?.[1].json).toBe("1.0");
    const spliced = pyDict([["before", true], ...(entries as [string, PyJson][]), ["after", false]]);
    const expr = `dict([("before", True), *(${configExpr}).items(), ("after", False)])`;
    expect(pyJsonDumps(spliced)).toBe(dumps(expr));
  });

  it("keeps raw scalars and empty raw containers as written", () => {
    expect(pyJsonDumps([pyRaw("1.0"), pyRaw("-Infinity"), pyRaw("[]"), pyRaw("{}"), pyRaw('"\\u00e9"')])).toBe(dumps(`[1.0, float("-inf"), [], {}, "é"]`));
  });

  it("rejects text Python's encoder could not have written", () => {
    expect(() => pyJsonDumps(pyRaw("{'a': 1}"))).toThrow(/malformed raw JSON/);
    expect(() => pyJsonDumps(pyRaw("[1, undefined]"))).toThrow(/malformed raw JSON/);
    expect(() => pyJsonDumps(pyRaw("[1] 2"))).toThrow(/trailing text/);
  });
});

describe("Python str helpers", () => {
  it("repr()s a list of str as Python does, quotes and escapes included", () => {
    const items = ["3.10", "it's", 'say "hi"', "both ' \"", "tab\t", "é", "\u200b", "\ud83d\ude00", "\x7f"];
    const expected = python(`import sys, json; sys.stdout.write(repr(json.loads(sys.stdin.read())))`, JSON.stringify(items));
    expect(pyStrListRepr(items)).toBe(expected);
  });

  it("sorts by code point, as sorted() does, not by UTF-16 unit", () => {
    const items = ["\uff61", "\ud83d\ude00", "a", "B", "", "ab", "\ue000"];
    const expected = JSON.parse(python(`import sys, json; print(json.dumps(sorted(json.loads(sys.stdin.read()))))`, JSON.stringify(items)));
    expect([...items].sort(compareCodePoints)).toEqual(expected);
  });
});
