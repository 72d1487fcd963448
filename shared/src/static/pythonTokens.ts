// Just enough of Python's tokenizer for a static read of decorators: names, strings,
// numbers and operators grouped into logical lines (brackets and backslashes join
// physical lines), comments dropped. No code runs; malformed input never throws.

export interface Token {
  kind: "name" | "string" | "number" | "op";
  /** Names, numbers and operators as written; strings decoded (simple escapes only). */
  value: string;
  /** 0-based line and column (UTF-16) of the token's first character. */
  line: number;
  col: number;
}

export interface LogicalLine {
  /** Column of the first token: 0 for module-level statements. */
  indent: number;
  line: number;
  tokens: Token[];
}

const NAME_START = /[\p{L}_]/u;
const NAME_PART = /[\p{L}\p{N}_]/u;
const STRING_PREFIX = /^[rRbBuUfF]{1,2}$/;
const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "\n": "" };

/** Splits source text into logical lines of tokens. */
export function logicalLines(source: string): LogicalLine[] {
  const text = source.startsWith("\uFEFF") ? source.slice(1) : source;
  const lines: LogicalLine[] = [];
  let current: Token[] = [];
  let depth = 0;
  let line = 0;
  let lineStart = 0;
  let i = 0;

  const flush = () => {
    if (current.length) lines.push({ indent: current[0].col, line: current[0].line, tokens: current });
    current = [];
  };
  const push = (kind: Token["kind"], value: string, start: number, startLine: number, startLineOffset: number) =>
    current.push({ kind, value, line: startLine, col: start - startLineOffset });

  while (i < text.length) {
    const ch = text[i];
    if (ch === "\n" || ch === "\r") {
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
      line++;
      lineStart = i;
      if (depth === 0) flush();
      continue;
    }
    if (ch === " " || ch === "\t" || ch === "\f") {
      i++;
      continue;
    }
    if (ch === "#") {
      while (i < text.length && text[i] !== "\n" && text[i] !== "\r") i++;
      continue;
    }
    if (ch === "\\" && (text[i + 1] === "\n" || text[i + 1] === "\r")) {
      i += text[i + 1] === "\r" && text[i + 2] === "\n" ? 3 : 2;
      line++;
      lineStart = i;
      continue;
    }
    if (ch === '"' || ch === "'") {
      i = readString(text, i, "", (value, end, lines) => {
        push("string", value, i, line, lineStart);
        return advance(end, lines);
      });
      continue;
    }
    if (NAME_START.test(ch)) {
      let j = i + 1;
      while (j < text.length && NAME_PART.test(text[j])) j++;
      const word = text.slice(i, j);
      if ((text[j] === '"' || text[j] === "'") && STRING_PREFIX.test(word)) {
        const start = i;
        i = readString(text, j, word, (value, end, lines) => {
          push("string", value, start, line, lineStart);
          return advance(end, lines);
        });
        continue;
      }
      push("name", word, i, line, lineStart);
      i = j;
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === "." && /[0-9]/.test(text[i + 1] ?? ""))) {
      let j = i + 1;
      while (j < text.length && /[\w.]/.test(text[j])) j++;
      push("number", text.slice(i, j), i, line, lineStart);
      i = j;
      continue;
    }
    if ("([{".includes(ch)) depth++;
    else if (")]}".includes(ch)) depth = Math.max(0, depth - 1);
    const two = text.slice(i, i + 2);
    const op = ["==", "!=", "<=", ">=", "->", "**", "//", ":="].includes(two) ? two : ch;
    push("op", op, i, line, lineStart);
    i += op.length;
  }
  flush();
  return lines;

  /** Moves past a string that spanned `newlines` line breaks ending at `end`. */
  function advance(end: number, newlines: { count: number; lastStart: number }): number {
    if (newlines.count) {
      line += newlines.count;
      lineStart = newlines.lastStart;
    }
    return end;
  }
}

/** Reads a string literal whose quote is at `q`; calls `done` with its value and end. */
function readString(
  text: string,
  q: number,
  prefix: string,
  done: (value: string, end: number, newlines: { count: number; lastStart: number }) => number,
): number {
  const quote = text[q];
  const triple = text.startsWith(quote.repeat(3), q);
  const raw = /[rR]/.test(prefix);
  let i = q + (triple ? 3 : 1);
  let value = "";
  const newlines = { count: 0, lastStart: 0 };
  const newline = (at: number) => {
    newlines.count++;
    newlines.lastStart = at;
  };
  while (i < text.length) {
    const ch = text[i];
    if (ch === "\\" && i + 1 < text.length) {
      const next = text[i + 1];
      if (next === "\n") newline(i + 2);
      value += raw ? ch + next : (ESCAPES[next] ?? ch + next);
      i += 2;
      continue;
    }
    if (triple ? text.startsWith(quote.repeat(3), i) : ch === quote) return done(value, i + (triple ? 3 : 1), newlines);
    if (ch === "\n" || (ch === "\r" && text[i + 1] !== "\n")) {
      if (!triple) return done(value, i, newlines); // unterminated: ends at the line break
      newline(i + 1);
    }
    value += ch;
    i++;
  }
  return done(value, i, newlines);
}
