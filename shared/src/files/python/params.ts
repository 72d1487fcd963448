// Function and lambda parameter lists. The 3.11 grammar spells the allowed
// orders out rule by rule (slash_no_default, star_etc, kwds, ...); here the
// items are read one by one and those rules are then replayed over the item
// list, in their order, so the same lists are accepted and, in the second
// pass, the same invalid_parameters / invalid_star_etc / invalid_kwds message wins.
import type { PyNode } from "./parserCore";
import { TargetParser } from "./targets";
import type { Token } from "./tokenizer";

interface Item {
  kind: "P" | "S" | "ST" | "K"; // param, slash, *[name], **name
  tok: Token;
  name?: Token;
  annotation?: PyNode | null;
  starAnnotation?: boolean;
  default?: PyNode | null;
  hasDefault?: boolean;
  comma?: boolean;
}

type Problem = { msg: string; line?: number };

export abstract class ParamsParser extends TargetParser {
  lambdaParams(): PyNode | null {
    return this.parameters(":", false);
  }

  /** Parameters up to (not including) `end`; null when there are none or they do not parse. */
  parameters(end: ")" | ":", annotations: boolean): PyNode | null {
    return this.alt(() => {
      const start = this.tok();
      const items: Item[] = [];
      while (!this.isOp(end)) {
        if (this.invalid && this.isOp("(") && items.every((i) => i.kind === "P" && !i.hasDefault)) this.parenthesizedParams(end);
        const item = this.paramItem(annotations, end);
        if (!item) return null;
        items.push(item);
        if (this.op(",")) {
          item.comma = true;
          continue;
        }
        if (!this.isOp(end)) {
          if (this.invalid && item.kind === "P" && this.isOp("/") && this.isOp("*", 1)) {
            this.raise("expected comma between / and *", this.tok(1).line);
          }
          return null;
        }
      }
      if (items.length === 0) return null;
      if (this.invalid) {
        const problem = invalidParameters(items) ?? starEtcProblem(items, end);
        if (problem) this.raise(problem.msg, problem.line ?? this.lastFetched().line);
      }
      return accepts(items) ? this.argumentsNode(start, items) : null;
    });
  }

  /** invalid_parameters' "(a, b)" alternative. */
  private parenthesizedParams(end: string): void {
    const start = this.pos;
    const open = this.op("(");
    const names = this.gather(() => (this.name() ? this.node("$", this.tok(), []) : null));
    this.op(",");
    if (open && names && this.op(")")) {
      this.raise(end === ")" ? "Function parameters cannot be parenthesized" : "Lambda expression parameters cannot be parenthesized", open.line);
    }
    this.pos = start;
  }

  private paramItem(annotations: boolean, end: string): Item | null {
    return this.alt((): Item | null => {
      const t = this.tok();
      if (this.op("/")) return { kind: "S", tok: t };
      const kind = this.op("**") ? "K" : this.op("*") ? "ST" : "P";
      if (kind === "ST" && (this.isOp(",") || this.isOp(end))) return { kind, tok: t };
      const name = this.name();
      if (!name) return null;
      let annotation: PyNode | null = null;
      let starAnnotation = false;
      if (annotations && this.isOp(":")) {
        annotation = this.alt(() => {
          this.op(":");
          if (kind !== "ST") return this.expression();
          const star = this.isOp("*");
          const a = this.starExpression();
          starAnnotation = star && !!a;
          return a;
        });
        if (!annotation) return null;
      }
      const item: Item = { kind, tok: t, name, annotation, starAnnotation };
      if (this.isOp("=")) {
        if (this.invalid && (this.isOp(")", 1) || this.isOp(",", 1))) this.raise("expected default value expression", this.tok().line);
        const d = this.alt(() => (this.op("=") ? this.expression() : null));
        if (!d) return null;
        item.default = d;
        item.hasDefault = true;
      }
      return item;
    });
  }

  /** The `arguments` node, children in its _fields order. */
  private argumentsNode(start: Token, items: Item[]): PyNode {
    const arg = (i: Item) => this.node("arg", i.name!, [i.annotation], { id: i.name!.value });
    const slash = items.findIndex((i) => i.kind === "S");
    const starAt = items.findIndex((i) => i.kind === "ST");
    const before = items.filter((i, k) => i.kind === "P" && (starAt < 0 || k < starAt));
    const posonly = slash < 0 ? [] : before.filter((i) => items.indexOf(i) < slash);
    const positional = before.filter((i) => !posonly.includes(i));
    const kwonly = starAt < 0 ? [] : items.filter((i, k) => i.kind === "P" && k > starAt);
    const vararg = items.find((i) => i.kind === "ST" && i.name);
    const kwarg = items.find((i) => i.kind === "K");
    return this.node("arguments", start, [
      ...posonly.map(arg), ...positional.map(arg), vararg && arg(vararg), ...kwonly.map(arg),
      ...kwonly.map((i) => i.default), kwarg && arg(kwarg), ...before.map((i) => i.default),
    ]);
  }
}

