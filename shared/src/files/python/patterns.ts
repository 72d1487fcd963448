// Match-statement patterns (3.11 grammar, "patterns" down to "closed_pattern").
// Patterns hold no calls or statements, so they add nothing to the tree we
// walk; these rules only decide whether the source parses. A matched pattern is
// returned as a placeholder node.
import type { PyNode } from "./parserCore";
import { ParamsParser } from "./params";

export abstract class PatternParser extends ParamsParser {
  patterns(): PyNode | null {
    return this.openSequencePattern() ?? this.pattern();
  }

  pattern(): PyNode | null {
    return this.asPattern() ?? this.orPattern();
  }

  private asPattern(): PyNode | null {
    const p = this.alt(() => {
      const a = this.orPattern();
      return a && this.kw("as") && this.captureTarget() ? a : null;
    });
    if (p || !this.invalid) return p;
    const start = this.pos;
    if (this.orPattern() && this.kw("as")) {
      const under = this.tok();
      if (under.type === "NAME" && under.value === "_") this.raise("cannot use '_' as a target", under.line);
      if (!this.isName()) {
        const e = this.expression();
        if (e) this.raise("invalid pattern target", e.line);
      }
    }
    this.pos = start;
    return null;
  }

  private orPattern(): PyNode | null {
    const first = this.closedPattern();
    if (!first) return null;
    for (;;) {
      const next = this.alt(() => (this.op("|") ? this.closedPattern() : null));
      if (!next) return first;
    }
  }

  private closedPattern(): PyNode | null {
    return this.memo("closed_pattern", () =>
      this.literalPattern() ?? this.captureTarget() ?? this.wildcard() ?? this.valuePattern() ?? this.groupPattern()
      ?? this.sequencePattern() ?? this.mappingPattern() ?? this.classPattern());
  }

  private placeholder(): PyNode {
    return this.node("pattern", this.toks[Math.max(0, this.pos - 1)], []);
  }

  private literalPattern(): PyNode | null {
    return this.alt(() => {
      const n = this.signedNumber();
      return n && !this.isOp("+") && !this.isOp("-") ? n : null;
    }) ?? this.complexNumber() ?? (this.isType("STRING") ? this.strings() : null)
      ?? (this.kw("None") || this.kw("True") || this.kw("False") ? this.placeholder() : null);
  }

  private signedNumber(): PyNode | null {
    return this.alt(() => {
      this.op("-");
      return this.type("NUMBER") ? this.placeholder() : null;
    });
  }

  private complexNumber(): PyNode | null {
    return this.alt(() => {
      this.op("-");
      const real = this.type("NUMBER");
      if (!real) return null;
      if (/[jJ]$/.test(real.value)) this.raise("real number required in complex literal", real.line);
      if (!this.op("+") && !this.op("-")) return null;
      const imag = this.type("NUMBER");
      if (!imag) return null;
      if (!/[jJ]$/.test(imag.value)) this.raise("imaginary number required in complex literal", imag.line);
      return this.placeholder();
    });
  }

  /** pattern_capture_target: !"_" NAME !('.' | '(' | '=') */
  private captureTarget(): PyNode | null {
    return this.alt(() => {
      if (this.isKw("_")) return null;
      const n = this.name();
      return n && !this.isOp(".") && !this.isOp("(") && !this.isOp("=") ? this.placeholder() : null;
    });
  }

  private wildcard(): PyNode | null {
    return this.kw("_") ? this.placeholder() : null;
  }

  private valuePattern(): PyNode | null {
    return this.alt(() => {
      const a = this.attr();
      return a && !this.isOp(".") && !this.isOp("(") && !this.isOp("=") ? a : null;
    });
  }

  /** name_or_attr '.' NAME: a dotted name with at least one dot. */
  private attr(): PyNode | null {
    return this.alt(() => {
      const n = this.nameOrAttr();
      return n && n.id === "dotted" ? n : null;
    });
  }

