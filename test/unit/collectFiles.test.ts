// File collection without Python: pathspec's per-path semantics, Python's text
// rules for .gitignore, path orders, and what we do where the CLI would loop.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  BUILTIN_IGNORE_PATTERNS, collectProjectFiles, collectProjectTree, comparePaths, ignoreMatcher, IgnorePatternError, parseIgnoreFile,
  scanModules,
} from "../../shared/src/files/collectFiles";
import { compareCodePoints } from "../../shared/src/files/pathOrder";
import { decodeUtf8, pySplitLines, pyStrip } from "../../shared/src/files/pythonText";

const builtins = ignoreMatcher(BUILTIN_IGNORE_PATTERNS);

describe("ignore matching follows pathspec, path by path", () => {
  it("keeps docs/README.md: each path is tested alone and !README.md matches last", () => {
    expect(builtins("docs")).toBe(false); // "docs/" needs the slash, so the walk goes in
    expect(builtins("docs/README.md")).toBe(false);
    expect(builtins("docs/guide.md")).toBe(true);
  });

  it("does not match a bare folder name against a folder pattern", () => {
    expect(builtins("dist")).toBe(false);
    expect(builtins("dist/app.py")).toBe(true);
    expect(builtins("sub/dist/app.py")).toBe(true);
  });

  it("lets the last matching pattern win", () => {
    const m = ignoreMatcher(["*.py", "!keep.py", "keep.py"]);
    expect(m("keep.py")).toBe(true);
    expect(ignoreMatcher(["*.py", "!keep.py"])("a/keep.py")).toBe(false);
  });

  it("anchors patterns with a leading or inner slash", () => {
    expect(ignoreMatcher(["/a.py"])("sub/a.py")).toBe(false);
    expect(ignoreMatcher(["a/b"])("x/a/b")).toBe(false);
    expect(ignoreMatcher(["a/**/b"])("a/x/y/b")).toBe(true);
    expect(ignoreMatcher(["a/**/b"])("a/b")).toBe(true);
  });

  it("reads bracket expressions as Python's re does", () => {
    expect(ignoreMatcher(["[]a]"])("]")).toBe(true); // a leading ] is a member
    expect(ignoreMatcher(["[!]a]"])("b")).toBe(true);
    expect(ignoreMatcher(["[a-]"])("-")).toBe(true);
    expect(ignoreMatcher(["[\\]"])("\\")).toBe(true); // backslashes are literal inside
  });

  it("drops a pattern with an unclosed bracket, as git does", () => {
    expect(ignoreMatcher(["a[b", "*.py"])("a[b")).toBe(false);
  });

  it("throws where pathspec raises and flash build stops", () => {
    expect(() => ignoreMatcher(["[z-a]"])).toThrow(IgnorePatternError);
    expect(() => ignoreMatcher(["!"])).toThrow(IgnorePatternError);
    expect(() => ignoreMatcher(["tail\\"])).toThrow(IgnorePatternError);
  });

  it("ignores blank lines, comments and a lone slash", () => {
    const m = ignoreMatcher(["", "#a.py", "/"]);
    expect(m("a.py")).toBe(false);
    expect(ignoreMatcher(["\\#a.py"])("#a.py")).toBe(true);
  });

  it("matches before a final newline, as Python's $ does", () => {
    expect(ignoreMatcher(["foo"])("foo\n")).toBe(true);
    expect(ignoreMatcher(["foo"])("foo\nx")).toBe(false);
  });

  it("treats an escaped trailing space as part of the name", () => {
    expect(ignoreMatcher(["a\\ "])("a ")).toBe(true);
    expect(ignoreMatcher(["a  "])("a")).toBe(true);
  });
});

