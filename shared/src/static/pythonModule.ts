// The module-level outline of one Python file, read without running it: imports,
// `name = Call(...)` assignments and decorated definitions, with their bodies' tokens.
import { logicalLines, type LogicalLine, type Token } from "./pythonTokens";

/** The literal shapes a decorator argument can take; anything else is "other". */
export type Expr =
  | { t: "str"; v: string }
  | { t: "num"; v: string }
  | { t: "bool"; v: boolean }
  | { t: "name"; v: string; line: number; col: number }
  | { t: "seq"; items: Expr[] }
  | { t: "call"; callee: string; args: Expr[]; kwargs: Map<string, Expr>; line: number; col: number }
  | { t: "other" };

export interface Assignment {
  name: string;
  value: Expr;
  line: number;
  col: number;
}

export interface Definition {
  name: string;
  kind: "function" | "class";
  isAsync: boolean;
  line: number;
  col: number;
  /** Decorator expressions, top first; `line` and `at` are where the "@" is. */
  decorators: (Expr & { line: number; at: number })[];
  params: string[];
  docstring: string | null;
  /** The logical lines of the body (indented). */
  body: LogicalLine[];
}

export interface PythonModule {
  file: string;
  /** Dotted module path ("workers.gpu_worker"). */
  module: string;
  /** local name → imported module and attribute (`from m import a as b`). */
  fromImports: Map<string, { module: string; name: string }>;
  /** local dotted name → module (`import a.b as c`, `import a.b`). */
  moduleImports: Map<string, string>;
  assignments: Map<string, Assignment>;
  definitions: Definition[];
}

export function moduleNameOf(file: string): string {
  return file.replace(/\.py$/, "").split("/").join(".");
}

export function parseModule(file: string, source: string): PythonModule {
  const mod: PythonModule = {
    file, module: moduleNameOf(file), fromImports: new Map(), moduleImports: new Map(), assignments: new Map(), definitions: [],
  };
  const lines = logicalLines(source);
  let decorators: Definition["decorators"] = [];
  for (let i = 0; i < lines.length; i++) {
    const { indent, tokens } = lines[i];
    if (indent !== 0) continue;
    const first = tokens[0];
    if (first.value === "@" && first.kind === "op") {
      decorators.push({ ...parseValue(tokens.slice(1)), line: first.line, at: first.col });
      continue;
    }
    const body = bodyOf(lines, i);
    const def = readDefinition(tokens, decorators, body);
    decorators = [];
    if (def) mod.definitions.push(def);
    else if (first.value === "from" || first.value === "import") readImport(mod, tokens);
    else if (first.kind === "name" && tokens[1]?.value === "=") {
      mod.assignments.set(first.value, { name: first.value, value: parseValue(tokens.slice(2)), line: first.line, col: first.col });
    }
  }
  return mod;
}

/** The indented logical lines after line `i`. */
function bodyOf(lines: LogicalLine[], i: number): LogicalLine[] {
  let j = i + 1;
  while (j < lines.length && lines[j].indent > 0) j++;
  return lines.slice(i + 1, j);
}

function readDefinition(tokens: Token[], decorators: Definition["decorators"], body: LogicalLine[]): Definition | null {
  const isAsync = tokens[0].value === "async";
  const head = isAsync ? tokens.slice(1) : tokens;
  if (head[0]?.kind !== "name" || (head[0].value !== "def" && head[0].value !== "class") || head[1]?.kind !== "name") return null;
  const kind = head[0].value === "def" ? "function" : "class";
  return {
    name: head[1].value,
    kind,
    isAsync,
    line: tokens[0].line,
    col: tokens[0].col,
    decorators,
    params: kind === "function" && head[2]?.value === "(" ? paramNames(head, 2) : [],
    docstring: docstringOf(body),
    body,
  };
}

/** Parameter names of `def f(...)` as inspect.signature lists them, less self, *args and **kwargs. */
export function paramNames(tokens: Token[], open: number): string[] {
  const names: string[] = [];
  for (const part of splitArgs(tokens, open).parts) {
    if (part[0]?.value === "*" || part[0]?.value === "**" || part[0]?.value === "/") continue;
    if (part[0]?.kind === "name" && part[0].value !== "self") names.push(part[0].value);
  }
  return names;
}

/** The first line of a body's leading string literal, as inspect.getdoc would give it. */
function docstringOf(body: LogicalLine[]): string | null {
  const first = body[0]?.tokens;
  if (!first || first.some((t) => t.kind !== "string")) return null;
  const text = first.map((t) => t.value).join("");
  const line = text.split("\n").map((l) => l.trim()).find((l) => l);
  return line ?? null;
}

