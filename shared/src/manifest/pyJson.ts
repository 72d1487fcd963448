// Writes exactly what Python's `json.dumps(obj, indent=2)` writes (ensure_ascii=True,
// the pure-Python encoder the CLI gets whenever indent is set), so our manifest is
// byte-identical to `flash build`'s. Dicts are ordered entry lists because a JS object
// would move integer-like keys such as "1" to the front.
import { pyFloatRepr } from "./pyRepr";

/** A Python dict: keys in insertion order (duplicates allowed, as json.dumps can emit them). */
export interface PyDict {
  kind: "dict";
  entries: [string, PyJson][];
}
/** A Python int, kept as a bigint so large values stay exact. */
export interface PyInt {
  kind: "int";
  value: bigint;
}
/** A Python float: written with float.__repr__ (1.0, 1e-07, NaN, Infinity). */
export interface PyFloat {
  kind: "float";
  value: number;
}
/** JSON text already produced by Python's json.dumps (any separators): re-indented, tokens untouched. */
export interface PyRaw {
  kind: "raw";
  json: string;
}
export type PyJson = null | boolean | string | PyInt | PyFloat | PyJson[] | PyDict | PyRaw;

export const pyDict = (entries: [string, PyJson][] = []): PyDict => ({ kind: "dict", entries });
export const pyInt = (value: bigint | number): PyInt => ({ kind: "int", value: BigInt(value) });
export const pyFloat = (value: number): PyFloat => ({ kind: "float", value });
export const pyRaw = (json: string): PyRaw => ({ kind: "raw", json });

/** `d[key] = value`: replaces in place (keeping the key's position) or appends, like a Python dict. */
export function pySet(dict: PyDict, key: string, value: PyJson): void {
  const at = dict.entries.findIndex(([k]) => k === key);
  if (at >= 0) dict.entries[at] = [key, value];
  else dict.entries.push([key, value]);
}

/** `d.pop(key, None)`. */
export function pyPop(dict: PyDict, key: string): PyJson | undefined {
  const at = dict.entries.findIndex(([k]) => k === key);
  return at >= 0 ? dict.entries.splice(at, 1)[0][1] : undefined;
}

/** `json.dumps(value, indent=2)`, without the trailing newline (the CLI writes none). */
export function pyJsonDumps(value: PyJson, indent = 2): string {
  const out: string[] = [];
  layout(toTree(value), 0, indent, out);
  return out.join("");
}

/** Python's py_encode_basestring_ascii: every UTF-16 unit outside printable ASCII becomes
 * \uXXXX (lowercase hex), so astral characters come out as surrogate pairs. */
export function pyEncodeString(s: string): string {
  if (PLAIN_ASCII.test(s)) return '"' + s + '"'; // nothing to escape: most keys and values
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += "\\\\";
    else if (c >= 0x20 && c < 0x7f) out += s[i];
    else out += SHORT_ESCAPES[c] ?? "\\u" + c.toString(16).padStart(4, "0");
  }
  return out + '"';
}

const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const SHORT_ESCAPES: Record<number, string> = { 0x08: "\\b", 0x09: "\\t", 0x0a: "\\n", 0x0c: "\\f", 0x0d: "\\r" };

/** Top-level entries of a raw JSON object: decoded keys, each value as its own raw text. */
export function rawObjectEntries(json: string): [string, PyRaw][] {
  const tree = parseRaw(json);
  if (tree.t !== "dict") throw new Error("expected a JSON object");
  return tree.entries.map(([key, value]) => [JSON.parse(key) as string, pyRaw(json.slice(value.start, value.end))]);
}

/** The value of a raw scalar token; Python's NaN/Infinity spellings included. */
export function rawScalar(json: string): string | number | boolean | null | undefined {
  const text = json.trim();
  if (text === "NaN") return NaN;
  if (text === "Infinity") return Infinity;
  if (text === "-Infinity") return -Infinity;
  if (text.startsWith("[") || text.startsWith("{")) return undefined;
  return JSON.parse(text) as string | number | boolean | null;
}

// ---- layout: one tree shape for our values and re-parsed raw text alike ----

type Tree =
  | { t: "leaf"; text: string; start: number; end: number }
  | { t: "list"; items: Tree[]; start: number; end: number }
  | { t: "dict"; entries: [string, Tree][]; start: number; end: number };

