// Operator precedence levels of the 3.11 grammar, from `or` down to `await`:
// disjunction, conjunction, inversion, comparison, the binary levels, factor,
// power. Left-recursive levels are loops that build left-associative nodes.
import { ParserCore, type PyNode } from "./parserCore";

const COMPARE = ["==", "!=", "<=", "<", ">=", ">"];

export abstract class OperatorParser extends ParserCore {
  abstract primary(): PyNode | null;

  disjunction(): PyNode | null {
    return this.memo("disjunction", () => this.boolOp("or", () => this.conjunction()));
  }

  conjunction(): PyNode | null {
    return this.memo("conjunction", () => this.boolOp("and", () => this.inversion()));
  }

  protected boolOp(word: string, operand: () => PyNode | null): PyNode | null {
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

  protected compareOp(): string | null {
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

  protected shiftExpr(): PyNode | null {
    return this.binary(["<<", ">>"], () => this.binary(["+", "-"], () => this.binary(["*", "/", "//", "%", "@"], () => this.factor())));
  }

  /** A left-associative binary level: operand (op operand)*. */
  protected binary(ops: string[], operand: () => PyNode | null): PyNode | null {
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

  protected power(): PyNode | null {
    const start = this.tok();
    const a = this.awaitPrimary();
    if (!a) return null;
    const b = this.alt(() => (this.op("**") ? this.factor() : null));
    return b ? this.node("BinOp", start, [a, b]) : a;
  }

  protected awaitPrimary(): PyNode | null {
    return this.memo("await_primary", () => {
      const t = this.tok();
      const a = this.alt(() => (this.kw("await") ? this.primary() : null));
      return a ? this.node("Await", t, [a]) : this.primary();
    });
  }
}