function readImport(mod: PythonModule, tokens: Token[]): void {
  if (tokens[0].value === "import") {
    for (const part of splitTopLevel(tokens.slice(1))) {
      const asAt = part.findIndex((t) => t.value === "as");
      const dotted = (asAt < 0 ? part : part.slice(0, asAt)).map((t) => t.value).join("");
      const alias = asAt < 0 ? dotted : part[asAt + 1]?.value;
      if (alias) mod.moduleImports.set(alias, dotted);
    }
    return;
  }
  const importAt = tokens.findIndex((t) => t.value === "import");
  if (importAt < 0) return;
  const from = resolveRelative(mod.module, tokens.slice(1, importAt).map((t) => t.value).join(""));
  const names = tokens.slice(importAt + 1).filter((t) => t.value !== "(" && t.value !== ")");
  for (const part of splitTopLevel(names)) {
    const name = part[0]?.value;
    const alias = part[1]?.value === "as" ? part[2]?.value : name;
    if (!name || !alias || name === "*") continue;
    mod.fromImports.set(alias, { module: from, name });
    // `from pkg import mod` may name a module rather than an attribute.
    mod.moduleImports.set(alias, from ? `${from}.${name}` : name);
  }
}

/** `from ..x import` inside package a.b.c → "a.x". */
function resolveRelative(current: string, spec: string): string {
  const dots = spec.match(/^\.*/)![0].length;
  if (!dots) return spec;
  const pkg = current.split(".").slice(0, -dots);
  const rest = spec.slice(dots);
  return [...pkg, ...(rest ? [rest] : [])].join(".");
}

/** Splits tokens on commas outside brackets. */
function splitTopLevel(tokens: Token[]): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === "op" && "([{".includes(t.value)) depth++;
    if (t.kind === "op" && ")]}".includes(t.value)) depth--;
    if (depth === 0 && t.value === "," && t.kind === "op") parts.push([]);
    else parts[parts.length - 1].push(t);
  }
  return parts.filter((p) => p.length);
}

/** The comma-separated parts inside the bracket at `open`, and the index after its closer. */
function splitArgs(tokens: Token[], open: number): { parts: Token[][]; end: number } {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== "op") continue;
    if ("([{".includes(t.value)) depth++;
    else if (")]}".includes(t.value) && --depth === 0) return { parts: splitTopLevel(tokens.slice(open + 1, i)), end: i + 1 };
  }
  return { parts: splitTopLevel(tokens.slice(open + 1)), end: tokens.length };
}

/** Parses a whole token range as one literal-ish expression; "other" when it is more. */
export function parseValue(tokens: Token[]): Expr {
  const { expr, end } = parsePrimary(tokens, 0);
  return end === tokens.length ? expr : { t: "other" };
}

function parsePrimary(tokens: Token[], i: number): { expr: Expr; end: number } {
  const t = tokens[i];
  if (!t) return { expr: { t: "other" }, end: i };
  if (t.kind === "string") {
    let v = "";
    while (tokens[i]?.kind === "string") v += tokens[i++].value; // implicit concatenation
    return { expr: { t: "str", v }, end: i };
  }
  if (t.kind === "number") return { expr: { t: "num", v: t.value }, end: i + 1 };
  if (t.kind === "op" && (t.value === "(" || t.value === "[")) {
    const { parts, end } = splitArgs(tokens, i);
    return { expr: { t: "seq", items: parts.map(parseValue) }, end };
  }
  if (t.kind !== "name") return { expr: { t: "other" }, end: i };
  if (t.value === "True" || t.value === "False") return { expr: { t: "bool", v: t.value === "True" }, end: i + 1 };
  let dotted = t.value;
  let j = i + 1;
  while (tokens[j]?.value === "." && tokens[j + 1]?.kind === "name") {
    dotted += `.${tokens[j + 1].value}`;
    j += 2;
  }
  if (tokens[j]?.value !== "(") return { expr: { t: "name", v: dotted, line: t.line, col: t.col }, end: j };
  const { parts, end } = splitArgs(tokens, j);
  const args: Expr[] = [];
  const kwargs = new Map<string, Expr>();
  for (const part of parts) {
    if (part[0]?.kind === "name" && part[1]?.value === "=") kwargs.set(part[0].value, parseValue(part.slice(2)));
    else args.push(parseValue(part));
  }
  return { expr: { t: "call", callee: dotted, args, kwargs, line: t.line, col: t.col }, end };
}

/** Method names of a class body that inspect would call functions: public, not static/class methods or properties. */
export function classMethods(body: LogicalLine[]): { name: string; params: string[]; docstring: string | null }[] {
  if (!body.length) return [];
  const level = body[0].indent;
  const methods: { name: string; params: string[]; docstring: string | null }[] = [];
  let wrapped = false;
  body.forEach((l, i) => {
    if (l.indent !== level) return;
    const [a] = l.tokens;
    if (a.value === "@") {
      const deco = l.tokens.slice(1).map((t) => t.value).join("");
      if (/^(staticmethod|classmethod|property|functools\.cached_property|cached_property)$/.test(deco) || /\.(setter|getter|deleter)$/.test(deco)) wrapped = true;
      return;
    }
    const head = a.value === "async" ? l.tokens.slice(1) : l.tokens;
    if (head[0]?.value === "def" && head[1]?.kind === "name" && !head[1].value.startsWith("_") && !wrapped) {
      let j = i + 1;
      while (j < body.length && body[j].indent > level) j++;
      methods.push({ name: head[1].value, params: head[2]?.value === "(" ? paramNames(head, 2) : [], docstring: docstringOf(body.slice(i + 1, j)) });
    }
    wrapped = false;
  });
  return methods;
}
