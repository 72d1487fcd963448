// CPython 3.11's tokenizer (Parser/tokenizer.c, tok_get) for source text that
// `ast.parse` receives: the same tokens, the same errors with the same words and
// lines. The tokenizer stops at its first error and hands it to the parser as an
// ERROR token, because CPython reports it only if the parser reads that far
// (see syntaxError.ts for what happens otherwise).

export type TokType = "NAME" | "NUMBER" | "STRING" | "OP" | "NEWLINE" | "INDENT" | "DEDENT" | "ENDMARKER" | "ERROR";

export interface Token {
  type: TokType;
  value: string;
  line: number;
  /** Offset in the line, in UTF-16 code units. */
  col: number;
  endLine: number;
  /** Open brackets after this token (CPython's tok->level). */
  level: number;
  error?: TokenizerError;
}

export interface TokenizerError {
  msg: string;
  line: number;
  kind: "SyntaxError" | "IndentationError" | "TabError";
  /**
   * CPython raises these while tokenizing (syntaxerror()), so after a parser error
   * they still win if they come later in the file; the others are only status codes.
   */
  eager: boolean;
  /** The innermost bracket still open when the tokenizer stopped. */
  open?: { ch: string; line: number };
}

const TABSIZE = 8;
const MAXINDENT = 100;
const MAXLEVEL = 200;
const THREE = new Set(["**=", "//=", "<<=", ">>="]);
const TWO = new Set(["!=", "%=", "&=", "**", "*=", "+=", "-=", "->", "//", "/=", ":=", "<<", "<=", "<>", "==", ">=", ">>", "@=", "^=", "|="]);
const CLOSER: Record<string, string> = { ")": "(", "]": "[", "}": "{" };

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isXDigit = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const isIdStart = (c: string | undefined) => c !== undefined && (/^[A-Za-z_]$/.test(c) || c.charCodeAt(0) >= 128);
const isIdChar = (c: string | undefined) => c !== undefined && (/^[A-Za-z0-9_]$/.test(c) || c.charCodeAt(0) >= 128);
const NON_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

/** Py_UNICODE_ISPRINTABLE. */
export const isPrintable = (ch: string) => ch === " " || !NON_PRINTABLE.test(ch);
export const hex4 = (cp: number) => cp.toString(16).toUpperCase().padStart(4, "0");

class Stop extends Error {}

