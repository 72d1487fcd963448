// Compound statements of the 3.11 grammar: blocks, decorators, def, class, if,
// while, for and with, each with the invalid_* rules that give "expected ':'"
// and "expected an indented block after ..." their wording.
import { exprName, invalidTarget, type PyNode } from "./parserCore";
import { SimpleStatementParser } from "./simpleStatements";

export abstract class CompoundStatementParser extends SimpleStatementParser {
  protected abstract tryStmt(): PyNode | null;
  protected abstract matchStmt(): PyNode | null;

  // --- compound statements --------------------------------------------------

  protected compoundStmt(): PyNode | null {
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

  protected decorators(): PyNode[] {
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

  protected block(): PyNode[] | null {
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

  protected functionDef(): PyNode | null {
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

  protected invalidDefRaw(): void {
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

  protected classDef(): PyNode | null {
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
  protected classArguments(): { args: PyNode[]; keywords: PyNode[] } | null {
    if (!this.isOp("(")) return { args: [], keywords: [] };
    return this.alt(() => {
      this.op("(");
      const a = this.arguments() ?? { args: [], keywords: [] };
      return this.op(")") ? a : null;
    });
  }

  protected invalidClassDefRaw(): void {
    const start = this.pos;
    const cls = this.kw("class");
    if (cls && this.name() && this.classArguments() !== null) {
      if (this.isType("NEWLINE")) this.raise("expected ':'");
      this.noIndentedBlock("class definition", cls.line);
    }
    this.pos = start;
  }

  /** if_stmt and elif_stmt (which makes an If node too). */
  protected ifStmt(word: "if" | "elif"): PyNode | null {
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
  protected invalidHeader(word: string, header: () => unknown, what: string, lineOfHeader = false): void {
    const start = this.pos;
    const kw = this.kw(word);
    const at = this.tok();
    if (kw && header()) {
      if (this.isType("NEWLINE")) this.raise("expected ':'");
      this.noIndentedBlock(what, lineOfHeader ? at.line : kw.line);
    }
    this.pos = start;
  }

  protected elseBlock(): PyNode[] | null {
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

  protected whileStmt(): PyNode | null {
    if (this.invalid) this.invalidHeader("while", () => this.namedExpression(), "'while' statement");
    return this.alt(() => {
      const t = this.kw("while");
      const test = t && this.namedExpression();
      if (!test || !this.op(":")) return null;
      const body = this.block();
      return body ? this.node("While", t!, [test, ...body, ...(this.elseBlock() ?? [])]) : null;
    });
  }

  protected forStmt(): PyNode | null {
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

  protected withStmt(): PyNode | null {
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

  protected withItem(): PyNode | null {
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

  protected invalidWith(): void {
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
}
