// Call arguments (3.11 grammar: arguments, args, kwargs) and the
// invalid_arguments / invalid_kwarg rules that word their errors.
import { DisplayParser } from "./displays";
import type { PyNode } from "./parserCore";

export abstract class CallParser extends DisplayParser {
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

  protected kwargs(): PyNode[] | null {
    return this.alt(() => {
      const a = this.gather(() => this.kwargOrStarred());
      if (a) {
        const b = this.alt(() => (this.op(",") ? this.gather(() => this.kwargOrDoubleStarred()) : null));
        return b ? [...a, ...b] : a;
      }
      return this.gather(() => this.kwargOrDoubleStarred());
    });
  }

  protected kwargOrStarred(): PyNode | null {
    if (this.invalid) this.invalidKwarg();
    return this.keywordArgument() ?? this.starredExpression();
  }

  protected kwargOrDoubleStarred(): PyNode | null {
    if (this.invalid) this.invalidKwarg();
    return this.keywordArgument() ?? this.alt(() => {
      const t = this.op("**");
      const e = t && this.expression();
      return e ? this.node("keyword", t!, [e]) : null;
    });
  }

  protected keywordArgument(): PyNode | null {
    return this.alt(() => {
      const n = this.name();
      if (!n || !this.op("=")) return null;
      const e = this.expression();
      return e ? this.node("keyword", n, [e], { id: n.value }) : null;
    });
  }

  protected invalidKwarg(): void {
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

  protected invalidArguments(): void {
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