export function tokenize(source: string): Token[] {
  const s = source.endsWith("\n") ? source : source + "\n"; // what ast.parse does to exec input
  const toks: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let atbol = true;
  const indstack = [0];
  const altstack = [0];
  let pendin = 0;
  const parens: { ch: string; line: number }[] = [];

  const push = (type: TokType, start: number, value = s.slice(start, i), startLine = line, startLineStart = lineStart) =>
    toks.push({ type, value, line: startLine, col: start - startLineStart, endLine: line, level: parens.length });
  const fail = (msg: string, eager: boolean, kind: TokenizerError["kind"] = "SyntaxError", at = line): never => {
    const open = parens[parens.length - 1];
    toks.push({ type: "ERROR", value: "", line: at, col: 0, endLine: at, level: parens.length, error: { msg, line: at, kind, eager, open: open && { ...open } } });
    throw new Stop();
  };
  const newline = () => {
    i++;
    line++;
    lineStart = i;
  };
  /** Lines so far; at end of input CPython does not count a line after the final \n. */
  const lastLine = () => (i >= s.length ? line - 1 : line);
  /** A backslash outside a string: it must end the line, and more must follow. */
  const continuation = () => {
    if (s[i + 1] !== "\n") fail("unexpected character after line continuation character", false);
    i++;
    newline();
    if (i >= s.length) fail("unexpected EOF while parsing", false, "SyntaxError", lastLine());
  };

  try {
    for (;;) {
      let blankline = false;
      if (atbol) {
        atbol = false;
        let col = 0;
        let altcol = 0;
        let contCol = 0;
        for (;;) {
          const c = s[i];
          if (c === " ") { col++; altcol++; i++; }
          else if (c === "\t") { col = (Math.floor(col / TABSIZE) + 1) * TABSIZE; altcol++; i++; }
          else if (c === "\f") { col = altcol = 0; i++; }
          else if (c === "\\") { contCol = contCol || col; continuation(); }
          else break;
        }
        if (s[i] === "#" || s[i] === "\n") blankline = true;
        if (!blankline && parens.length === 0) {
          if (contCol) col = altcol = contCol;
          const top = indstack.length - 1;
          if (col === indstack[top]) {
            if (altcol !== altstack[top]) fail("inconsistent use of tabs and spaces in indentation", false, "TabError");
          } else if (col > indstack[top]) {
            if (top + 1 >= MAXINDENT) fail("too many levels of indentation", false, "IndentationError");
            if (altcol <= altstack[top]) fail("inconsistent use of tabs and spaces in indentation", false, "TabError");
            pendin++;
            indstack.push(col);
            altstack.push(altcol);
          } else {
            while (indstack.length > 1 && col < indstack[indstack.length - 1]) {
              pendin--;
              indstack.pop();
              altstack.pop();
            }
            if (col !== indstack[indstack.length - 1]) fail("unindent does not match any outer indentation level", false, "IndentationError");
            if (altcol !== altstack[altstack.length - 1]) fail("inconsistent use of tabs and spaces in indentation", false, "TabError");
          }
        }
      }
      for (; pendin !== 0; pendin += pendin < 0 ? 1 : -1) {
        toks.push({ type: pendin < 0 ? "DEDENT" : "INDENT", value: "", line: lastLine(), col: i - lineStart, endLine: lastLine(), level: 0 });
      }
      while (s[i] === " " || s[i] === "\t" || s[i] === "\f") i++;
      if (s[i] === "#") while (i < s.length && s[i] !== "\n") i++;
      const start = i;
      if (i >= s.length) {
        if (parens.length) {
          const open = parens[parens.length - 1];
          fail(`'${open.ch}' was never closed`, false, "SyntaxError", open.line);
        }
        push("ENDMARKER", start, "", lastLine());
        return toks;
      }
      const c = s[i];
      if (isIdStart(c)) {
        if (readStringPrefix()) continue;
        let nonascii = false;
        while (isIdChar(s[i])) {
          if (s.charCodeAt(i) >= 128) nonascii = true;
          i++;
        }
        if (nonascii) verifyIdentifier(s.slice(start, i));
        push("NAME", start);
        continue;
      }
      if (c === "\n") {
        const nlLine = line;
        const col = start - lineStart;
        newline();
        atbol = true;
        if (blankline || parens.length > 0) continue;
        toks.push({ type: "NEWLINE", value: "", line: nlLine, col, endLine: nlLine, level: 0 });
        continue;
      }
      if (c === ".") {
        if (isDigit(s[i + 1])) { i++; number(start, "fraction"); continue; }
        i += s.startsWith("...", i) ? 3 : 1;
        push("OP", start);
        continue;
      }
      if (isDigit(c)) { number(start, "start"); continue; }
      if (c === "'" || c === '"') { string(start); continue; }
      if (c === "\\") { continuation(); continue; }
      const three = s.slice(i, i + 3);
      const two = s.slice(i, i + 2);
      if (THREE.has(three)) { i += 3; push("OP", start); continue; }
      if (TWO.has(two)) { i += 2; push("OP", start); continue; }
      if (c === "(" || c === "[" || c === "{") {
        if (parens.length >= MAXLEVEL) fail("too many nested parentheses", true);
        parens.push({ ch: c, line });
      } else if (c in CLOSER) {
        const open = parens.pop();
        if (!open) fail(`unmatched '${c}'`, true);
        else if (open.ch !== CLOSER[c]) {
          fail(`closing parenthesis '${c}' does not match opening parenthesis '${open.ch}'${open.line !== line ? ` on line ${open.line}` : ""}`, true);
        }
      }
      if (!isPrintable(c)) fail(`invalid non-printable character U+${hex4(c.charCodeAt(0))}`, true);
      i++;
      push("OP", start);
    }
  } catch (e) {
    if (e instanceof Stop) return toks;
    throw e;
  }

  /** b/r/u/f prefixes in CPython's accepted combinations; true if a string was read. */
  function readStringPrefix(): boolean {
    const start = i;
    let b = false, r = false, u = false, f = false;
    for (let j = i; ; j++) {
      const c = s[j];
      if (!(b || u || f) && (c === "b" || c === "B")) b = true;
      else if (!(b || u || r || f) && (c === "u" || c === "U")) u = true;
      else if (!(r || u) && (c === "r" || c === "R")) r = true;
      else if (!(f || b || u) && (c === "f" || c === "F")) f = true;
      else return false;
      if (s[j + 1] === "'" || s[j + 1] === '"') {
        i = j + 1;
        string(start);
        return true;
      }
    }
  }

  function string(start: number): void {
    const startLine = line;
    const startLineStart = lineStart;
    const quote = s[i++];
    let size = 1;
    let endRun = 0;
    if (s[i] === quote) {
      i++;
      if (s[i] === quote) {
        i++;
        size = 3;
      } else endRun = 1; // the empty string
    }
    while (endRun !== size) {
      const c = s[i];
      if (c === undefined || (size === 1 && c === "\n")) {
        const detected = c === undefined ? lastLine() : line;
        fail(`unterminated ${size === 3 ? "triple-quoted " : ""}string literal (detected at line ${detected})`, true, "SyntaxError", startLine);
      }
      if (c === "\n") newline();
      else i++;
      if (c === quote) endRun++;
      else {
        endRun = 0;
        if (c === "\\") {
          if (s[i] === "\n") newline();
          else if (i < s.length) i++;
        }
      }
    }
    push("STRING", start, undefined, startLine, startLineStart);
  }

  function number(start: number, state: "start" | "fraction"): void {
    const bad = (msg: string): never => fail(msg, true);
    const endOfNumber = (kind: string) => {
      // A keyword right after a number is only a SyntaxWarning ("1if x else y").
      const keyword = /^(?:and|else|for|i[fns]|or|not)/.test(s.slice(i, i + 4));
      // Only ASCII letters count here: "1é" tokenizes as a number and a name.
      if (!keyword && isIdChar(s[i]) && s.charCodeAt(i) < 128) bad(`invalid ${kind} literal`);
    };
    const decimalTail = () => {
      for (;;) {
        while (isDigit(s[i])) i++;
        if (s[i] !== "_") return;
        i++;
        if (!isDigit(s[i])) bad("invalid decimal literal");
      }
    };
    const exponentAndImaginary = () => {
      if (s[i] === "e" || s[i] === "E") {
        const e = i;
        i++;
        if (s[i] === "+" || s[i] === "-") {
          i++;
          if (!isDigit(s[i])) bad("invalid decimal literal");
        } else if (!isDigit(s[i])) {
          i = e;
          endOfNumber("decimal");
          push("NUMBER", start);
          return;
        }
        decimalTail();
      }
      if (s[i] === "j" || s[i] === "J") {
        i++;
        endOfNumber("imaginary");
      } else endOfNumber("decimal");
      push("NUMBER", start);
    };
    if (state === "fraction") {
      decimalTail();
      return exponentAndImaginary();
    }
    if (s[i] === "0") {
      i++;
      const radix = s[i]?.toLowerCase();
      if (radix === "x" || radix === "o" || radix === "b") {
        const name = radix === "x" ? "hexadecimal" : radix === "o" ? "octal" : "binary";
        const ok = radix === "x" ? isXDigit : radix === "o" ? (c?: string) => c !== undefined && c >= "0" && c <= "7" : (c?: string) => c === "0" || c === "1";
        i++;
        do {
          if (s[i] === "_") i++;
          if (!ok(s[i])) {
            if (radix !== "x" && isDigit(s[i])) bad(`invalid digit '${s[i]}' in ${name} literal`);
            bad(`invalid ${name} literal`);
          }
          while (ok(s[i])) i++;
        } while (s[i] === "_");
        if (radix !== "x" && isDigit(s[i])) bad(`invalid digit '${s[i]}' in ${name} literal`);
        endOfNumber(name);
        push("NUMBER", start);
        return;
      }
      let nonzero = false;
      for (;;) {
        if (s[i] === "_") {
          i++;
          if (!isDigit(s[i])) bad("invalid decimal literal");
        }
        if (s[i] !== "0") break;
        i++;
      }
      if (isDigit(s[i])) {
        nonzero = true;
        decimalTail();
      }
      if (s[i] === ".") { i++; return decimalFraction(); }
      if (s[i] === "e" || s[i] === "E" || s[i] === "j" || s[i] === "J") return exponentAndImaginary();
      if (nonzero) bad("leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers");
      endOfNumber("decimal");
      push("NUMBER", start);
      return;
    }
    decimalTail();
    if (s[i] === ".") { i++; return decimalFraction(); }
    exponentAndImaginary();

    function decimalFraction() {
      if (isDigit(s[i])) decimalTail();
      exponentAndImaginary();
    }
  }

  /** verify_identifier: the first character that is not XID_Start / XID_Continue. */
  function verifyIdentifier(name: string): void {
    const chars = Array.from(name);
    const bad = chars.findIndex((ch, k) => !(k === 0 ? ch === "_" || /\p{XID_Start}/u.test(ch) : /\p{XID_Continue}/u.test(ch)));
    if (bad < 0) return;
    const ch = chars[bad];
    const cp = ch.codePointAt(0)!;
    fail(isPrintable(ch) ? `invalid character '${ch}' (U+${hex4(cp)})` : `invalid non-printable character U+${hex4(cp)}`, true);
  }
}