function toTree(v: PyJson): Tree {
  if (v === null) return leaf("null");
  if (typeof v === "boolean") return leaf(v ? "true" : "false");
  if (typeof v === "string") return leaf(pyEncodeString(v));
  if (Array.isArray(v)) return { t: "list", items: v.map(toTree), start: 0, end: 0 };
  switch (v.kind) {
    case "int":
      return leaf(v.value.toString());
    case "float":
      return leaf(pyFloatRepr(v.value));
    case "raw":
      return parseRaw(v.json);
    case "dict":
      return { t: "dict", entries: v.entries.map(([k, x]) => [pyEncodeString(k), toTree(x)]), start: 0, end: 0 };
  }
}

function leaf(text: string): Tree {
  return { t: "leaf", text, start: 0, end: 0 };
}

/** Python's _iterencode_list/_iterencode_dict with item separator "," and key separator ": ";
 * chunks go to one array (as iterencode yields them) so large manifests are not copied per level. */
function layout(tree: Tree, level: number, indent: number, out: string[]): void {
  if (tree.t === "leaf") {
    out.push(tree.text);
    return;
  }
  const [open, close] = tree.t === "list" ? ["[", "]"] : ["{", "}"];
  const count = tree.t === "list" ? tree.items.length : tree.entries.length;
  if (count === 0) {
    out.push(open + close);
    return;
  }
  const inner = "\n" + " ".repeat(indent * (level + 1));
  out.push(open);
  for (let i = 0; i < count; i++) {
    out.push(i === 0 ? inner : "," + inner);
    if (tree.t === "list") layout(tree.items[i], level + 1, indent, out);
    else {
      out.push(tree.entries[i][0], ": ");
      layout(tree.entries[i][1], level + 1, indent, out);
    }
  }
  out.push("\n" + " ".repeat(indent * level) + close);
}

// ---- raw text: a tokenizer that keeps every scalar token's exact spelling ----

const BARE_END = new Set([" ", "\t", "\n", "\r", ",", ":", "]", "}"].map((c) => c.charCodeAt(0)));
/** Every non-string scalar Python's encoder can write. */
const BARE_TOKEN = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null|NaN|-?Infinity)$/;

function parseRaw(json: string): Tree {
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(`malformed raw JSON at ${pos}: ${what}`);
  };
  const skip = () => {
    for (let c = json.charCodeAt(pos); c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d; c = json.charCodeAt(++pos));
  };
  const expect = (ch: string) => {
    skip();
    if (json[pos] !== ch) fail(`expected ${ch}`);
    pos++;
  };
  const stringToken = (): string => {
    const start = pos++;
    while (pos < json.length && json[pos] !== '"') pos += json[pos] === "\\" ? 2 : 1;
    if (pos >= json.length) fail("unterminated string");
    return json.slice(start, ++pos);
  };
  const value = (): Tree => {
    skip();
    const start = pos;
    const ch = json[pos];
    if (ch === "[" || ch === "{") {
      pos++;
      const close = ch === "[" ? "]" : "}";
      const items: Tree[] = [];
      const entries: [string, Tree][] = [];
      skip();
      if (json[pos] === close) pos++;
      else {
        for (;;) {
          if (ch === "[") items.push(value());
          else {
            skip();
            if (json[pos] !== '"') fail("expected a string key");
            const key = stringToken();
            expect(":");
            entries.push([key, value()]);
          }
          skip();
          if (json[pos] === ",") pos++;
          else if (json[pos] === close) {
            pos++;
            break;
          } else fail(`expected , or ${close}`);
        }
      }
      return ch === "[" ? { t: "list", items, start, end: pos } : { t: "dict", entries, start, end: pos };
    }
    if (ch === '"') return { t: "leaf", text: stringToken(), start, end: pos };
    while (pos < json.length && !BARE_END.has(json.charCodeAt(pos))) pos++;
    if (!BARE_TOKEN.test(json.slice(start, pos))) fail("expected a value");
    return { t: "leaf", text: json.slice(start, pos), start, end: pos };
  };
  const tree = value();
  skip();
  if (pos !== json.length) fail("trailing text");
  return tree;
}
