// Reading a .py file the way runpod-flash's build checks read it:
// `Path.read_text(encoding="utf-8")` then `ast.parse`, with each failure kept
// in the words CPython would use. Also the AST-only helpers built on that:
// defines_endpoint and the imports resolve_local_modules looks at.
import { promises as fs } from "node:fs";
import { parsePython, walk, type PyNode } from "./python/parsePython";
import { decodeUtf8, translateNewlines } from "./pythonText";

export type LoadedModule =
  | { kind: "ok"; tree: PyNode; text: string }
  | { kind: "decode"; error: string; line: number }
  | { kind: "syntax"; error: string; line: number | null }
  | { kind: "unreadable"; error: string };

/** Reads and parses one file; results are cached per absolute path by the caller. */
export async function loadModule(absPath: string): Promise<LoadedModule> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(absPath);
  } catch (e) {
    return { kind: "unreadable", error: (e as Error).message };
  }
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) {
    const line = 1 + bytes.subarray(0, decoded.offset).filter((b) => b === 0x0a).length;
    return { kind: "decode", error: decoded.error, line };
  }
  const text = translateNewlines(decoded.text);
  const parsed = parsePython(text);
  if (!parsed.ok) return { kind: "syntax", error: parsed.error.toString(), line: parsed.error.line };
  return { kind: "ok", tree: parsed.module, text };
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
