// The module and its simple statements (3.11 grammar: file, statements,
// simple_stmts, assignment, imports, del, raise, ...), with the invalid_* rules
// that word their errors.
import { exprName, invalidTarget, type PyNode } from "./parserCore";
import { PatternParser } from "./patterns";
import type { Token } from "./tokenizer";

const AUGASSIGN = new Set(["+=", "-=", "*=", "@=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", "**=", "//="]);

export abstract class SimpleStatementParser extends PatternParser {
  protected abstract compoundStmt(): PyNode | null;

  file(): PyNode | null {
    return this.alt(() => {
      const start = this.tok();
      const body = this.statements() ?? [];
      return this.type("ENDMARKER") ? this.node("Module", start, body) : null;
    });
  }

  protected statements(): PyNode[] | null {
    const out: PyNode[] = [];
    for (;;) {
      const s = this.statement();
      if (!s) return out.length ? out : null;
      out.push(...s);
    }
  }

  protected statement(): PyNode[] | null {
    const c = this.compoundStmt();
    return c ? [c] : this.simpleStmts();
  }

  protected simpleStmts(): PyNode[] | null {
    return this.alt(() => {
      const one = this.alt(() => {
        const a = this.simpleStmt();
        return a && !this.isOp(";") && this.type("NEWLINE") ? a : null;
      });
      if (one) return [one];
      const first = this.simpleStmt();
      if (!first) return null;
      const out = [first];
      for (;;) {
        const next = this.alt(() => (this.op(";") ? this.simpleStmt() : null));
        if (!next) break;
        out.push(next);
      }
      this.op(";");
      return this.type("NEWLINE") ? out : null;
    });
  }

  protected simpleStmt(): PyNode | null {
    return this.memo("simple_stmt", () => {
      const t = this.tok();
      const a = this.assignment();
      if (a) return a;
      const e = this.starExpressions();
      if (e) return this.node("Expr", t, [e]);
      if (t.type !== "NAME") return null;
      switch (t.value) {
        case "return": return this.alt(() => (this.kw("return") ? this.node("Return", t, [this.starExpressions()]) : null));
        case "import": return this.importName();
        case "from": return this.importFrom();
        case "raise": return this.raiseStmt();
        case "pass": case "break": case "continue":
          this.pos++;
          return this.node(t.value === "pass" ? "Pass" : t.value === "break" ? "Break" : "Continue", t, []);
        case "del": return this.delStmt();
        case "yield": {
          const y = this.yieldExpr();
          return y ? this.node("Expr", t, [y]) : null;
        }
        case "assert": return this.alt(() => {
          this.kw("assert");
          const test = this.expression();
          if (!test) return null;
          const msg = this.alt(() => (this.op(",") ? this.expression() : null));
          return this.node("Assert", t, [test, msg]);
        });
        case "global": case "nonlocal": return this.alt(() => {
          this.pos++;
          return this.gather(() => (this.name() ? this.node("Name", t, []) : null)) ? this.node(t.value === "global" ? "Global" : "Nonlocal", t, []) : null;
        });
      }
      return null;
    });
  }

  protected annotatedRhs(): PyNode | null {
    return this.yieldExpr() ?? this.starExpressions();
  }

  protected assignment(): PyNode | null {
    const t = this.tok();
    const annotated = (target: () => PyNode | null) => this.alt(() => {
      const a = target();
      if (!a || !this.op(":")) return null;
      const annotation = this.expression();
      if (!annotation) return null;
      const value = this.alt(() => (this.op("=") ? this.annotatedRhs() : null));
      return this.node("AnnAssign", t, [a, annotation, value]);
    });
    const simple = annotated(() => {
      const n = this.name();
      return n ? this.node("Name", n, [], { id: n.value }) : null;
    });
    if (simple) return simple;
    const complex = annotated(() => this.alt(() => {
      if (!this.op("(")) return null;
      const s = this.singleTarget();
      return s && this.op(")") ? s : null;
    }) ?? this.attributeOrSubscriptTarget());
    if (complex) return complex;
    const chained = this.alt(() => {
      const targets: PyNode[] = [];
      for (;;) {
        const target = this.alt(() => {
          const s = this.starTargets();
          return s && this.op("=") ? s : null;
        });
        if (!target) break;
        targets.push(target);
      }
      const value = targets.length ? this.annotatedRhs() : null;
      return value && !this.isOp("=") ? this.node("Assign", t, [...targets, value]) : null;
    });
    if (chained) return chained;
    let cut = false;
    const aug = this.alt(() => {
      const target = this.singleTarget();
      if (!target || !this.augassign()) return null;
      cut = true;
      const value = this.annotatedRhs();
      return value ? this.node("AugAssign", t, [target, value]) : null;
    });
    if (aug || cut) return aug;
    if (this.invalid) this.invalidAssignment();
    return null;
  }

  protected augassign(): Token | null {
    const t = this.tok();
    if (t.type !== "OP" || !AUGASSIGN.has(t.value)) return null;
    this.pos++;
    return t;
  }

