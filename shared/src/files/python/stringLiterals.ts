// What CPython 3.11 does with a run of STRING tokens when it builds the AST
// (Parser/string_parser.c): prefixes, escape decoding and its errors, bytes/str
// mixing, and f-strings split into literal parts and expressions, each
// expression parsed on its own as "(" + text + ")".
//
// Not exact: `\N{NAME}` is accepted for any non-empty NAME, because checking it
// needs the Unicode name database; CPython rejects unknown names.
import type { PyNode } from "./parserCore";
import type { Token } from "./tokenizer";

export interface StringHost {
  raise(msg: string, line?: number): never;
  lastFetched(): Token;
  node(t: string, at: { line: number; col: number }, kids: (PyNode | null | undefined)[], extra?: Partial<PyNode>): PyNode;
  /** Parses an f-string expression; `line` is where its text starts. */
  fstringExpression(text: string, line: number): PyNode;
}

/** _PyPegen_concatenate_strings. */
export function concatenateStrings(host: StringHost, toks: Token[]): PyNode {
  let bytesMode: boolean | null = null;
  let fmode = false;
  let value = "";
  const parts: PyNode[] = [];
  for (const t of toks) {
    const prefix = /^[a-zA-Z]*/.exec(t.value)![0].toLowerCase();
    const quoteLen = t.value.startsWith(t.value[prefix.length].repeat(3), prefix.length) && t.value.length - prefix.length >= 6 ? 3 : 1;
    const body = t.value.slice(prefix.length + quoteLen, t.value.length - quoteLen);
    const isBytes = prefix.includes("b");
    const raw = prefix.includes("r");
    const isF = prefix.includes("f");
    let decoded = "";
    if (!isF) decoded = decodeLiteral(host, t, body, isBytes, raw);
    if (bytesMode !== null && bytesMode !== isBytes) host.raise("cannot mix bytes and nonbytes literals");
    bytesMode = isBytes;
    if (isF) {
      fmode = true;
      parts.push(...fstringParts(host, t, body, raw));
    } else value += decoded;
  }
  const first = toks[0];
  if (fmode) return host.node("JoinedStr", first, parts);
  return bytesMode ? host.node("Constant", first, [], { constant: "bytes" }) : host.node("Constant", first, [], { constant: "str", str: value });
}

/** _PyPegen_parsestr for a non-f literal: its value, or CPython's error. */
function decodeLiteral(host: StringHost, t: Token, body: string, isBytes: boolean, raw: boolean): string {
  if (isBytes) {
    if (/[^\x00-\x7f]/.test(body)) host.raise("bytes can only contain ASCII literal characters", t.line);
    if (raw || !body.includes("\\")) return body;
    for (let i = 0; i < body.length; i++) {
      if (body[i] !== "\\") continue;
      if (body[i + 1] === "x" && !/^[0-9a-fA-F]{2}/.test(body.slice(i + 2, i + 4))) {
        host.raise(`(value error) invalid \\x escape at position ${i}`);
      }
      i++;
    }
    return body;
  }
  return raw || !body.includes("\\") ? body : decodeUnicodeEscapes(host, body);
}

/**
 * decode_unicode_with_escapes: CPython first rewrites non-ASCII characters as
 * \UXXXXXXXX (and a backslash before one as \u005c), so error positions count
 * in that rewritten text.
 */
export function decodeUnicodeEscapes(host: StringHost, body: string): string {
  let buf = "";
  const chars = Array.from(body);
  for (let k = 0; k < chars.length; k++) {
    const ch = chars[k];
    if (ch === "\\") {
      buf += "\\";
      const next = chars[k + 1];
      if (next === undefined || next.codePointAt(0)! >= 0x80) buf += "u005c";
      if (next === undefined) break;
      continue;
    }
    const cp = ch.codePointAt(0)!;
    buf += cp >= 0x80 ? `\\U${cp.toString(16).padStart(8, "0")}` : ch;
  }
  return unicodeEscape(host, buf);
}

const SIMPLE: Record<string, string> = { "\\": "\\", "'": "'", '"': '"', b: "\b", f: "\f", t: "\t", n: "\n", r: "\r", v: "\v", a: "\x07" };

function unicodeEscape(host: StringHost, s: string): string {
  let out = "";
  const fail = (start: number, end: number, why: string): never =>
    host.raise(`(unicode error) 'unicodeescape' codec can't decode bytes in position ${start}-${end - 1}: ${why}`);
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== "\\") {
      out += s[i];
      continue;
    }
    const start = i;
    const c = s[++i];
    if (c === "\n") continue;
    if (c in SIMPLE) out += SIMPLE[c];
    else if (c >= "0" && c <= "7") {
      let digits = c;
      while (digits.length < 3 && s[i + 1] >= "0" && s[i + 1] <= "7") digits += s[++i];
      out += String.fromCodePoint(parseInt(digits, 8));
    } else if (c === "x" || c === "u" || c === "U") {
      const count = c === "x" ? 2 : c === "u" ? 4 : 8;
      let j = i + 1;
      while (j < i + 1 + count && j < s.length && /[0-9a-fA-F]/.test(s[j])) j++;
      if (j < i + 1 + count) fail(start, j, `truncated \\${c}${"X".repeat(count)} escape`);
      const cp = parseInt(s.slice(i + 1, j), 16);
      if (cp > 0x10ffff) fail(start, j, "illegal Unicode character");
      out += String.fromCodePoint(cp);
      i = j - 1;
    } else if (c === "N") {
      if (s[i + 1] !== "{") fail(start, i + 1, "malformed \\N character escape");
      const close = s.indexOf("}", i + 2);
      if (close < 0) fail(start, s.length, "malformed \\N character escape");
      if (close === i + 2) fail(start, close, "malformed \\N character escape");
      out += "\ufffd"; // the name is not looked up (see the note at the top)
      i = close;
    } else {
      out += "\\" + c; // an unknown escape stays as written (CPython only warns)
    }
  }
  return out;
}

