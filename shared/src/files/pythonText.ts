// Python's text rules where they differ from JavaScript's: the CLI reads files
// with `Path.read_text(encoding="utf-8")`, splits with `str.splitlines()` and
// strips with `str.strip()`, and each of those has its own character set.

/** `str.isspace()`: JS's trim() set differs (it strips U+FEFF, keeps U+001C–U+001F and U+0085). */
const PY_SPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;
const PY_LINE_BREAK = /\r\n|[\n\v\f\r\x1c-\x1e\x85\u2028\u2029]/u;

export function isPySpace(ch: string): boolean {
  return PY_SPACE.test(ch);
}

/** `str.strip()` with no argument. */
export function pyStrip(s: string): string {
  return pyRstrip(pyLstrip(s));
}

export function pyLstrip(s: string): string {
  let i = 0;
  while (i < s.length && isPySpace(s[i])) i++;
  return s.slice(i);
}

export function pyRstrip(s: string): string {
  let j = s.length;
  while (j > 0 && isPySpace(s[j - 1])) j--;
  return s.slice(0, j);
}

/** `str.splitlines()`: no trailing empty line, and more separators than \n. */
export function pySplitLines(s: string): string[] {
  const lines = s.split(new RegExp(PY_LINE_BREAK.source, "gu"));
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** What `open(..., newline=None)` does on read: \r\n and lone \r become \n. */
export function translateNewlines(s: string): string {
  return s.replace(/\r\n?/g, "\n");
}

/** `PurePath.suffix` of a POSIX path: ".py" for "a.py" and "..py", "" for ".py". */
export function pySuffix(relPosix: string): string {
  const name = relPosix.slice(relPosix.lastIndexOf("/") + 1);
  const i = name.lastIndexOf(".");
  return i > 0 && i < name.length - 1 ? name.slice(i) : "";
}

export type Utf8Result = { ok: true; text: string } | { ok: false; error: string; offset: number };

/**
 * `bytes.decode("utf-8")` (strict): on failure, `str(UnicodeDecodeError)` as CPython
 * words it, e.g. "'utf-8' codec can't decode byte 0xff in position 3: invalid start byte".
 * The byte-order mark is kept, as the "utf-8" codec (not "utf-8-sig") keeps it.
 */
export function decodeUtf8(bytes: Uint8Array): Utf8Result {
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    const bad = findUtf8Error(bytes);
    if (!bad) throw new Error("TextDecoder rejected bytes CPython's rules accept");
    const { start, end, reason } = bad;
    const where = end - start === 1
      ? `byte 0x${bytes[start].toString(16).padStart(2, "0")} in position ${start}`
      : `bytes in position ${start}-${end - 1}`;
    return { ok: false, error: `'utf-8' codec can't decode ${where}: ${reason}`, offset: start };
  }
}

const isCont = (b: number | undefined): boolean => b !== undefined && b >= 0x80 && b <= 0xbf;

/** The first error CPython's UTF-8 decoder reports (Objects/stringlib/codecs.h). */
function findUtf8Error(b: Uint8Array): { start: number; end: number; reason: string } | null {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) { i++; continue; }
    const invalidCont = (k: number) => ({ start: i, end: i + k, reason: "invalid continuation byte" });
    const truncated = { start: i, end: n, reason: "unexpected end of data" };
    if (c < 0xc2 || c > 0xf4) return { start: i, end: i + 1, reason: "invalid start byte" };
    if (c < 0xe0) {
      if (i + 1 >= n) return truncated;
      if (!isCont(b[i + 1])) return invalidCont(1);
      i += 2;
      continue;
    }
    // Second-byte limits exclude overlong forms, surrogates and code points past U+10FFFF.
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    const len = c < 0xf0 ? 3 : 4;
    const b1 = b[i + 1];
    if (b1 === undefined) return truncated;
    if (b1 < lo || b1 > hi) return invalidCont(1);
    for (let k = 2; k < len; k++) {
      if (i + k >= n) return truncated;
      if (!isCont(b[i + k])) return invalidCont(k);
    }
    i += len;
  }
  return null;
}
