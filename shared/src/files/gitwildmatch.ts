// A port of pathspec 1.1.1's "gitwildmatch" patterns (GitIgnoreSpecPattern in
// pathspec/patterns/gitignore/spec.py and base.py), the matcher flash build uses.
//
// Why a port and not the npm `ignore` package: `ignore` implements git's own
// semantics (a path is tested together with its parent folders, `docs/` then
// `!README.md` keeps docs/README.md ignored), while pathspec tests every path on
// its own against a Python regular expression, last match wins. The differences
// go deeper than how the library is called: pathspec turns bracket expressions
// into Python regex classes verbatim (so `[]a]`, `[z-a]`, `[!]` behave as Python's
// `re` parses them), drops a pattern with an unclosed `[`, raises on a trailing
// backslash, uses `re.search` (not `match`) and Python's `$`, which also matches
// before a final newline. Each of those is reproduced here and checked against
// the real pathspec by test/integration/ignoreParity.test.ts.
import { pyRstrip } from "./pythonText";

/** pathspec raises on this pattern, so `flash build` stops with a traceback. */
export class IgnorePatternError extends Error {
  constructor(readonly pattern: string, reason: string) {
    super(`flash build cannot compile the ignore pattern ${JSON.stringify(pattern)}: ${reason}`);
  }
}

export interface CompiledPattern {
  /** True: a match ignores the path; false: a match (a `!` pattern) keeps it. */
  readonly include: boolean;
  readonly regex: RegExp;
}

// Python regex pieces pathspec emits, spelled for a JS regex with the `u` flag.
const ANY = "[^\\n]"; // Python's `.` without DOTALL
const END = "(?=\\n?$)"; // Python's `$` without MULTILINE
const DIR_MARK = "/";
const DIR_MARK_OPT = `(?:/|${END})`;

/** pattern_to_regex: null for a pattern that matches nothing (blank, comment, `/`, bad range). */
export function compileGitWildMatch(original: string): CompiledPattern | null {
  // Spaces can be escaped with a backslash; otherwise trailing whitespace goes.
  let pattern = original.endsWith("\\ ") ? original : pyRstrip(original);
  if (!pattern || pattern.startsWith("#") || pattern === "/") return null;
  const include = !pattern.startsWith("!");
  if (!include) pattern = pattern.slice(1);

  const segs = pattern.split("/");
  const isDirPattern = segs[segs.length - 1] === "";
  const normalized = normalizeSegments(isDirPattern, segs, original);
  let source: string;
  if (typeof normalized === "string") {
    source = normalized;
  } else {
    try {
      source = translateSegments(isDirPattern, normalized);
    } catch (e) {
      if (e instanceof RangeNotation) return null; // git discards such patterns, so does pathspec
      throw new IgnorePatternError(original, (e as Error).message);
    }
  }
  return { include, regex: new RegExp(source, "u") };
}

/** __normalize_segments: the segment list, or a whole-regex override. */
function normalizeSegments(isDirPattern: boolean, segs: string[], original: string): string[] | string {
  if (!segs[0]) {
    segs.shift(); // leading slash: anchored to the root
  } else if (segs.length === 1 || (segs.length === 2 && !segs[1])) {
    if (segs[0] !== "**") segs.unshift("**"); // a bare name matches at any depth
  }
  if (segs.length === 0) throw new IgnorePatternError(original, "the pattern normalizes to nothing");
  if (!segs[segs.length - 1]) segs[segs.length - 1] = "**";
  for (let i = segs.length - 1; i > 0; i--) {
    if (segs[i - 1] === "**" && segs[i] === "**") segs.splice(i, 1);
  }
  const n = segs.length;
  if (n === 1 && segs[0] === "**") return isDirPattern ? DIR_MARK : ANY;
  if (n === 2 && segs[0] === "**" && segs[1] === "*") return ANY;
  if (n === 3 && segs[0] === "**" && segs[1] === "*" && segs[2] === "**") return "/";
  return segs;
}

/** __translate_segments. */
function translateSegments(isDirPattern: boolean, segs: string[]): string {
  let out = "";
  let needSlash = false;
  const end = segs.length - 1;
  segs.forEach((seg, i) => {
    if (seg === "**") {
      if (i === 0) out += `^(?:${ANY}+/)?`;
      else if (i < end) {
        out += `(?:/${ANY}+)?`;
        needSlash = true;
      } else out += isDirPattern ? DIR_MARK : "/";
      return;
    }
    if (i === 0) out += "^";
    if (needSlash) out += "/";
    out += seg === "*" ? "[^/]+" : translateSegmentGlob(seg);
    if (i === end) out += DIR_MARK_OPT;
    needSlash = true;
  });
  return out;
}

/** Invalid range notation (an unclosed `[`): the pattern is dropped, not an error. */
class RangeNotation extends Error {}

/** _translate_segment_glob with range_error="raise". */
function translateSegmentGlob(pattern: string): string {
  const chars = Array.from(pattern); // Python indexes code points
  let regex = "";
  let escape = false;
  let i = 0;
  const end = chars.length;
  while (i < end) {
    const ch = chars[i++];
    if (escape) {
      escape = false;
      regex += literal(ch);
    } else if (ch === "\\") {
      escape = true;
    } else if (ch === "*") {
      regex += "[^/]*";
    } else if (ch === "?") {
      regex += "[^/]";
    } else if (ch === "[") {
      let j = i;
      if (j < end && (chars[j] === "!" || chars[j] === "^")) j++;
      if (j < end && chars[j] === "]") j++;
      while (j < end && chars[j] !== "]") j++;
      if (j >= end) throw new RangeNotation();
      j++;
      let negated = false;
      if (chars[i] === "!" || chars[i] === "^") {
        negated = true;
        i++;
      }
      regex += pythonClass(negated, chars.slice(i, j));
      i = j;
    } else {
      regex += literal(ch);
    }
  }
  if (escape) throw new Error(`escape character found with no next character to escape: ${JSON.stringify(pattern)}`);
  return regex;
}

/**
 * The regex class `[` + (negated ? `^` : ``) + body is what pathspec hands to Python's
 * `re`, every backslash doubled, so each char of body is a literal. Python's parser
 * (sre_parse) reads it differently from JS: a leading `]` is a literal and
 * `a-]` is `a`, `-`. Re-emit the set Python sees with every member as a `\u{..}`.
 */
function pythonClass(negated: boolean, body: string[]): string {
  const items: string[] = [];
  let k = 0;
  for (;;) {
    const ch = body[k++]; // body ends with the glob's closing `]`, so Python's loop ends in it
    if (ch === "]" && items.length > 0) break;
    if (body[k] === "-") {
      const hiCh = body[k + 1];
      k += 2;
      if (hiCh === "]") {
        items.push(code(ch), code("-"));
        break;
      }
      const lo = ch.codePointAt(0)!;
      const hi = hiCh.codePointAt(0)!;
      if (hi < lo) throw new Error(`bad character range ${ch}-${hiCh}`);
      items.push(`${code(ch)}-${code(hiCh)}`);
    } else {
      items.push(code(ch));
    }
  }
  return `[${negated ? "^" : ""}${items.join("")}]`;
}

const code = (ch: string): string => `\\u{${ch.codePointAt(0)!.toString(16)}}`;

/** re.escape(ch) as a JS `u` regex atom. */
function literal(ch: string): string {
  return /^[A-Za-z0-9_]$/.test(ch) ? ch : code(ch);
}
