// The machinery under our port of CPython 3.11's PEG parser (Grammar/python.gram):
// token access that records how far the parser has looked (CPython reports a
// generic "invalid syntax" at the furthest token it fetched), memoisation, the
// two passes (the second enables the grammar's invalid_* rules, which only
// choose a better message), and the light AST the rules build.
import type { Token, TokenizerError } from "./tokenizer";

/** An AST node: only what ast.walk order, imports and decorators need. */
export interface PyNode {
  /** The `ast` class name: "Import", "Call", "Name", ... */
  t: string;
  line: number;
  col: number;
  /** Child nodes in `ast.iter_child_nodes` order (context and operator singletons left out). */
  kids: PyNode[];
  /** Name.id, Attribute.attr, def/class name, keyword.arg, alias name. */
  id?: string;
  /** Constant: which constant, for error wording and literal checks. */
  constant?: "None" | "True" | "False" | "Ellipsis" | "number" | "str" | "bytes";
  /** The value of a str Constant. */
  str?: string;
  parenthesized?: boolean;
  /** Compare: its operators ("in", "not in", "==", ...). */
  ops?: string[];
  /** Import / ImportFrom. */
  names?: { name: string; asname: string | null }[];
  module?: string | null;
  level?: number;
  /** FunctionDef / AsyncFunctionDef / ClassDef. */
  decorators?: PyNode[];
  /** Call: positional arguments (also in kids, after the function). */
  args?: PyNode[];
}

/** A SyntaxError as `ast.parse` raises it. */
export class PySyntaxError extends Error {
  constructor(readonly msg: string, readonly line: number | null, readonly kind: "SyntaxError" | "IndentationError" | "TabError" = "SyntaxError") {
    super(msg);
  }

  /** str(exc): "msg (<unknown>, line N)". */
  toString(): string {
    return this.line === null ? this.msg : `${this.msg} (<unknown>, line ${this.line})`;
  }
}

/** The parser fetched the tokenizer's error token: that error is final. */
export class TokenizerFailure extends Error {
  constructor(readonly error: TokenizerError) {
    super(error.msg);
  }
}

export const KEYWORDS = new Set([
  "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
  "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
  "pass", "raise", "return", "try", "while", "with", "yield",
]);

export class ParserCore {
  pos = 0;
  /** How many tokens the parser has fetched (CPython's p->fill). */
  fill = 0;
  /** Second pass: the invalid_* rules are tried. */
  invalid = false;
  /** Errors raised inside an f-string expression get CPython's "f-string: " prefix. */
  fstring = false;
  private memoTable = new Map<string, { node: unknown; end: number }>();

  constructor(readonly toks: Token[]) {}

  startPass(invalid: boolean): void {
    this.pos = 0;
    this.invalid = invalid;
    this.memoTable.clear();
  }

  /** The current token; fetching the tokenizer's error token makes that error final. */
  tok(offset = 0): Token {
    const i = Math.min(this.pos + offset, this.toks.length - 1);
    for (let k = this.pos; k <= i; k++) {
      if (k + 1 > this.fill) this.fill = k + 1;
      const t = this.toks[k];
      if (t.type === "ERROR") throw new TokenizerFailure(t.error!);
      if (t.type === "ENDMARKER") return t;
    }
    return this.toks[i];
  }

  isOp(v: string, offset = 0): boolean {
    const t = this.tok(offset);
    return t.type === "OP" && t.value === v;
  }

  /** A keyword, or a soft keyword (match, case, _) when used as one. */
  isKw(v: string, offset = 0): boolean {
    const t = this.tok(offset);
    return t.type === "NAME" && t.value === v;
  }

  isType(type: Token["type"], offset = 0): boolean {
    return this.tok(offset).type === type;
  }

  /** A NAME that is not a hard keyword. */
  isName(offset = 0): boolean {
    const t = this.tok(offset);
    return t.type === "NAME" && !KEYWORDS.has(t.value);
  }

  op(v: string): Token | null {
    if (!this.isOp(v)) return null;
    return this.toks[this.pos++];
  }

  kw(v: string): Token | null {
    if (!this.isKw(v)) return null;
    return this.toks[this.pos++];
  }

  type(type: Token["type"]): Token | null {
    if (!this.isType(type)) return null;
    return this.toks[this.pos++];
  }

  name(): Token | null {
    if (!this.isName()) return null;
    return this.toks[this.pos++];
  }

  /** `&&'x'`: a token the grammar insists on, failing at once even in the first pass. */
  forced(v: string): Token {
    const t = this.op(v);
    if (!t) this.raise(`expected '${v}'`, this.tok().line);
    return t!;
  }

