// A port of runpod-flash 1.21.0's resolve_local_modules (stubs/local_modules.py):
// the transitive set of project files a module imports, walking each import in
// ast.walk order and each included file depth first, as the CLI does, so the
// same error is met first. Paths in messages are project-relative where the CLI
// prints absolute ones.
import { realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { loadModule, type ImportRef, type LoadedModule } from "./pythonModules";
import { isPrintable } from "./python/tokenizer";

/** Where an import statement (or a failure) is: real absolute file, 1-based line, column in UTF-16 units. */
export interface Site {
  file: string;
  line: number;
  col: number;
}

/** LocalModuleResolutionError, with the places involved. */
export class LocalModuleResolutionError extends Error {
  constructor(message: string, readonly sites: Site[]) {
    super(message);
  }
}

/** A UnicodeDecodeError escaping read_text() of an imported file. */
export class ModuleDecodeError extends Error {
  constructor(message: string, readonly sites: Site[]) {
    super(message);
  }
}

/** File-system look-ups, cached for one validation run. */
export class ResolveContext {
  private loads = new Map<string, Promise<LoadedModule>>();
  private files = new Map<string, Promise<boolean>>();
  private reals = new Map<string, Promise<string>>();

  constructor(readonly root: string, readonly stdlib: ReadonlySet<string>) {}

  load(abs: string): Promise<LoadedModule> {
    return cached(this.loads, abs, () => loadModule(abs));
  }

  // The look-ups below are synchronous on purpose: a check makes several per shipped
  // file, each a few microseconds, and a trip through the thread pool costs ten times that.

  /** Path.is_file(): follows symlinks, false on any error. */
  isFile(abs: string): Promise<boolean> {
    return cached(this.files, abs, () => {
      try {
        return Promise.resolve(statSync(abs, { throwIfNoEntry: false })?.isFile() ?? false);
      } catch {
        return Promise.resolve(false);
      }
    });
  }

  /** Path.resolve() of an existing path. */
  realpath(abs: string): Promise<string> {
    return cached(this.reals, abs, () => {
      try {
        return Promise.resolve(realpathSync.native(abs)); // as fs.promises.realpath: the OS's realpath(3)
      } catch {
        return Promise.resolve(abs);
      }
    });
  }

  /** A project-relative path (for positions and the excluded-module listing, which the CLI prints relative too). */
  display(abs: string): string {
    return relative(this.root, abs).split(sep).join("/") || ".";
  }

  /** How resolve_local_modules names a path in its messages: str(Path), absolute in the project (not a build copy). */
  spoken(abs: string): string {
    return abs;
  }

  isInside(abs: string): boolean {
    const rel = relative(this.root, abs);
    return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
  }
}

function cached<T>(map: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let p = map.get(key);
  if (!p) map.set(key, (p = make()));
  return p;
}

export interface ResolvedModules {
  /** POSIX relative path → the real file and the import statement that brought it in. */
  files: Map<string, { abs: string; via: Site }>;
  warnings: { message: string; site: Site }[];
}

/** resolve_local_modules for an already parsed module's `imports` (importRefs order), the module living in `dir` (its real folder). */
export async function resolveLocalModules(ctx: ResolveContext, imports: readonly ImportRef[], dir: string, origin: string, originAbs: string): Promise<ResolvedModules> {
  const result: ResolvedModules = { files: new Map(), warnings: [] };
  const visited = new Set<string>();

  async function walkImports(refs: readonly ImportRef[], currentDir: string, org: string, orgAbs: string): Promise<void> {
    for (const ref of refs) {
      const site = { file: orgAbs, line: ref.line, col: ref.col };
      if (ref.kind === "dynamic-unresolvable") {
        result.warnings.push({
          message: `${org}:${ref.line}: unresolvable dynamic import (non-literal argument); ensure the module is on the worker image or bundle it explicitly`,
          site,
        });
      } else {
        await consider(ref.name, ref.level, ref.soft, currentDir, org, site);
      }
    }
  }

  async function consider(dotted: string, level: number, soft: boolean, currentDir: string, org: string, site: Site): Promise<void> {
    let path: string | null;
    if (level === 0) {
      if (!dotted || ctx.stdlib.has(dotted.split(".")[0])) return;
      path = await localPathFor(ctx, dotted, [currentDir, ctx.root]);
      if (path === null) return; // external: pip or the worker image
    } else {
      let base = currentDir;
      for (let i = 0; i < level - 1; i++) base = dirname(base);
      if (dotted) path = await localPathFor(ctx, dotted, [base]);
      else path = (await ctx.isFile(join(base, "__init__.py"))) ? join(base, "__init__.py") : null;
      if (path === null) {
        if (soft) return; // `from pkg import name`: a symbol, not a submodule
        throw new LocalModuleResolutionError(
          `${org}: relative import (level=${level}, module=${pyRepr(dotted)}) could not be resolved to a local file under ${ctx.spoken(base)}`,
          [site],
        );
      }
    }
    await include(path, site);
  }

  async function include(path: string, via: Site): Promise<void> {
    const real = await ctx.realpath(path);
    if (visited.has(real)) return;
    if (!ctx.isInside(real)) {
      throw new LocalModuleResolutionError(
        `Imported local module ${ctx.spoken(real)} lives outside the project root ${ctx.spoken(ctx.root)} and cannot be included; move it under the project or use \`flash deploy\`.`,
        [via],
      );
    }
    visited.add(real);
    result.files.set(ctx.display(real), { abs: real, via });
    // _include_ancestor_inits: package __init__ files first, each walked in turn.
    for (let parent = dirname(real); parent !== ctx.root && ctx.isInside(parent); parent = dirname(parent)) {
      const init = join(parent, "__init__.py");
      if ((await ctx.isFile(init)) && !visited.has(await ctx.realpath(init))) await include(init, via);
    }
    const mod = await ctx.load(real);
    const here = { file: real, line: 1, col: 0 };
    if (mod.kind === "decode") throw new ModuleDecodeError(mod.error, [{ ...here, line: mod.line }, via]);
    if (mod.kind === "unreadable") throw new ModuleDecodeError(mod.error, [here, via]);
    if (mod.kind === "syntax") {
      throw new LocalModuleResolutionError(
        `Could not parse ${ctx.spoken(real)} while resolving local imports: ${mod.error}`,
        [{ ...here, line: mod.line ?? 1 }, via],
      );
    }
    await walkImports(mod.imports, dirname(real), ctx.spoken(real), real);
  }

  await walkImports(imports, dir, origin, originAbs);
  return result;
}

/** local_path_for: the module file, then the package __init__, in each folder in turn. */
async function localPathFor(ctx: ResolveContext, dotted: string, dirs: string[]): Promise<string | null> {
  // Path(*dotted.split(".")): empty parts vanish. A name that leaves no path at
  // all ("." or "..") makes CPython's with_suffix() raise; we treat it as external.
  const parts: string[] = [];
  for (const part of dotted.split(".")) {
    if (part.startsWith("/")) parts.length = 0; // an absolute part restarts a pathlib path
    if (part) parts.push(part);
  }
  const rel = parts.join("/");
  if (!rel) return null;
  for (const base of dirs) {
    const moduleFile = isAbsolute(rel) ? `${rel}.py` : join(base, `${rel}.py`);
    if (await ctx.isFile(moduleFile)) return moduleFile;
    const packageInit = join(isAbsolute(rel) ? rel : join(base, rel), "__init__.py");
    if (await ctx.isFile(packageInit)) return packageInit;
  }
  return null;
}

/** Python's repr() of a str. */
export function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === "\\" || ch === quote) out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (isPrintable(ch)) out += ch;
    else if (cp <= 0xff) out += `\\x${cp.toString(16).padStart(2, "0")}`;
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, "0")}`;
    else out += `\\U${cp.toString(16).padStart(8, "0")}`;
  }
  return quote + out + quote;
}
