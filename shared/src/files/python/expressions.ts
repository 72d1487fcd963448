// Expression rules of CPython 3.11's grammar, in its order of alternatives:
// expression down to atom. Left-recursive rules become loops; rules CPython
// memoises are memoised here too, which also keeps nested brackets linear.
import { ParserCore, exprName, invalidTarget, type PyNode } from "./parserCore";
import type { Token } from "./tokenizer";

const COMPARE = ["==", "!=", "<=", "<", ">=", ">"];
const SOFT_KEYWORDS = new Set(["match", "case", "_"]);

export abstract class ExpressionParser extends ParserCore {
  abstract starTargets(): PyNode | null;
  abstract strings(): PyNode | null;
  abstract lambdaParams(): PyNode | null;

  expressions(): PyNode | null {
    return this.alt(() => {
      const start = this.tok();
      const a = this.expression();
      if (!a) return null;
      if (!this.isOp(",")) return a;
      return this.node("Tuple", start, this.commaTail(a, () => this.expression()));
    });
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

  /**
   * `quiet`: skip this call's own invalid_expression rules (not those of nested
   * expressions). CPython 3.11.7 behaves so for a dict key after the first pair:
   * `{1: 2, x y}` says "':' expected after dictionary key", not "Perhaps you
   * forgot a comma?" as `{x y}` does. Found by differential testing, mechanism unknown.
   */
  expression(quiet = false): PyNode | null {
    return this.memo("expression", () => {
      if (this.invalid && !quiet) {
        this.invalidExpression();
        this.invalidLegacyExpression();
      }
      return this.expressionAlternatives();
    });
  }

  private expressionAlternatives(): PyNode | null {
    const start = this.tok();
    const a = this.disjunction();
    if (!a) return this.lambdef();
    const after = this.pos;
    if (this.kw("if")) {
      const b = this.disjunction();
      if (b && this.kw("else")) {
        const c = this.expression();
        if (c) return this.node("IfExp", start, [b, a, c]);
      }
    }
    this.pos = after;
    return a;
  }

  private invalidExpression(): void {
    const start = this.pos;
    const t = this.tok();
    const nameString = this.isName() && this.isType("STRING", 1);
    if (!(nameString || (t.type === "NAME" && SOFT_KEYWORDS.has(t.value)))) {
      const a = this.disjunction();
      if (a) {
        const b = this.withoutInvalid(() => this.expressionAlternatives());
        if (b && !isLegacy(a) && this.toks[this.pos - 1].level !== 0) {
          this.raise("invalid syntax. Perhaps you forgot a comma?", a.line);
        }
      }
      this.pos = start;
    }
    const a = this.disjunction();
    if (a && this.kw("if") && this.disjunction() && !(this.isKw("else") || this.isOp(":"))) {
      this.raise("expected 'else' after 'if' expression", a.line);
    }
    this.pos = start;
  }

  private invalidLegacyExpression(): void {
    const start = this.pos;
    const a = this.name();
    if (a && !this.isOp("(") && this.starExpressions() && (a.value === "print" || a.value === "exec")) {
      this.raise(`Missing parentheses in call to '${a.value}'. Did you mean ${a.value}(...)?`, a.line);
    }
    this.pos = start;
  }

  yieldExpr(): PyNode | null {
    return this.alt(() => {
      const t = this.kw("yield");
      if (!t) return null;
      if (this.kw("from")) {
        const a = this.expression();
        return a ? this.node("YieldFrom", t, [a]) : null;
      }
      return this.node("Yield", t, [this.starExpressions()]);
    });
  }

  starExpressions(): PyNode | null {
    return this.alt(() => {
      const start = this.tok();
      const a = this.starExpression();
      if (!a) return null;
      if (!this.isOp(",")) return a;
      return this.node("Tuple", start, this.commaTail(a, () => this.starExpression()));
    });
  }

  starExpression(): PyNode | null {
    return this.memo("star_expression", () => this.starred(() => this.bitwiseOr()) ?? this.expression());
  }

  /** '*' operand → Starred. */
  protected starred(operand: () => PyNode | null): PyNode | null {
    return this.alt(() => {
      const t = this.op("*");
      if (!t) return null;
      const a = operand();
      return a ? this.node("Starred", t, [a]) : null;
    });
  }

  starNamedExpressions(): PyNode[] | null {
    const first = this.starNamedExpression();
    return first ? this.commaTail(first, () => this.starNamedExpression()) : null;
  }

  starNamedExpression(): PyNode | null {
    return this.starred(() => this.bitwiseOr()) ?? this.namedExpression();
  }

  assignmentExpression(): PyNode | null {
    return this.alt(() => {
      const a = this.name();
      if (!a || !this.op(":=")) return null;
      const b = this.expression(); // after the cut: no other alternative of this rule
      return b ? this.node("NamedExpr", a, [this.node("Name", a, [], { id: a.value }), b]) : null;
    });
  }

  namedExpression(): PyNode | null {
    return this.alt(() => {
      const a = this.assignmentExpression();
      if (a) return a;
      if (this.invalid) this.invalidNamedExpression();
      const e = this.expression();
      return e && !this.isOp(":=") ? e : null;
    });
  }

  private invalidNamedExpression(): void {
    this.memo("invalid_named_expression", () => {
      const start = this.pos;
      const a = this.expression();
      if (a && this.op(":=") && this.expression()) this.raise(`cannot use assignment expressions with ${exprName(a)}`, a.line);
      this.pos = start;
      const n = this.name();
      if (n && this.op("=") && this.bitwiseOr() && !(this.isOp("=") || this.isOp(":="))) {
        this.raise("invalid syntax. Maybe you meant '==' or ':=' instead of '='?", n.line);
      }
      this.pos = start;
      const shaped = this.ahead(() => this.list()) || this.ahead(() => this.tuple()) || this.ahead(() => this.genexp())
        || this.isKw("True") || this.isKw("None") || this.isKw("False");
      if (!shaped) {
        const b = this.bitwiseOr();
        if (b && this.op("=") && this.bitwiseOr() && !(this.isOp("=") || this.isOp(":="))) {
          this.raise(`cannot assign to ${exprName(b)} here. Maybe you meant '==' instead of '='?`, b.line);
        }
      }
      this.pos = start;
      return null;
    });
  }

  disjunction(): PyNode | null {
    return this.memo("disjunction", () => this.boolOp("or", () => this.conjunction()));
  }

  conjunction(): PyNode | null {
    return this.memo("conjunction", () => this.boolOp("and", () => this.inversion()));
  }

  private boolOp(word: string, operand: () => PyNode | null): PyNode | null {
    const start = this.tok();
    const a = operand();
    if (!a) return null;
    const values = [a];
    for (;;) {
      const m = this.pos;
      if (!this.kw(word)) break;
      const b = operand();
      if (!b) {
        this.pos = m;
        break;
      }
      values.push(b);
    }
    return values.length > 1 ? this.node("BoolOp", start, values) : a;
  }

  inversion(): PyNode | null {
    return this.memo("inversion", () => {
      const t = this.tok();
      const not = this.alt(() => (this.kw("not") ? this.inversion() : null));
      return not ? this.node("UnaryOp", t, [not]) : this.comparison();
    });
  }

  comparison(): PyNode | null {
    const start = this.tok();
    const a = this.bitwiseOr();
    if (!a) return null;
    const ops: string[] = [];
    const comparators: PyNode[] = [];
    for (;;) {
      const m = this.pos;
      const op = this.compareOp();
      const b = op ? this.bitwiseOr() : null;
      if (!op || !b) {
        this.pos = m;
        break;
      }
      ops.push(op);
      comparators.push(b);
    }
    return ops.length ? this.node("Compare", start, [a, ...comparators], { ops }) : a;
  }

  private compareOp(): string | null {
    const t = this.tok();
    if (t.type === "OP" && COMPARE.includes(t.value)) {
      this.pos++;
      return t.value;
    }
    if (this.isKw("not") && this.isKw("in", 1)) {
      this.pos += 2;
      return "not in";
    }
    if (this.kw("in")) return "in";
    if (this.kw("is")) return this.kw("not") ? "is not" : "is";
    return null;
  }

  bitwiseOr(): PyNode | null {
    return this.memo("bitwise_or", () => this.binary(["|"], () => this.binary(["^"], () => this.binary(["&"], () => this.shiftExpr()))));
  }

  private shiftExpr(): PyNode | null {
    return this.binary(["<<", ">>"], () => this.binary(["+", "-"], () => this.binary(["*", "/", "//", "%", "@"], () => this.factor())));
  }

  /** A left-associative binary level: operand (op operand)*. */
  private binary(ops: string[], operand: () => PyNode | null): PyNode | null {
    const start = this.tok();
    let a = operand();
    if (!a) return null;
    for (;;) {
      const m = this.pos;
      const t = this.tok();
      if (t.type !== "OP" || !ops.includes(t.value)) break;
      this.pos++;
      const b = operand();
      if (!b) {
        this.pos = m;
        break;
      }
      a = this.node("BinOp", start, [a, b]);
    }
    return a;
  }

  factor(): PyNode | null {
    return this.memo("factor", () => {
      const t = this.tok();
      if (t.type === "OP" && (t.value === "+" || t.value === "-" || t.value === "~")) {
        const u = this.alt(() => {
          this.pos++;
          return this.factor();
        });
        if (u) return this.node("UnaryOp", t, [u]);
      }
      return this.power();
    });
  }

  private power(): PyNode | null {
    const start = this.tok();
    const a = this.awaitPrimary();
    if (!a) return null;
    const b = this.alt(() => (this.op("**") ? this.factor() : null));
    return b ? this.node("BinOp", start, [a, b]) : a;
  }

  private awaitPrimary(): PyNode | null {
    return this.memo("await_primary", () => {
      const t = this.tok();
      const a = this.alt(() => (this.kw("await") ? this.primary() : null));
      return a ? this.node("Await", t, [a]) : this.primary();
    });
  }

  /** primary: atom followed by .name, (args), [slices] or a bare generator argument. */
  primary(): PyNode | null {
    const start = this.tok();
    let a = this.atom();
    if (!a) return null;
    for (;;) {
      const next = this.trailer(a, start);
      if (!next) return a;
      a = next;
    }
  }

  /** One step of primary's left recursion on `a`, or null. */
  protected trailer(a: PyNode, start: Token): PyNode | null {
    return this.alt(() => {
      if (this.op(".")) {
        const n = this.name();
        return n ? this.node("Attribute", start, [a], { id: n.value.normalize("NFKC") }) : null;
      }
      if (this.isOp("(")) {
        const g = this.genexp();
        if (g) return this.node("Call", start, [a, g], { args: [g] });
        return this.alt(() => {
          this.op("(");
          const call = this.arguments();
          if (!this.op(")")) return null;
          return this.node("Call", start, [a, ...(call?.args ?? []), ...(call?.keywords ?? [])], { args: call?.args ?? [] });
        });
      }
      if (this.op("[")) {
        const s = this.slices();
        return s && this.op("]") ? this.node("Subscript", start, [a, s]) : null;
      }
      return null;
    });
  }

  slices(): PyNode | null {
    return this.alt(() => {
      const start = this.tok();
      const one = this.alt(() => {
        const s = this.slice();
        return s && !this.isOp(",") ? s : null;
      });
      if (one) return one;
      const item = () => this.slice() ?? this.starredExpression();
      const first = item();
      return first ? this.node("Tuple", start, this.commaTail(first, item)) : null;
    });
  }

  private slice(): PyNode | null {
    return this.alt(() => {
      const start = this.tok();
      const withColon = this.alt(() => {
        const lower = this.expression();
        if (!this.op(":")) return null;
        const upper = this.expression();
        let step: PyNode | null = null;
        if (this.op(":")) step = this.expression();
        return this.node("Slice", start, [lower, upper, step]);
      });
      return withColon ?? this.namedExpression();
    });
  }

  atom(): PyNode | null {
    const t = this.tok();
    if (t.type === "NAME") {
      if (!this.isName()) {
        if (t.value === "True" || t.value === "False" || t.value === "None") {
          this.pos++;
          return this.node("Constant", t, [], { constant: t.value });
        }
        return null;
      }
      this.pos++;
      return this.node("Name", t, [], { id: t.value.normalize("NFKC") });
    }
    if (t.type === "STRING") return this.strings();
    if (t.type === "NUMBER") {
      this.pos++;
      return this.node("Constant", t, [], { constant: "number" });
    }
    if (t.type !== "OP") return null;
    if (t.value === "(") return this.tuple() ?? this.group() ?? this.genexp();
    if (t.value === "[") return this.list() ?? this.listcomp();
    if (t.value === "{") return this.dict() ?? this.set() ?? this.dictcomp() ?? this.setcomp();
    if (t.value === "...") {
      this.pos++;
      return this.node("Constant", t, [], { constant: "Ellipsis" });
    }
    return null;
  }

  tuple(): PyNode | null {
    return this.alt(() => {
      const t = this.op("(");
      if (!t) return null;
      if (this.op(")")) return this.node("Tuple", t, [], { parenthesized: true });
      const first = this.starNamedExpression();
      if (!first || !this.op(",")) return null;
      const rest = this.alt(() => this.starNamedExpressions()) ?? [];
      return this.op(")") ? this.node("Tuple", t, [first, ...rest], { parenthesized: true }) : null;
    });
  }

  private group(): PyNode | null {
    const g = this.alt(() => {
      if (!this.op("(")) return null;
      const a = this.yieldExpr() ?? this.namedExpression();
      return a && this.op(")") ? { ...a, parenthesized: true } : null;
    });
    if (g || !this.invalid) return g;
    // invalid_group
    const start = this.pos;
    this.op("(");
    const s = this.starredExpression();
    if (s && this.isOp(")")) this.raise("cannot use starred expression here", s.line);
    this.pos = start + 1;
    const dbl = this.op("**");
    if (dbl && this.expression() && this.isOp(")")) this.raise("cannot use double starred expression here", dbl.line);
    this.pos = start;
    return null;
  }

  genexp(): PyNode | null {
    const g = this.alt(() => {
      const t = this.op("(");
      if (!t) return null;
      const a = this.assignmentExpression() ?? this.alt(() => {
        const e = this.expression();
        return e && !this.isOp(":=") ? e : null;
      });
      if (!a) return null;
      const gens = this.forIfClauses();
      return gens && this.op(")") ? this.node("GeneratorExp", t, [a, ...gens]) : null;
    });
    if (!g && this.invalid) this.invalidComprehension("(");
    return g;
  }

  list(): PyNode | null {
    return this.alt(() => {
      const t = this.op("[");
      if (!t) return null;
      const elts = this.alt(() => this.starNamedExpressions()) ?? [];
      return this.op("]") ? this.node("List", t, elts) : null;
    });
  }

  private listcomp(): PyNode | null {
    const c = this.comprehension("[", "]", "ListComp");
    if (!c && this.invalid) this.invalidComprehension("[");
    return c;
  }

  private setcomp(): PyNode | null {
    const c = this.comprehension("{", "}", "SetComp");
    if (!c && this.invalid) this.invalidComprehension("{");
    return c;
  }

  private comprehension(open: string, close: string, t: string): PyNode | null {
    return this.alt(() => {
      const o = this.op(open);
      const a = o && this.namedExpression();
      const gens = a && this.forIfClauses();
      return gens && this.op(close) ? this.node(t, o!, [a!, ...gens]) : null;
    });
  }

  private invalidComprehension(open: string): void {
    const start = this.pos;
    if (this.op(open)) {
      const s = this.starredExpression();
      if (s && this.forIfClauses()) this.raise("iterable unpacking cannot be used in comprehension", s.line);
    }
    this.pos = start;
    if (open !== "(" && this.op(open)) {
      const a = this.starNamedExpression();
      if (a && this.op(",")) {
        const m = this.pos;
        if (this.starNamedExpressions() && this.forIfClauses()) this.raise("did you forget parentheses around the comprehension target?", a.line);
        this.pos = m;
        if (this.forIfClauses()) this.raise("did you forget parentheses around the comprehension target?", a.line);
      }
    }
    this.pos = start;
  }

  private set(): PyNode | null {
    return this.alt(() => {
      const t = this.op("{");
      const elts = t && this.starNamedExpressions();
      return elts && this.op("}") ? this.node("Set", t!, elts) : null;
    });
  }

  private dict(): PyNode | null {
    const d = this.alt(() => {
      const t = this.op("{");
      if (!t) return null;
      const pairs = this.alt(() => {
        const first = this.doubleStarredKvpair();
        return first ? this.commaTail(first, () => this.doubleStarredKvpair(true)) : null;
      }) ?? [];
      if (!this.op("}")) return null;
      const keys = pairs.map((p) => p.kids[0]).filter((k) => k.t !== "$none");
      return this.node("Dict", t, [...keys, ...pairs.map((p) => p.kids[1])]);
    });
    if (d || !this.invalid) return d;
    this.invalidDoubleStarredKvpairs();
    return null;
  }

  /** A key/value pair as a pseudo-node; `**x` has the key "$none". */
  private doubleStarredKvpair(later = false): PyNode | null {
    return this.alt(() => {
      const t = this.tok();
      if (this.op("**")) {
        const v = this.bitwiseOr();
        return v ? this.node("$pair", t, [this.node("$none", t, []), v]) : null;
      }
      return this.kvpair(later);
    });
  }

  private kvpair(quietKey = false): PyNode | null {
    return this.alt(() => {
      const t = this.tok();
      const k = this.expression(quietKey);
      if (!k || !this.op(":")) return null;
      const v = this.expression();
      return v ? this.node("$pair", t, [k, v]) : null;
    });
  }

  private invalidDoubleStarredKvpairs(): void {
    const start = this.pos;
    this.op("{");
    const afterBrace = this.pos;
    const first = this.doubleStarredKvpair();
    if (first) {
      this.commaTail(first, () => this.doubleStarredKvpair(true));
      if (this.toks[this.pos - 1].value === ",") this.invalidKvpair();
    }
    this.pos = afterBrace;
    const k = this.expression();
    if (k && this.op(":")) {
      const star = this.op("*");
      if (star && this.bitwiseOr()) this.raise("cannot use a starred expression in a dictionary value", star.line);
      if (!star && (this.isOp("}") || this.isOp(","))) this.raise("expression expected after dictionary key and ':'", this.toks[this.pos - 1].line);
    }
    this.pos = start;
  }

  private invalidKvpair(): void {
    const start = this.pos;
    const a = this.expression();
    if (a && !this.isOp(":")) this.raise("':' expected after dictionary key", a.line);
    if (a && this.op(":")) {
      const star = this.op("*");
      if (star && this.bitwiseOr()) this.raise("cannot use a starred expression in a dictionary value", star.line);
      if (!star && (this.isOp("}") || this.isOp(","))) this.raise("expression expected after dictionary key and ':'", a.line);
    }
    this.pos = start;
  }

  private dictcomp(): PyNode | null {
    const c = this.alt(() => {
      const t = this.op("{");
      const kv = t && this.kvpair();
      const gens = kv && this.forIfClauses();
      return gens && this.op("}") ? this.node("DictComp", t!, [...kv!.kids, ...gens]) : null;
    });
    if (c || !this.invalid) return c;
    const start = this.pos;
    this.op("{");
    const dbl = this.op("**");
    if (dbl && this.bitwiseOr() && this.forIfClauses() && this.isOp("}")) this.raise("dict unpacking cannot be used in dict comprehension", dbl.line);
    this.pos = start;
    return null;
  }

  forIfClauses(): PyNode[] | null {
    const out: PyNode[] = [];
    for (;;) {
      const c = this.forIfClause();
      if (!c) return out.length ? out : null;
      out.push(c);
    }
  }

  private forIfClause(): PyNode | null {
    const start = this.pos;
    const t = this.tok();
    let cut = false;
    const c = this.alt(() => {
      this.kw("async");
      if (!this.kw("for")) return null;
      const target = this.starTargets();
      if (!target || !this.kw("in")) return null;
      cut = true;
      const iter = this.disjunction();
      if (!iter) return null;
      const ifs: PyNode[] = [];
      for (;;) {
        const cond = this.alt(() => (this.kw("if") ? this.disjunction() : null));
        if (!cond) break;
        ifs.push(cond);
      }
      return this.node("comprehension", t, [target, iter, ...ifs]);
    });
    if (c || cut || !this.invalid) return c;
    this.invalidForTarget();
    this.pos = start;
    return null;
  }

  /** invalid_for_target: 'async'? 'for' star_expressions, naming what cannot be assigned. */
  protected invalidForTarget(): void {
    const start = this.pos;
    this.kw("async");
    if (this.kw("for")) {
      const a = this.starExpressions();
      const bad = a && invalidTarget(a, "for");
      if (bad) this.raise(`cannot assign to ${exprName(bad)}`, bad.line);
    }
    this.pos = start;
  }

  private lambdef(): PyNode | null {
    return this.alt(() => {
      const t = this.kw("lambda");
      if (!t) return null;
      const params = this.lambdaParams();
      if (!this.op(":")) return null;
      const body = this.expression();
      return body ? this.node("Lambda", t, [params, body]) : null;
    });
  }

  starredExpression(): PyNode | null {
    return this.starred(() => this.expression());
  }

  /** arguments: positional args and keywords of a call (memoised), or null. */
  arguments(): { args: PyNode[]; keywords: PyNode[] } | null {
    const r = this.memo("arguments", () => {
      const a = this.args();
      if (!a) return null;
      this.op(",");
      return this.isOp(")") ? this.node("$args", this.tok(), [...a.args, ...a.keywords], { args: a.args }) : null;
    });
    if (r) return { args: r.args!, keywords: r.kids.slice(r.args!.length) };
    if (this.invalid) this.invalidArguments();
    return null;
  }

  protected args(): { args: PyNode[]; keywords: PyNode[] } | null {
    return this.alt(() => {
      const positional = this.gather(() => this.starredExpression() ?? this.alt(() => {
        const e = this.assignmentExpression() ?? this.alt(() => {
          const x = this.expression();
          return x && !this.isOp(":=") ? x : null;
        });
        return e && !this.isOp("=") ? e : null;
      }));
      if (positional) {
        const kw = this.alt(() => (this.op(",") ? this.kwargs() : null));
        const starredKw = kw?.filter((k) => k.t === "Starred") ?? [];
        return { args: [...positional, ...starredKw], keywords: kw?.filter((k) => k.t !== "Starred") ?? [] };
      }
      const kw = this.kwargs();
      return kw ? { args: kw.filter((k) => k.t === "Starred"), keywords: kw.filter((k) => k.t !== "Starred") } : null;
    });
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

  private kwargs(): PyNode[] | null {
    return this.alt(() => {
      const a = this.gather(() => this.kwargOrStarred());
      if (a) {
        const b = this.alt(() => (this.op(",") ? this.gather(() => this.kwargOrDoubleStarred()) : null));
        return b ? [...a, ...b] : a;
      }
      return this.gather(() => this.kwargOrDoubleStarred());
    });
  }

  private kwargOrStarred(): PyNode | null {
    if (this.invalid) this.invalidKwarg();
    return this.keywordArgument() ?? this.starredExpression();
  }

  private kwargOrDoubleStarred(): PyNode | null {
    if (this.invalid) this.invalidKwarg();
    return this.keywordArgument() ?? this.alt(() => {
      const t = this.op("**");
      const e = t && this.expression();
      return e ? this.node("keyword", t!, [e]) : null;
    });
  }

  private keywordArgument(): PyNode | null {
    return this.alt(() => {
      const n = this.name();
      if (!n || !this.op("=")) return null;
      const e = this.expression();
      return e ? this.node("keyword", n, [e], { id: n.value }) : null;
    });
  }

  private invalidKwarg(): void {
    const start = this.pos;
    const t = this.tok();
    if (t.type === "NAME" && (t.value === "True" || t.value === "False" || t.value === "None") && this.isOp("=", 1)) {
      this.raise(`cannot assign to ${t.value}`, t.line);
    }
    const n = this.name();
    if (n && this.op("=") && this.expression() && this.forIfClauses()) this.raise("invalid syntax. Maybe you meant '==' or ':=' instead of '='?", n.line);
    this.pos = start;
    if (!(this.isName() && this.isOp("=", 1))) {
      const a = this.expression();
      if (a && this.isOp("=")) this.raise('expression cannot contain assignment, perhaps you meant "=="?', a.line);
    }
    this.pos = start;
  }

  private invalidArguments(): void {
    const start = this.pos;
    const genexpMsg = "Generator expression must be parenthesized";
    const withKeywords = this.alt(() => {
      const a = this.gather(() => this.starredExpression() ?? this.alt(() => {
        const e = this.assignmentExpression() ?? this.alt(() => {
          const x = this.expression();
          return x && !this.isOp(":=") ? x : null;
        });
        return e && !this.isOp("=") ? e : null;
      }));
      return a && this.op(",") ? this.kwargs() : null;
    }) ?? this.kwargs();
    if (withKeywords && this.op(",")) {
      const star = this.op("*");
      if (star) this.raise("iterable argument unpacking follows keyword argument unpacking", star.line);
    }
    this.pos = start;
    const e = this.expression();
    if (e && this.forIfClauses() && this.op(",")) this.raise(genexpMsg, e.line);
    this.pos = start;
    const n = this.name();
    if (n && this.op("=") && this.expression() && this.forIfClauses()) this.raise("invalid syntax. Maybe you meant '==' or ':=' instead of '='?", n.line);
    this.pos = start;
    let a = this.args();
    if (a && this.forIfClauses() && a.args.length > 1) this.raise(genexpMsg, a.args[a.args.length - 1].line);
    this.pos = start;
    a = this.args();
    if (a && this.op(",")) {
      const m = this.pos;
      const x = this.expression();
      if (x && this.forIfClauses()) this.raise(genexpMsg, x.line);
      this.pos = m;
      if (this.args()) {
        this.raise(a.keywords.some((k) => k.id === undefined) ? "positional argument follows keyword argument unpacking" : "positional argument follows keyword argument");
      }
    }
    this.pos = start;
  }
}

const isLegacy = (a: PyNode) => a.t === "Name" && (a.id === "print" || a.id === "exec");
