// Assignment and deletion targets (3.11 grammar: star_targets, single_target,
// del_targets and the t_primary chain they are built on).
import { CallParser } from "./callArguments";
import type { PyNode } from "./parserCore";

export abstract class TargetParser extends CallParser {
  /** star_target !',' | star_target (',' star_target)* [','] */
  starTargets(): PyNode | null {
    return this.alt(() => {
      const start = this.tok();
      const a = this.starTarget();
      if (!a) return null;
      if (!this.isOp(",")) return a;
      return this.node("Tuple", start, this.commaTail(a, () => this.starTarget()));
    });
  }

  starTarget(): PyNode | null {
    return this.memo("star_target", () => {
      const t = this.tok();
      if (this.op("*")) {
        if (this.isOp("*")) return null;
        const a = this.starTarget();
        return a ? this.node("Starred", t, [a]) : null;
      }
      return this.targetWithStarAtom();
    });
  }

  private targetWithStarAtom(): PyNode | null {
    return this.memo("target_with_star_atom", () => this.attributeOrSubscriptTarget() ?? this.starAtom());
  }

  /**
   * t_primary '.' NAME !t_lookahead | t_primary '[' slices ']' !t_lookahead, where
   * t_primary is an atom followed by trailers, each followed by another trailer.
   */
  protected attributeOrSubscriptTarget(): PyNode | null {
    return this.alt(() => {
      const start = this.tok();
      let a = this.atom();
      if (!a || !this.tLookahead()) return null;
      for (;;) {
        const next = this.trailer(a, start);
        if (!next) return null;
        if (this.tLookahead()) {
          a = next;
          continue;
        }
        return next.t === "Attribute" || next.t === "Subscript" ? next : null;
      }
    });
  }

  private tLookahead(): boolean {
    return this.isOp("(") || this.isOp("[") || this.isOp(".");
  }

  private starAtom(): PyNode | null {
    const t = this.tok();
    const n = this.name();
    if (n) return this.node("Name", n, [], { id: n.value.normalize("NFKC") });
    return this.alt(() => {
      if (!this.op("(")) return null;
      const inner = this.alt(() => {
        const a = this.targetWithStarAtom();
        return a && this.op(")") ? { ...a, parenthesized: true } : null;
      });
      if (inner) return inner;
      const seq = this.alt(() => {
        const a = this.starTarget();
        if (!a || !this.isOp(",")) return null;
        return this.commaTail(a, () => this.starTarget());
      }) ?? [];
      return this.op(")") ? this.node("Tuple", t, seq, { parenthesized: true }) : null;
    }) ?? this.alt(() => {
      if (!this.op("[")) return null;
      const first = this.starTarget();
      const seq = first ? this.commaTail(first, () => this.starTarget()) : [];
      return this.op("]") ? this.node("List", t, seq) : null;
    });
  }

  /** single_subscript_attribute_target | NAME | '(' single_target ')' */
  singleTarget(): PyNode | null {
    const a = this.attributeOrSubscriptTarget();
    if (a) return a;
    const n = this.name();
    if (n) return this.node("Name", n, [], { id: n.value.normalize("NFKC") });
    return this.alt(() => {
      if (!this.op("(")) return null;
      const inner = this.singleTarget();
      return inner && this.op(")") ? { ...inner, parenthesized: true } : null;
    });
  }

  /** ','.del_target+ [','] */
  delTargets(): PyNode[] | null {
    const first = this.delTarget();
    return first ? this.commaTail(first, () => this.delTarget()) : null;
  }

  private delTarget(): PyNode | null {
    return this.memo("del_target", () => this.attributeOrSubscriptTarget() ?? this.delTAtom());
  }

  private delTAtom(): PyNode | null {
    const t = this.tok();
    const n = this.name();
    if (n) return this.node("Name", n, [], { id: n.value });
    return this.alt(() => {
      if (!this.op("(")) return null;
      const inner = this.alt(() => {
        const a = this.delTarget();
        return a && this.op(")") ? a : null;
      });
      if (inner) return inner;
      const seq = this.alt(() => this.delTargets()) ?? [];
      return this.op(")") ? this.node("Tuple", t, seq) : null;
    }) ?? this.alt(() => {
      if (!this.op("[")) return null;
      const seq = this.alt(() => this.delTargets()) ?? [];
      return this.op("]") ? this.node("List", t, seq) : null;
    });
  }
}
