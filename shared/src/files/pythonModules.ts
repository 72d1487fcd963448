// Reading a .py file the way runpod-flash's build checks read it:
// `Path.read_text(encoding="utf-8")` then `ast.parse`, with each failure kept
// in the words CPython would use. Also the AST-only helpers built on that:
// defines_endpoint and the imports resolve_local_modules looks at.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { parsePython, walk, type PyNode } from "./python/parsePython";
import { decodeUtf8, translateNewlines } from "./pythonText";

export type LoadedModule =
  | { kind: "ok"; imports: ImportRef[]; definesEndpoint: boolean; text: string }
  | { kind: "decode"; error: string; line: number }
  | { kind: "syntax"; error: string; line: number | null }
  | { kind: "unreadable"; error: string };

/**
 * Parses of unchanged files, reused across runs: the server's Build manifest checks
 * every shipped file's imports each time, and most have not changed since. Keyed by
 * path and exact bytes; the trees are never mutated. Bounded by source size.
 */
const parses = new Map<string, { digest: string; size: number; result: LoadedModule }>();
let parsedBytes = 0;
const PARSE_CACHE_BYTES = 8 * 1024 * 1024;

/** Reads and parses one file (the caller caches per path within a run; unchanged bytes reuse an earlier parse). */
export async function loadModule(absPath: string): Promise<LoadedModule> {
  let bytes: Buffer;
  try {
    // Synchronous: one call instead of four trips through the thread pool (open, stat,
    // read, close) for a file of a few kilobytes; a check reads every shipped file.
    bytes = readFileSync(absPath);
  } catch (e) {
    return { kind: "unreadable", error: (e as Error).message };
  }
  const digest = createHash("sha256").update(bytes).digest("base64");
  const hit = parses.get(absPath);
  if (hit?.digest === digest) {
    parses.delete(absPath); // most recently used last
    parses.set(absPath, hit);
    return hit.result;
  }
  const result = parseModule(bytes);
  if (hit) {
    parses.delete(absPath);
    parsedBytes -= hit.size;
  }
  if (bytes.length <= PARSE_CACHE_BYTES / 4) {
    parses.set(absPath, { digest, size: bytes.length, result });
    parsedBytes += bytes.length;
    for (const [key, entry] of parses) {
      if (parsedBytes <= PARSE_CACHE_BYTES) break;
      parses.delete(key);
      parsedBytes -= entry.size;
    }
  }
  return result;
}

function parseModule(bytes: Buffer): LoadedModule {
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) {
    const line = 1 + bytes.subarray(0, decoded.offset).filter((b) => b === 0x0a).length;
    return { kind: "decode", error: decoded.error, line };
  }
  const text = translateNewlines(decoded.text);
  const parsed = parsePython(text);
  if (!parsed.ok) return { kind: "syntax", error: parsed.error.toString(), line: parsed.error.line };
  // Only what the checks read is kept: the tree itself is many times the source's size.
  return { kind: "ok", imports: importRefs(parsed.module), definesEndpoint: definesEndpoint(parsed.module), text };
}

/** Decorator names that make a function or class an endpoint (scanner.ENDPOINT_DECORATOR_NAMES). */
export const ENDPOINT_DECORATOR_NAMES: ReadonlySet<string> = new Set(["remote", "Endpoint"]);

/**
 * defines_endpoint: a def/class anywhere in the file decorated with `@remote`,
 * `@remote(...)`, `@Endpoint(...)` or an attribute form such as `@rf.Endpoint`.
 */
export function definesEndpoint(tree: PyNode): boolean {
  for (const node of walk(tree)) {
    for (const d of node.decorators ?? []) {
      const target = d.t === "Call" ? d.kids[0] : d;
      if ((target.t === "Attribute" || target.t === "Name") && ENDPOINT_DECORATOR_NAMES.has(target.id!)) return true;
    }
  }
  return false;
}

/** One module reference resolve_local_modules considers, in ast.walk order. */
export type ImportRef =
  | { kind: "import"; name: string; level: number; soft: boolean; line: number; col: number }
  | { kind: "dynamic-unresolvable"; line: number; col: number };

/** _walk's loop: Import, ImportFrom and importlib.import_module / __import__ calls. */
export function importRefs(tree: PyNode): ImportRef[] {
  const refs: ImportRef[] = [];
  for (const node of walk(tree)) {
    const at = { line: node.line, col: node.col };
    if (node.t === "Import") {
      for (const a of node.names!) refs.push({ kind: "import", name: a.name, level: 0, soft: false, ...at });
    } else if (node.t === "ImportFrom") {
      const level = node.level!;
      const names = node.names!.map((a) => a.name).filter((n) => n !== "*");
      if (level > 0 && node.module === null) {
        for (const n of names.length ? names : [""]) refs.push({ kind: "import", name: n, level, soft: false, ...at });
      } else {
        const module = node.module ?? "";
        refs.push({ kind: "import", name: module, level, soft: false, ...at });
        for (const n of names) refs.push({ kind: "import", name: module ? `${module}.${n}` : n, level, soft: true, ...at });
      }
    } else if (node.t === "Call") {
      const func = node.kids[0];
      const dynamic = (func.t === "Attribute" && func.id === "import_module") || (func.t === "Name" && func.id === "__import__");
      if (!dynamic) continue;
      const first = node.args?.[0];
      if (first && first.t === "Constant" && first.constant === "str") {
        refs.push({ kind: "import", name: first.str!, level: 0, soft: false, ...at });
      } else {
        refs.push({ kind: "dynamic-unresolvable", ...at });
      }
    }
  }
  return refs;
}
