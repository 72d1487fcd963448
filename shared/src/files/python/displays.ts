// Bracketed displays of CPython 3.11's grammar: tuples, groups, lists, sets,
// dicts and the comprehensions over them, with their invalid_* rules.
import { ExpressionParser } from "./expressions";
import { exprName, invalidTarget, type PyNode } from "./parserCore";

export abstract class DisplayParser extends ExpressionParser {
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

  protected group(): PyNode | null {
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

  protected listcomp(): PyNode | null {
    const c = this.comprehension("[", "]", "ListComp");
    if (!c && this.invalid) this.invalidComprehension("[");
    return c;
  }

  protected setcomp(): PyNode | null {
    const c = this.comprehension("{", "}", "SetComp");
    if (!c && this.invalid) this.invalidComprehension("{");
    return c;
  }

  protected comprehension(open: string, close: string, t: string): PyNode | null {
    return this.alt(() => {
      const o = this.op(open);
      const a = o && this.namedExpression();
      const gens = a && this.forIfClauses();
      return gens && this.op(close) ? this.node(t, o!, [a!, ...gens]) : null;
    });
  }

  protected invalidComprehension(open: string): void {
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

  protected set(): PyNode | null {
    return this.alt(() => {
      const t = this.op("{");
      const elts = t && this.starNamedExpressions();
      return elts && this.op("}") ? this.node("Set", t!, elts) : null;
    });
  }

  protected dict(): PyNode | null {
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
  protected doubleStarredKvpair(later = false): PyNode | null {
    return this.alt(() => {
      const t = this.tok();
      if (this.op("**")) {
        const v = this.bitwiseOr();
        return v ? this.node("$pair", t, [this.node("$none", t, []), v]) : null;
      }
      return this.kvpair(later);
    });
  }

  protected kvpair(quietKey = false): PyNode | null {
    return this.alt(() => {
      const t = this.tok();
      const k = this.expression(quietKey);
      if (!k || !this.op(":")) return null;
      const v = this.expression();
      return v ? this.node("$pair", t, [k, v]) : null;
    });
  }

  protected invalidDoubleStarredKvpairs(): void {
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

  protected invalidKvpair(): void {
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

  protected dictcomp(): PyNode | null {
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

  protected forIfClause(): PyNode | null {
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
}