// Small matchers over the item list, each returning the index after the match or -1.
const isP = (items: Item[], i: number, def?: boolean) => items[i]?.kind === "P" && (def === undefined || !!items[i].hasDefault === def);
const run = (items: Item[], i: number, def?: boolean) => {
  while (isP(items, i, def)) i++;
  return i;
};
const slashNoDefault = (items: Item[], i: number) => {
  const j = run(items, i, false);
  return j > i && items[j]?.kind === "S" ? j + 1 : -1;
};
const slashWithDefault = (items: Item[], i: number) => {
  const j = run(items, i, false);
  const k = run(items, j, true);
  return k > j && items[k]?.kind === "S" ? k + 1 : -1;
};
/** '*' (',' | param_no_default) */
const starThenPlain = (it: Item | undefined) => it?.kind === "ST" && (it.name ? !it.hasDefault && !it.starAnnotation : !!it.comma);

/** invalid_parameters, alternative by alternative. */
function invalidParameters(items: Item[]): Problem | null {
  const lead = run(items, 0, false);
  const helper = slashWithDefault(items, lead) >= 0 ? slashWithDefault(items, lead) : run(items, lead, true) > lead ? run(items, lead, true) : -1;
  if (helper >= 0 && isP(items, helper, false)) return { msg: "non-default argument follows default argument", line: items[helper].tok.line };
  if (items[0].kind === "S" && items[0].comma) return { msg: "at least one argument must precede /", line: items[0].tok.line };
  const slashed = slashNoDefault(items, 0) >= 0 ? slashNoDefault(items, 0) : slashWithDefault(items, 0);
  if (slashed >= 0) {
    const j = run(items, slashed);
    if (items[j]?.kind === "S") return { msg: "/ may appear only once", line: items[j].tok.line };
  }
  let j = run(items, Math.max(slashed, 0));
  if (starThenPlain(items[j])) {
    j = run(items, j + 1);
    if (items[j]?.kind === "S") return { msg: "/ must be ahead of *", line: items[j].tok.line };
  }
  return null;
}

/** Where `parameters` tries star_etc: after the positional prefix its alternatives accept. */
function prefixEnd(items: Item[]): number {
  const noDef = slashNoDefault(items, 0);
  if (noDef >= 0) return run(items, run(items, noDef, false), true);
  const withDef = slashWithDefault(items, 0);
  if (withDef >= 0) return run(items, withDef, true);
  return run(items, run(items, 0, false), true);
}

/** invalid_star_etc and invalid_kwds at the position star_etc is tried. */
function starEtcProblem(items: Item[], end: string): Problem | null {
  const k = prefixEnd(items);
  const st = items[k];
  if (st?.kind === "ST") {
    if (!st.name && (k === items.length - 1 || (st.comma && items[k + 1]?.kind === "K"))) {
      return { msg: "named arguments must follow bare *", line: end === ")" ? st.tok.line : undefined };
    }
    if (st.name && st.hasDefault) return { msg: "var-positional argument cannot have default value", line: st.tok.line };
    if (starThenPlain(st)) {
      const j = run(items, k + 1);
      if (starThenPlain(items[j])) return { msg: "* argument may appear only once", line: items[j].tok.line };
    }
    if (st.name && !st.hasDefault) return kwdsProblem(items, run(items, k + 1));
    if (!st.name && st.comma && isP(items, k + 1)) return kwdsProblem(items, run(items, k + 1));
    return null;
  }
  return kwdsProblem(items, k);
}

function kwdsProblem(items: Item[], m: number): Problem | null {
  const kw = items[m];
  if (kw?.kind !== "K") return null;
  if (kw.hasDefault) return { msg: "var-keyword argument cannot have default value", line: kw.tok.line };
  const next = items[m + 1];
  if (kw.comma && next) return { msg: "arguments cannot follow var-keyword argument", line: next.tok.line };
  return null;
}

/** The language the `parameters` rule accepts. */
function accepts(items: Item[]): boolean {
  const k = prefixEnd(items);
  if (k === items.length) return true;
  const st = items[k];
  let m = k;
  if (st.kind === "ST") {
    if (st.name) {
      if (st.hasDefault) return false;
      m = run(items, k + 1);
    } else {
      if (!st.comma || !isP(items, k + 1)) return false;
      m = run(items, k + 1);
    }
  }
  if (m === items.length) return true;
  const kw = items[m];
  return kw.kind === "K" && !kw.hasDefault && !kw.starAnnotation && m === items.length - 1;
}
