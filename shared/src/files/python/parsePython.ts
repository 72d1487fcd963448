// `ast.parse(source)` of CPython 3.11 without Python: either a light AST or the
// SyntaxError it would raise, with the same message and line where we can.
//
// How CPython picks the error (Parser/pegen.c, pegen_errors.c), reproduced here:
// a first pass with the plain grammar; if it fails, a second pass with the
// invalid_* rules for a specific message; failing that, "invalid syntax" at the
// furthest token the first pass fetched (or "unexpected indent" if that token
// is an INDENT). A tokenizer error wins if the parser fetched its token; if not,
// the rest of the file is tokenized and an error that the tokenizer raises
// eagerly (an unterminated string, an invalid character, ...) replaces the
// parser's, and an unclosed bracket opened before the parser's error line does too.
import { PySyntaxError, TokenizerFailure, type PyNode } from "./parserCore";
import { StatementParser } from "./tryAndMatch";
import { concatenateStrings, type StringHost } from "./stringLiterals";
import { tokenize, type Token, type TokenizerError } from "./tokenizer";

export { PySyntaxError, type PyNode } from "./parserCore";

class PythonParser extends StatementParser implements StringHost {
  strings(): PyNode | null {
    return this.memo("strings", () => {
      const run: Token[] = [];
      while (this.isType("STRING")) run.push(this.toks[this.pos++]);
      return run.length ? concatenateStrings(this, run) : null;
    });
  }

  fstringExpression(text: string, line: number): PyNode {
    const toks = tokenize(`(${text})`).map((t) => ({ ...t, line: t.line + line - 1, endLine: t.endLine + line - 1 }));
    for (const t of toks) if (t.error) t.error = { ...t.error, line: t.error.line + line - 1, open: t.error.open && { ...t.error.open, line: t.error.open.line + line - 1 } };
    const sub = new PythonParser(toks);
    sub.fstring = true;
    return run(sub, () => sub.starExpressions());
  }
}

export type ParseResult = { ok: true; module: PyNode } | { ok: false; error: PySyntaxError };

export function parsePython(source: string): ParseResult {
  if (source.includes("\0")) return { ok: false, error: new PySyntaxError("source code string cannot contain null bytes", null) };
  const p = new PythonParser(tokenize(source));
  try {
    return { ok: true, module: run(p, () => p.file()) };
  } catch (e) {
    if (e instanceof PySyntaxError) return { ok: false, error: e };
    throw e;
  }
}

/** _PyPegen_run_parser: the node, or a thrown PySyntaxError. */
function run(p: PythonParser, rule: () => PyNode | null): PyNode {
  try {
    p.startPass(false);
    const node = rule();
    if (node) return node;
    const last = p.lastFetched();
    p.startPass(true);
    rule();
    if (last.type === "INDENT" || last.type === "DEDENT") {
      // This one is final: CPython does not look further for tokenizer errors.
      const msg = `${p.fstring ? "f-string: " : ""}unexpected ${last.type === "INDENT" ? "indent" : "unindent"}`;
      throw new FinalError(new PySyntaxError(msg, last.line, "IndentationError"));
    }
    return p.raise("invalid syntax", last.line);
  } catch (e) {
    if (e instanceof FinalError) throw e.error;
    if (e instanceof TokenizerFailure) throw fromTokenizer(e.error, p.fstring);
    if (e instanceof PySyntaxError) throw laterTokenizerError(p, e);
    throw e;
  }
}

class FinalError extends Error {
  constructor(readonly error: PySyntaxError) {
    super(error.msg);
  }
}

function fromTokenizer(error: TokenizerError, fstring: boolean): PySyntaxError {
  // Eager errors are raised by the tokenizer itself, without the parser's "f-string: " prefix.
  const msg = fstring && !error.eager ? `f-string: ${error.msg}` : error.msg;
  return new PySyntaxError(msg, error.line, error.kind);
}

/** _PyPegen_tokenize_full_source_to_check_for_errors. */
function laterTokenizerError(p: PythonParser, err: PySyntaxError): PySyntaxError {
  const last = p.toks[p.toks.length - 1];
  if (last.type !== "ERROR" || p.fill >= p.toks.length) return err;
  const error = last.error!;
  if (error.eager) return fromTokenizer(error, p.fstring);
  // CPython compares with the line of the last token fetched, not of the error.
  if (error.open && p.lastFetched().line > error.open.line) {
    return new PySyntaxError(`${p.fstring ? "f-string: " : ""}'${error.open.ch}' was never closed`, error.open.line);
  }
  return err;
}

/** ast.walk: breadth first, children in field order. */
export function* walk(root: PyNode): Generator<PyNode> {
  const queue = [root];
  for (let i = 0; i < queue.length; i++) {
    queue.push(...queue[i].kids);
    yield queue[i];
  }
}