  protected invalidAssignment(): void {
    const start = this.pos;
    const reset = () => (this.pos = start);
    const annTarget = this.invalidAnnAssignTarget();
    if (annTarget && this.op(":") && this.expression()) this.raise(`only single target (not ${exprName(annTarget)}) can be annotated`, annTarget.line);
    reset();
    const a = this.starNamedExpression();
    if (a && this.op(",")) {
      while (this.starNamedExpressions());
      if (this.op(":") && this.expression()) this.raise("only single target (not tuple) can be annotated", a.line);
    }
    reset();
    const e = this.expression();
    if (e && this.op(":") && this.expression()) this.raise("illegal target for annotation", e.line);
    reset();
    const skipTargets = () => {
      while (this.alt(() => (this.starTargets() && this.op("=") ? this.node("$", this.tok(), []) : null)));
    };
    skipTargets();
    const s = this.starExpressions();
    if (s && this.op("=")) {
      const bad = invalidTarget(s, "star");
      if (bad) this.raise(`cannot assign to ${exprName(bad)}`, bad.line);
    }
    reset();
    skipTargets();
    const y = this.yieldExpr();
    if (y && this.op("=")) this.raise("assignment to yield expression not possible", y.line);
    reset();
    const x = this.starExpressions();
    if (x && this.augassign() && this.annotatedRhs()) this.raise(`'${exprName(x)}' is an illegal expression for augmented assignment`, x.line);
    reset();
  }

  protected invalidAnnAssignTarget(): PyNode | null {
    return this.list() ?? this.tuple() ?? this.alt(() => {
      if (!this.op("(")) return null;
      const inner = this.invalidAnnAssignTarget();
      return inner && this.op(")") ? inner : null;
    });
  }

  protected raiseStmt(): PyNode | null {
    return this.alt(() => {
      const t = this.kw("raise");
      if (!t) return null;
      const exc = this.alt(() => {
        const e = this.expression();
        if (!e) return null;
        const cause = this.alt(() => (this.kw("from") ? this.expression() : null));
        return this.node("Raise", t, [e, cause]);
      });
      return exc ?? this.node("Raise", t, []);
    });
  }

  protected delStmt(): PyNode | null {
    const d = this.alt(() => {
      const t = this.kw("del");
      const targets = t && this.delTargets();
      return targets && (this.isOp(";") || this.isType("NEWLINE")) ? this.node("Delete", t!, targets) : null;
    });
    if (d || !this.invalid) return d;
    const start = this.pos;
    this.kw("del");
    const a = this.starExpressions();
    const bad = a && invalidTarget(a, "del");
    if (bad) this.raise(`cannot delete ${exprName(bad)}`, bad.line);
    this.pos = start;
    return null;
  }

  protected dottedName(): string | null {
    const first = this.name();
    if (!first) return null;
    let name = first.value.normalize("NFKC");
    for (;;) {
      const next = this.alt(() => (this.op(".") ? this.name() : null));
      if (!next) return name;
      name += "." + next.value.normalize("NFKC");
    }
  }

  protected importName(): PyNode | null {
    return this.alt(() => {
      const t = this.kw("import");
      if (!t) return null;
      const names: { name: string; asname: string | null }[] = [];
      const ok = this.gather(() => {
        const name = this.dottedName();
        if (!name) return null;
        const as = this.alt(() => (this.kw("as") ? this.name() : null));
        names.push({ name, asname: as ? as.value : null });
        return this.node("alias", t, []);
      });
      return ok ? this.node("Import", t, [], { names: names.slice(0, ok.length) }) : null;
    });
  }

  protected importFrom(): PyNode | null {
    const t = this.tok();
    const withModule = this.alt(() => {
      if (!this.kw("from")) return null;
      const level = this.dots();
      const module = this.dottedName();
      return module && this.kw("import") ? this.fromTargets(t, module, level) : null;
    });
    return withModule ?? this.alt(() => {
      if (!this.kw("from")) return null;
      const level = this.dots();
      return level > 0 && this.kw("import") ? this.fromTargets(t, null, level) : null;
    });
  }

  /** ('.' | '...')*: the relative import level. */
  protected dots(): number {
    let level = 0;
    for (;;) {
      if (this.op(".")) level += 1;
      else if (this.op("...")) level += 3;
      else return level;
    }
  }

  protected fromTargets(t: Token, module: string | null, level: number): PyNode | null {
    const names: { name: string; asname: string | null }[] = [];
    const asNames = () => this.gather(() => {
      const n = this.name();
      if (!n) return null;
      const as = this.alt(() => (this.kw("as") ? this.name() : null));
      names.push({ name: n.value.normalize("NFKC"), asname: as ? as.value : null });
      return this.node("alias", n, []);
    });
    const make = (count: number) => this.node("ImportFrom", t, [], { module, level, names: names.slice(-count) });
    const parenthesized = this.alt(() => {
      if (!this.op("(")) return null;
      const got = asNames();
      this.op(",");
      return got && this.op(")") ? make(got.length) : null;
    });
    if (parenthesized) return parenthesized;
    const bare = this.alt(() => {
      const got = asNames();
      return got && !this.isOp(",") ? make(got.length) : null;
    });
    if (bare) return bare;
    if (this.op("*")) return this.node("ImportFrom", t, [], { module, level, names: [{ name: "*", asname: null }] });
    if (this.invalid) {
      const start = this.pos;
      if (asNames() && this.op(",") && this.isType("NEWLINE")) this.raise("trailing comma not allowed without surrounding parentheses");
      this.pos = start;
    }
    return null;
  }
}