/** The parts of one f-string token (fstring_find_literal_and_expr, level 0). */
function fstringParts(host: StringHost, t: Token, body: string, raw: boolean): PyNode[] {
  const state = { i: 0 };
  const parts = fstringLevel(host, t, body, raw, 0, state);
  if (state.i < body.length) host.raise("f-string: expecting '}'");
  return parts;
}

function fstringLevel(host: StringHost, t: Token, s: string, raw: boolean, level: number, st: { i: number }): PyNode[] {
  const parts: PyNode[] = [];
  for (;;) {
    // The literal part: doubled braces at the top level, \N{...} skipped whole.
    const litStart = st.i;
    let doubled = false;
    while (st.i < s.length) {
      let ch = s[st.i++];
      if (!raw && ch === "\\" && st.i < s.length) {
        ch = s[st.i++];
        if (ch === "N") {
          if (st.i < s.length && s[st.i++] === "{") while (st.i < s.length && s[st.i++] !== "}");
          continue;
        }
      }
      if (ch === "{" || ch === "}") {
        if (level === 0) {
          if (st.i < s.length && s[st.i] === ch) {
            doubled = true;
            break;
          }
          if (ch === "}") host.raise("f-string: single '}' is not allowed");
        }
        st.i--;
        break;
      }
    }
    const litEnd = st.i;
    if (litEnd > litStart && !raw) decodeUnicodeEscapes(host, s.slice(litStart, litEnd));
    if (doubled) {
      st.i++;
      continue;
    }
    if (st.i >= s.length || s[st.i] === "}") return parts;
    parts.push(fstringExpression(host, t, s, raw, level, st));
  }
}

/** fstring_find_expr: one {expression[=][!c][:spec]} starting at s[st.i] === "{". */
function fstringExpression(host: StringHost, t: Token, s: string, raw: boolean, level: number, st: { i: number }): PyNode {
  if (level >= 2) host.raise("f-string: expressions nested too deeply");
  const open = st.i++;
  const exprStart = st.i;
  let quote = "";
  let quoteSize = 0;
  const stack: string[] = [];
  for (; st.i < s.length; st.i++) {
    const ch = s[st.i];
    if (ch === "\\") host.raise("f-string expression part cannot include a backslash");
    if (quote) {
      if (ch === quote && (quoteSize === 1 || (s[st.i + 1] === ch && s[st.i + 2] === ch && st.i + 2 < s.length))) {
        if (quoteSize === 3) st.i += 2;
        quote = "";
      }
      continue;
    }
    if (ch === "'" || ch === '"') {
      quoteSize = st.i + 2 < s.length && s[st.i + 1] === ch && s[st.i + 2] === ch ? 3 : 1;
      if (quoteSize === 3) st.i += 2;
      quote = ch;
    } else if (ch === "[" || ch === "{" || ch === "(") {
      if (stack.length >= 200) host.raise("f-string: too many nested parenthesis");
      stack.push(ch);
    } else if (ch === "#") {
      host.raise("f-string expression part cannot include '#'");
    } else if (stack.length === 0 && "!:}=<>".includes(ch)) {
      const next = s[st.i + 1];
      if (st.i + 1 < s.length && next === "=" && "!=<>".includes(ch)) {
        st.i++;
        continue;
      }
      if (ch === "<" || ch === ">") continue;
      break;
    } else if (ch === "]" || ch === "}" || ch === ")") {
      const opening = stack.pop();
      if (!opening) host.raise(`f-string: unmatched '${ch}'`);
      if ({ "(": ")", "[": "]", "{": "}" }[opening!] !== ch) {
        host.raise(`f-string: closing parenthesis '${ch}' does not match opening parenthesis '${opening}'`);
      }
    }
  }
  const exprEnd = st.i;
  if (quote) host.raise("f-string: unterminated string");
  if (stack.length) host.raise(`f-string: unmatched '${stack[stack.length - 1]}'`);
  if (st.i >= s.length) host.raise("f-string: expecting '}'");
  const text = s.slice(exprStart, exprEnd);
  if (/^[ \t\n\f]*$/.test(text)) host.raise("f-string: empty expression not allowed");
  const value = host.fstringExpression(text, lineAt(t, s, open));
  if (s[st.i] === "=") {
    st.i++;
    while (st.i < s.length && /[ \t\n\r\f\v]/.test(s[st.i])) st.i++;
    if (st.i >= s.length) host.raise("f-string: expecting '}'");
  }
  if (s[st.i] === "!") {
    st.i++;
    if (st.i >= s.length) host.raise("f-string: expecting '}'");
    const conversion = s[st.i++];
    if (!"sra".includes(conversion)) host.raise("f-string: invalid conversion character: expected 's', 'r', or 'a'");
  }
  let spec: PyNode | null = null;
  if (st.i < s.length && s[st.i] === ":") {
    st.i++;
    if (st.i >= s.length) host.raise("f-string: expecting '}'");
    spec = host.node("JoinedStr", t, fstringLevel(host, t, s, raw, level + 1, st));
  }
  if (st.i >= s.length || s[st.i] !== "}") host.raise("f-string: expecting '}'");
  st.i++;
  return host.node("FormattedValue", t, [value, spec]);
}

/** The line of offset `at` in the body of string token `t` (its prefix and quotes hold no newline). */
function lineAt(t: Token, body: string, at: number): number {
  let n = t.line;
  for (let k = 0; k < at; k++) if (body[k] === "\n") n++;
  return n;
}