  /** Runs fn; on failure (null) puts the position back. */
  alt<T>(fn: () => T | null): T | null {
    const start = this.pos;
    const r = fn();
    if (r === null || r === undefined) this.pos = start;
    return r ?? null;
  }

  /** Positive lookahead. */
  ahead(fn: () => unknown): boolean {
    const start = this.pos;
    const r = fn();
    this.pos = start;
    return r !== null && r !== undefined && r !== false;
  }

  memo<T>(rule: string, fn: () => T | null): T | null {
    const key = `${rule}@${this.pos}`;
    const hit = this.memoTable.get(key);
    if (hit) {
      this.pos = hit.end;
      return hit.node as T | null;
    }
    const start = this.pos;
    const node = this.alt(fn);
    this.memoTable.set(key, { node, end: node === null ? start : this.pos });
    return node;
  }

  /** After a first element: (',' e)* [','], the trailing comma consumed. */
  protected commaTail(first: PyNode, element: () => PyNode | null): PyNode[] {
    const elts = [first];
    while (this.op(",")) {
      const e = this.alt(element);
      if (!e) break;
      elts.push(e);
    }
    return elts;
  }

  /** ','.item+ (no trailing comma consumed). */
  protected gather(item: () => PyNode | null): PyNode[] | null {
    const first = this.alt(item);
    if (!first) return null;
    const out = [first];
    for (;;) {
      const next = this.alt(() => (this.op(",") ? item() : null));
      if (!next) return out;
      out.push(next);
    }
  }

  /** A rule named `..._without_invalid`: nothing under it tries invalid_* rules. */
  withoutInvalid<T>(fn: () => T | null): T | null {
    const saved = this.invalid;
    this.invalid = false;
    try {
      return this.alt(fn);
    } finally {
      this.invalid = saved;
    }
  }

  /** The last token fetched: where RAISE_SYNTAX_ERROR without a location points. */
  lastFetched(): Token {
    return this.toks[Math.max(0, this.fill - 1)];
  }

  raise(msg: string, line: number = this.lastFetched().line, kind: PySyntaxError["kind"] = "SyntaxError"): never {
    throw new PySyntaxError(this.fstring ? `f-string: ${msg}` : msg, line, kind);
  }

  raiseIndent(msg: string): never {
    return this.raise(msg, this.lastFetched().line, "IndentationError");
  }

  node(t: string, at: { line: number; col: number }, kids: (PyNode | null | undefined)[], extra: Partial<PyNode> = {}): PyNode {
    return { t, line: at.line, col: at.col, kids: kids.filter((k): k is PyNode => !!k), ...extra };
  }
}

/** _PyPegen_get_expr_name: how CPython names an expression in error messages. */
export function exprName(e: PyNode): string {
  switch (e.t) {
    case "Attribute": return "attribute";
    case "Subscript": return "subscript";
    case "Starred": return "starred";
    case "Name": return "name";
    case "List": return "list";
    case "Tuple": return "tuple";
    case "Lambda": return "lambda";
    case "Call": return "function call";
    case "BoolOp": case "BinOp": case "UnaryOp": return "expression";
    case "GeneratorExp": return "generator expression";
    case "Yield": case "YieldFrom": return "yield expression";
    case "Await": return "await expression";
    case "ListComp": return "list comprehension";
    case "SetComp": return "set comprehension";
    case "DictComp": return "dict comprehension";
    case "Dict": return "dict literal";
    case "Set": return "set display";
    case "JoinedStr": case "FormattedValue": return "f-string expression";
    case "Constant":
      return e.constant === "None" || e.constant === "True" || e.constant === "False" ? e.constant
        : e.constant === "Ellipsis" ? "ellipsis" : "literal";
    case "Compare": return "comparison";
    case "IfExp": return "conditional expression";
    case "NamedExpr": return "named expression";
    default: return "expression";
  }
}

export type TargetsType = "star" | "del" | "for";

/** _PyPegen_get_invalid_target: the first part of e that cannot be assigned (or deleted). */
export function invalidTarget(e: PyNode, type: TargetsType): PyNode | null {
  switch (e.t) {
    case "List":
    case "Tuple":
      for (const k of e.kids) {
        const bad = invalidTarget(k, type);
        if (bad) return bad;
      }
      return null;
    case "Starred":
      return type === "del" ? e : invalidTarget(e.kids[0], type);
    case "Compare":
      // `for a in b` reaches here as a comparison: look at its left side.
      if (type === "for") return e.ops![0] === "in" ? invalidTarget(e.kids[0], type) : null;
      return e;
    case "Name":
    case "Subscript":
    case "Attribute":
      return null;
    default:
      return e;
  }
}
