// Statement rules of CPython 3.11's grammar, alternatives in its order, with the
// invalid_* rules that give statements their specific messages (second pass).
import { exprName, invalidTarget, type PyNode } from "./parserCore";
import { PatternParser } from "./patterns";
import type { Token } from "./tokenizer";

const AUGASSIGN = new Set(["+=", "-=", "*=", "@=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", "**=", "//="]);

export abstract class StatementParser extends PatternParser {
  file(): PyNode | null {
    return this.alt(() => {
      const start = this.tok();
      const body = this.statements() ?? [];
      return this.type("ENDMARKER") ? this.node("Module", start, body) : null;
    });
  }

  private statements(): PyNode[] | null {
    const out: PyNode[] = [];
    for (;;) {
      const s = this.statement();
      if (!s) return out.length ? out : null;
      out.push(...s);
    }
  }

  private statement(): PyNode[] | null {
    const c = this.compoundStmt();
    return c ? [c] : this.simpleStmts();
  }

  private simpleStmts(): PyNode[] | null {
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

  private simpleStmt(): PyNode | null {
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

  private annotatedRhs(): PyNode | null {
    return this.yieldExpr() ?? this.starExpressions();
  }

  private assignment(): PyNode | null {
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

  private augassign(): Token | null {
    const t = this.tok();
    if (t.type !== "OP" || !AUGASSIGN.has(t.value)) return null;
    this.pos++;
    return t;
  }

  private invalidAssignment(): void {
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

  private invalidAnnAssignTarget(): PyNode | null {
    return this.list() ?? this.tuple() ?? this.alt(() => {
      if (!this.op("(")) return null;
      const inner = this.invalidAnnAssignTarget();
      return inner && this.op(")") ? inner : null;
    });
  }

  private raiseStmt(): PyNode | null {
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

  private delStmt(): PyNode | null {
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

  private dottedName(): string | null {
    const first = this.name();
    if (!first) return null;
    let name = first.value.normalize("NFKC");
    for (;;) {
      const next = this.alt(() => (this.op(".") ? this.name() : null));
      if (!next) return name;
      name += "." + next.value.normalize("NFKC");
    }
  }

  private importName(): PyNode | null {
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

  private importFrom(): PyNode | null {
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
  private dots(): number {
    let level = 0;
    for (;;) {
      if (this.op(".")) level += 1;
      else if (this.op("...")) level += 3;
      else return level;
    }
  }

  private fromTargets(t: Token, module: string | null, level: number): PyNode | null {
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

  // --- compound statements --------------------------------------------------

  private compoundStmt(): PyNode | null {
    const t = this.tok();
    if (t.type === "OP" && t.value === "@") return this.functionDef() ?? this.classDef();
    if (t.type !== "NAME") return null;
    switch (t.value) {
      case "def": return this.functionDef();
      case "if": return this.ifStmt("if");
      case "class": return this.classDef();
      case "with": return this.withStmt();
      case "for": return this.forStmt();
      case "try": return this.tryStmt();
      case "while": return this.whileStmt();
      case "async": return this.functionDef() ?? this.withStmt() ?? this.forStmt();
      case "match": return this.matchStmt();
      default: return null;
    }
  }

  private decorators(): PyNode[] {
    const out: PyNode[] = [];
    for (;;) {
      const d = this.alt(() => {
        if (!this.op("@")) return null;
        const e = this.namedExpression();
        return e && this.type("NEWLINE") ? e : null;
      });
      if (!d) return out;
      out.push(d);
    }
  }

  private block(): PyNode[] | null {
    const b = this.memo("block", () => {
      const indented = this.alt(() => {
        if (!this.type("NEWLINE") || !this.type("INDENT")) return null;
        const body = this.statements();
        return body && this.type("DEDENT") ? this.node("$block", this.tok(), body) : null;
      });
      if (indented) return indented;
      const simple = this.simpleStmts();
      if (simple) return this.node("$block", this.tok(), simple);
      if (this.invalid && this.isType("NEWLINE") && !this.isType("INDENT", 1)) this.raiseIndent("expected an indented block");
      return null;
    });
    return b ? b.kids : null;
  }

  /** The `X ... ':' NEWLINE !INDENT` half of an invalid_X_stmt rule. */
  protected noIndentedBlock(what: string, line: number): void {
    if (this.isOp(":") && this.isType("NEWLINE", 1) && !this.isType("INDENT", 2)) {
      this.raiseIndent(`expected an indented block after ${what} on line ${line}`);
    }
  }

  private functionDef(): PyNode | null {
    return this.alt(() => {
      const decorators = this.decorators();
      const t = this.tok();
      if (this.invalid) this.invalidDefRaw();
      const isAsync = !!this.kw("async");
      if (!this.kw("def")) return null;
      const name = this.name();
      if (!name) return null;
      this.forced("(");
      const params = this.parameters(")", true);
      if (!this.op(")")) return null;
      const returns = this.alt(() => (this.op("->") ? this.expression() : null));
      this.forced(":");
      const body = this.block();
      if (!body) return null;
      return this.node(isAsync ? "AsyncFunctionDef" : "FunctionDef", t, [params, ...body, ...decorators, returns], { id: name.value, decorators });
    });
  }

  private invalidDefRaw(): void {
    const start = this.pos;
    this.kw("async");
    const def = this.kw("def");
    if (def && this.name() && this.op("(")) {
      this.parameters(")", true);
      if (this.op(")")) {
        this.alt(() => (this.op("->") ? this.expression() : null));
        this.noIndentedBlock("function definition", def.line);
      }
    }
    this.pos = start;
  }

  private classDef(): PyNode | null {
    return this.alt(() => {
      const decorators = this.decorators();
      const t = this.tok();
      if (this.invalid) this.invalidClassDefRaw();
      if (!this.kw("class")) return null;
      const name = this.name();
      if (!name) return null;
      const call = this.classArguments();
      if (call === null || !this.op(":")) return null;
      const body = this.block();
      if (!body) return null;
      return this.node("ClassDef", t, [...call.args, ...call.keywords, ...body, ...decorators], { id: name.value, decorators });
    });
  }

  /** ['(' [arguments] ')']: null when it does not parse. */
  private classArguments(): { args: PyNode[]; keywords: PyNode[] } | null {
    if (!this.isOp("(")) return { args: [], keywords: [] };
    return this.alt(() => {
      this.op("(");
      const a = this.arguments() ?? { args: [], keywords: [] };
      return this.op(")") ? a : null;
    });
  }

  private invalidClassDefRaw(): void {
    const start = this.pos;
    const cls = this.kw("class");
    if (cls && this.name() && this.classArguments() !== null) {
      if (this.isType("NEWLINE")) this.raise("expected ':'");
      this.noIndentedBlock("class definition", cls.line);
    }
    this.pos = start;
  }

  /** if_stmt and elif_stmt (which makes an If node too). */
  private ifStmt(word: "if" | "elif"): PyNode | null {
    if (this.invalid) this.invalidHeader(word, () => this.namedExpression(), `'${word}' statement`, true);
    return this.alt(() => {
      const t = this.kw(word);
      const test = t && this.namedExpression();
      if (!test || !this.op(":")) return null;
      const body = this.block();
      if (!body) return null;
      const elif = this.isKw("elif") ? this.ifStmt("elif") : null;
      const orelse = elif ? [elif] : this.elseBlock() ?? [];
      return this.node("If", t!, [test, ...body, ...orelse]);
    });
  }

  /** invalid_X_stmt: `X header NEWLINE` → expected ':'; `X header ':' NEWLINE !INDENT` → indentation. */
  private invalidHeader(word: string, header: () => unknown, what: string, lineOfHeader = false): void {
    const start = this.pos;
    const kw = this.kw(word);
    const at = this.tok();
    if (kw && header()) {
      if (this.isType("NEWLINE")) this.raise("expected ':'");
      this.noIndentedBlock(what, lineOfHeader ? at.line : kw.line);
    }
    this.pos = start;
  }

  private elseBlock(): PyNode[] | null {
    if (this.invalid) {
      const start = this.pos;
      const e = this.kw("else");
      if (e) this.noIndentedBlock("'else' statement", e.line);
      this.pos = start;
    }
    return this.alt(() => {
      if (!this.kw("else")) return null;
      this.forced(":");
      return this.block();
    });
  }

  private whileStmt(): PyNode | null {
    if (this.invalid) this.invalidHeader("while", () => this.namedExpression(), "'while' statement");
    return this.alt(() => {
      const t = this.kw("while");
      const test = t && this.namedExpression();
      if (!test || !this.op(":")) return null;
      const body = this.block();
      return body ? this.node("While", t!, [test, ...body, ...(this.elseBlock() ?? [])]) : null;
    });
  }

  private forStmt(): PyNode | null {
    if (this.invalid) {
      const start = this.pos;
      this.kw("async");
      const f = this.kw("for");
      if (f && this.starTargets() && this.kw("in") && this.starExpressions()) {
        if (this.isType("NEWLINE")) this.raise("expected ':'");
        this.noIndentedBlock("'for' statement", f.line);
      }
      this.pos = start;
    }
    let cut = false;
    const loop = this.alt(() => {
      const t = this.tok();
      const isAsync = !!this.kw("async");
      if (!this.kw("for")) return null;
      const target = this.starTargets();
      if (!target || !this.kw("in")) return null;
      cut = true;
      const iter = this.starExpressions();
      if (!iter || !this.op(":")) return null;
      const body = this.block();
      return body ? this.node(isAsync ? "AsyncFor" : "For", t, [target, iter, ...body, ...(this.elseBlock() ?? [])]) : null;
    });
    if (loop || cut || !this.invalid) return loop;
    this.invalidForTarget();
    return null;
  }

  private withStmt(): PyNode | null {
    if (this.invalid) this.invalidWith();
    return this.alt(() => {
      const t = this.tok();
      const isAsync = !!this.kw("async");
      if (!this.kw("with")) return null;
      const items = this.alt(() => {
        if (!this.op("(")) return null;
        const got = this.gather(() => this.withItem());
        this.op(",");
        return got && this.op(")") && this.isOp(":") ? got : null;
      }) ?? this.gather(() => this.withItem());
      if (!items || !this.op(":")) return null;
      const body = this.block();
      return body ? this.node(isAsync ? "AsyncWith" : "With", t, [...items, ...body]) : null;
    });
  }

  private withItem(): PyNode | null {
    const t = this.tok();
    const as = this.alt(() => {
      const e = this.expression();
      if (!e || !this.kw("as")) return null;
      const target = this.starTarget();
      return target && (this.isOp(",") || this.isOp(")") || this.isOp(":")) ? this.node("withitem", t, [e, target]) : null;
    });
    if (as) return as;
    if (this.invalid) {
      const start = this.pos;
      if (this.expression() && this.kw("as")) {
        const a = this.expression();
        const bad = a && (this.isOp(",") || this.isOp(")") || this.isOp(":")) && invalidTarget(a, "star");
        if (bad) this.raise(`cannot assign to ${exprName(bad)}`, bad.line);
      }
      this.pos = start;
    }
    const e = this.expression();
    return e ? this.node("withitem", t, [e]) : null;
  }

  private invalidWith(): void {
    const start = this.pos;
    this.kw("async");
    const w = this.kw("with");
    if (w) {
      const item = (inner: () => PyNode | null) => () => this.alt(() => {
        const e = inner();
        if (!e) return null;
        this.alt(() => (this.kw("as") ? this.starTarget() : null));
        return e;
      });
      const afterWith = this.pos;
      if (this.gather(item(() => this.expression()))) {
        if (this.isType("NEWLINE")) this.raise("expected ':'");
        this.noIndentedBlock("'with' statement", w.line);
      }
      this.pos = afterWith;
      if (this.op("(") && this.gather(item(() => this.expressions()))) {
        this.op(",");
        if (this.op(")")) {
          if (this.isType("NEWLINE")) this.raise("expected ':'");
          this.noIndentedBlock("'with' statement", w.line);
        }
      }
    }
    this.pos = start;
  }

  private tryStmt(): PyNode | null {
    if (this.invalid) this.invalidTry();
    return this.alt(() => {
      const t = this.kw("try");
      if (!t) return null;
      this.forced(":");
      const body = this.block();
      if (!body) return null;
      const fin = this.finallyBlock();
      if (fin) return this.node("Try", t, [...body, ...fin]);
      for (const star of [false, true]) {
        const r = this.alt(() => {
          const handlers: PyNode[] = [];
          for (;;) {
            const h = this.exceptBlock(star);
            if (!h) break;
            handlers.push(h);
          }
          if (!handlers.length) return null;
          const orelse = this.elseBlock() ?? [];
          const finalbody = this.finallyBlock() ?? [];
          return this.node(star ? "TryStar" : "Try", t, [...body, ...handlers, ...orelse, ...finalbody]);
        });
        if (r) return r;
      }
      return null;
    });
  }

  private invalidTry(): void {
    const start = this.pos;
    const t = this.kw("try");
    if (t && this.isOp(":")) {
      this.noIndentedBlock("'try' statement", t.line);
      this.op(":");
      if (this.block()) {
        if (!this.isKw("except") && !this.isKw("finally")) this.raise("expected 'except' or 'finally' block");
        const afterBody = this.pos;
        const both = "cannot have both 'except' and 'except*' on the same 'try'";
        const asName = () => this.alt(() => (this.kw("as") ? this.name() : null));
        let n = 0;
        while (this.exceptBlock(false)) n++;
        const plain = n ? this.kw("except") : null;
        if (plain && this.op("*") && this.expression()) {
          asName();
          if (this.isOp(":")) this.raise(both, plain.line);
        }
        this.pos = afterBody;
        n = 0;
        while (this.exceptBlock(true)) n++;
        const starred = n ? this.kw("except") : null;
        if (starred) {
          if (this.expression()) asName();
          if (this.isOp(":")) this.raise(both, starred.line);
        }
      }
    }
    this.pos = start;
  }

  private exceptBlock(star: boolean): PyNode | null {
    if (this.invalid) this.invalidExceptIndent(star);
    const handler = this.alt(() => {
      const t = this.kw("except");
      if (!t || (star && !this.op("*"))) return null;
      const type = this.expression();
      if (type) {
        this.alt(() => (this.kw("as") ? this.name() : null));
      } else if (star) return null;
      if (!this.op(":")) return null;
      const body = this.block();
      return body ? this.node("ExceptHandler", t, [type, ...body]) : null;
    });
    if (handler || !this.invalid) return handler;
    this.invalidExcept();
    return null;
  }

  private invalidExceptIndent(star: boolean): void {
    const start = this.pos;
    const e = this.kw("except");
    if (e && (!star || this.op("*"))) {
      if (this.expression()) this.alt(() => (this.kw("as") ? this.name() : null));
      else if (star) {
        this.pos = start;
        return;
      }
      this.noIndentedBlock(star ? "'except*' statement" : "'except' statement", e.line);
    }
    this.pos = start;
  }

  private invalidExcept(): void {
    const start = this.pos;
    const e = this.kw("except");
    if (e) {
      const afterExcept = this.pos;
      this.op("*");
      const a = this.expression();
      if (a && this.op(",") && this.expressions()) {
        this.alt(() => (this.kw("as") ? this.name() : null));
        if (this.isOp(":")) this.raise("multiple exception types must be parenthesized", a.line);
      }
      this.pos = afterExcept;
      this.op("*");
      if (this.expression()) {
        this.alt(() => (this.kw("as") ? this.name() : null));
        if (this.isType("NEWLINE")) this.raise("expected ':'");
      }
      this.pos = afterExcept;
      if (this.isType("NEWLINE")) this.raise("expected ':'");
      if (this.op("*") && (this.isType("NEWLINE") || this.isOp(":"))) this.raise("expected one or more exception types");
    }
    this.pos = start;
  }

  private finallyBlock(): PyNode[] | null {
    if (this.invalid) {
      const start = this.pos;
      const f = this.kw("finally");
      if (f) this.noIndentedBlock("'finally' statement", f.line);
      this.pos = start;
    }
    return this.alt(() => {
      if (!this.kw("finally")) return null;
      this.forced(":");
      return this.block();
    });
  }

  private matchStmt(): PyNode | null {
    const m = this.alt(() => {
      const t = this.kw("match");
      const subject = t && this.subjectExpr();
      if (!subject || !this.op(":") || !this.type("NEWLINE") || !this.type("INDENT")) return null;
      const cases: PyNode[] = [];
      for (;;) {
        const c = this.caseBlock();
        if (!c) break;
        cases.push(c);
      }
      return cases.length && this.type("DEDENT") ? this.node("Match", t!, [subject, ...cases]) : null;
    });
    if (m || !this.invalid) return m;
    this.invalidHeader("match", () => this.subjectExpr(), "'match' statement");
    return null;
  }

  private subjectExpr(): PyNode | null {
    return this.alt(() => {
      const t = this.tok();
      const first = this.starNamedExpression();
      if (!first || !this.op(",")) return null;
      const rest = this.alt(() => this.starNamedExpressions()) ?? [];
      return this.node("Tuple", t, [first, ...rest]);
    }) ?? this.namedExpression();
  }

  private caseBlock(): PyNode | null {
    if (this.invalid) {
      const start = this.pos;
      const c = this.kw("case");
      if (c && this.patterns()) {
        this.guard();
        if (this.isType("NEWLINE")) this.raise("expected ':'");
        this.noIndentedBlock("'case' statement", c.line);
      }
      this.pos = start;
    }
    return this.alt(() => {
      const t = this.kw("case");
      if (!t || !this.patterns()) return null;
      const guard = this.guard();
      if (!this.op(":")) return null;
      const body = this.block();
      return body ? this.node("match_case", t, [guard, ...body]) : null;
    });
  }

  private guard(): PyNode | null {
    return this.alt(() => (this.kw("if") ? this.namedExpression() : null));
  }
}
