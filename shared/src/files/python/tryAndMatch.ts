// try/except/except*/finally and match/case statements (3.11 grammar), with
// their invalid_* rules.
import { CompoundStatementParser } from "./compoundStatements";
import type { PyNode } from "./parserCore";

export abstract class StatementParser extends CompoundStatementParser {
  protected tryStmt(): PyNode | null {
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

  protected invalidTry(): void {
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

  protected exceptBlock(star: boolean): PyNode | null {
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

  protected invalidExceptIndent(star: boolean): void {
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

  protected invalidExcept(): void {
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

  protected finallyBlock(): PyNode[] | null {
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

  protected matchStmt(): PyNode | null {
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

  protected subjectExpr(): PyNode | null {
    return this.alt(() => {
      const t = this.tok();
      const first = this.starNamedExpression();
      if (!first || !this.op(",")) return null;
      const rest = this.alt(() => this.starNamedExpressions()) ?? [];
      return this.node("Tuple", t, [first, ...rest]);
    }) ?? this.namedExpression();
  }

  protected caseBlock(): PyNode | null {
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

  protected guard(): PyNode | null {
    return this.alt(() => (this.kw("if") ? this.namedExpression() : null));
  }
}