  private nameOrAttr(): PyNode | null {
    return this.alt(() => {
      if (!this.name()) return null;
      let dots = 0;
      while (this.alt(() => (this.op(".") ? this.name() : null))) dots++;
      return this.node("pattern", this.toks[this.pos - 1], [], { id: dots ? "dotted" : "name" });
    });
  }

  private groupPattern(): PyNode | null {
    return this.alt(() => (this.op("(") && this.pattern() && this.op(")") ? this.placeholder() : null));
  }

  private sequencePattern(): PyNode | null {
    return this.alt(() => {
      if (!this.op("[")) return null;
      this.maybeSequencePattern();
      return this.op("]") ? this.placeholder() : null;
    }) ?? this.alt(() => {
      if (!this.op("(")) return null;
      this.openSequencePattern();
      return this.op(")") ? this.placeholder() : null;
    });
  }

  private openSequencePattern(): PyNode | null {
    return this.alt(() => {
      if (!this.maybeStarPattern() || !this.op(",")) return null;
      this.maybeSequencePattern();
      return this.placeholder();
    });
  }

  private maybeSequencePattern(): PyNode | null {
    const items = this.gather(() => this.maybeStarPattern());
    if (!items) return null;
    this.op(",");
    return this.placeholder();
  }

  private maybeStarPattern(): PyNode | null {
    return this.memo("star_pattern", () => (this.op("*") ? this.captureTarget() ?? this.wildcard() : null)) ?? this.pattern();
  }

  private mappingPattern(): PyNode | null {
    return this.alt(() => {
      if (!this.op("{")) return null;
      if (this.op("}")) return this.placeholder();
      const items = this.gather(() => this.keyValuePattern());
      if (items && !this.alt(() => (this.op(",") && this.doubleStarPattern() ? this.placeholder() : null))) {
        this.op(",");
        return this.op("}") ? this.placeholder() : null;
      }
      if (!items && !this.doubleStarPattern()) return null;
      this.op(",");
      return this.op("}") ? this.placeholder() : null;
    });
  }

  private keyValuePattern(): PyNode | null {
    return this.alt(() => {
      const key = this.literalExpr() ?? this.attr();
      return key && this.op(":") && this.pattern() ? key : null;
    });
  }

  private literalExpr(): PyNode | null {
    return this.alt(() => {
      const n = this.signedNumber();
      return n && !this.isOp("+") && !this.isOp("-") ? n : null;
    }) ?? this.complexNumber() ?? (this.isType("STRING") ? this.strings() : null)
      ?? (this.kw("None") || this.kw("True") || this.kw("False") ? this.placeholder() : null);
  }

  private doubleStarPattern(): PyNode | null {
    return this.alt(() => (this.op("**") ? this.captureTarget() : null));
  }

  private classPattern(): PyNode | null {
    const c = this.alt(() => {
      if (!this.nameOrAttr() || !this.op("(")) return null;
      if (this.op(")")) return this.placeholder();
      const positional = this.gather(() => this.pattern());
      const keywords = positional
        ? this.alt(() => (this.op(",") ? this.gather(() => this.keywordPattern()) : null))
        : this.gather(() => this.keywordPattern());
      if (!positional && !keywords) return null;
      this.op(",");
      return this.op(")") ? this.placeholder() : null;
    });
    if (c || !this.invalid) return c;
    const start = this.pos;
    if (this.nameOrAttr() && this.op("(")) {
      this.alt(() => (this.gather(() => this.pattern()) && this.op(",") ? this.placeholder() : null));
      if (this.gather(() => this.keywordPattern()) && this.op(",")) {
        const first = this.tok();
        if (this.gather(() => this.pattern())) this.raise("positional patterns follow keyword patterns", first.line);
      }
    }
    this.pos = start;
    return null;
  }

  private keywordPattern(): PyNode | null {
    return this.alt(() => (this.name() && this.op("=") && this.pattern() ? this.placeholder() : null));
  }
}