describe(".gitignore text follows Python's str rules", () => {
  it("splits on every line break splitlines() knows", () => {
    expect(pySplitLines("a\fb\x1cc\u2028d\x85e\r\nf\n")).toEqual(["a", "b", "c", "d", "e", "f"]);
  });

  it("strips what str.strip() strips, and keeps a byte-order mark", () => {
    expect(pyStrip("\x1f a \u3000")).toBe("a");
    expect(parseIgnoreFile("\ufeffbuild/\n  # note\n\n x.py \n")).toEqual(["\ufeffbuild/", "x.py"]);
  });

  it("words a UTF-8 error as CPython does", () => {
    expect(decodeUtf8(new Uint8Array([0x61, 0xff]))).toEqual({ ok: false, error: "'utf-8' codec can't decode byte 0xff in position 1: invalid start byte", offset: 1 });
    expect(decodeUtf8(new Uint8Array([0xe2, 0x82]))).toMatchObject({ error: "'utf-8' codec can't decode bytes in position 0-1: unexpected end of data" });
    expect(decodeUtf8(new Uint8Array([0xed, 0xa0, 0x80]))).toMatchObject({ error: "'utf-8' codec can't decode byte 0xed in position 0: invalid continuation byte" });
  });
});

describe("path orders", () => {
  it("compares paths part by part, like sorted() of Path objects", () => {
    expect(["a-b/x.py", "a/b.py", "a.py"].sort(comparePaths)).toEqual(["a/b.py", "a-b/x.py", "a.py"]);
  });

  it("compares strings by code point, not UTF-16 unit", () => {
    expect(compareCodePoints("\u{1F600}", "\uFF21")).toBeGreaterThan(0);
  });

  it("lists scanned modules as the scanner does: .py suffix, no __init__.py", () => {
    expect(scanModules(["b.py", ".py", "pkg/__init__.py", "a..py", "pkg/m.py", "notes.txt"])).toEqual(["a..py", "b.py", "pkg/m.py"]);
  });
});

describe("collecting a tree", () => {
  const base = mkdtempSync(join(tmpdir(), "collect-"));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it("does not follow a folder symlink back into a folder being walked, and reports it", async () => {
    const root = join(base, "loop");
    mkdirSync(join(root, "a/b"), { recursive: true });
    writeFileSync(join(root, "a/b/x.py"), "");
    symlinkSync("../..", join(root, "a/b/up"));
    const tree = await collectProjectTree(root);
    expect(tree.files).toEqual(["a/b/x.py"]);
    expect(tree.symlinkCycles).toEqual(["a/b/up"]);
  });

  it("follows symlinks to files and folders elsewhere, like Path.is_file()/is_dir()", async () => {
    const root = join(base, "links");
    mkdirSync(join(base, "elsewhere"), { recursive: true });
    writeFileSync(join(base, "elsewhere/lib.py"), "");
    mkdirSync(root);
    symlinkSync(join(base, "elsewhere"), join(root, "vendor"));
    symlinkSync(join(base, "elsewhere/lib.py"), join(root, "lib.py"));
    symlinkSync(join(base, "nowhere"), join(root, "broken.py"));
    expect(await collectProjectFiles(root)).toEqual(["lib.py", "vendor/lib.py"]);
  });

  it("reports names that are not UTF-8 instead of shipping them", async () => {
    const root = join(base, "bytes");
    mkdirSync(root);
    writeFileSync(Buffer.concat([Buffer.from(root + "/"), Buffer.from([0x66, 0xff, 0x2e, 0x70, 0x79])]), "");
    writeFileSync(join(root, "ok.py"), "");
    const tree = await collectProjectTree(root);
    expect(tree.files).toEqual(["ok.py"]);
    expect(tree.undecodableNames).toEqual(["f\ufffd.py"]);
  });

  it("falls back to the built-ins when .gitignore is not UTF-8, with the CLI's warning", async () => {
    const root = join(base, "latin1");
    mkdirSync(root);
    writeFileSync(join(root, ".gitignore"), Buffer.from([0x61, 0x2e, 0x70, 0x79, 0x0a, 0xe9]));
    writeFileSync(join(root, "a.py"), "");
    const tree = await collectProjectTree(root);
    expect(tree.files).toEqual(["a.py"]);
    expect(tree.warnings).toEqual(["Failed to read .gitignore: 'utf-8' codec can't decode byte 0xe9 in position 5: unexpected end of data"]);
  });
});
