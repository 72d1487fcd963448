// A port of runpod-flash 1.21.0's validate_local_module_imports
// (cli/commands/build.py): flash build refuses when shipped code imports a
// project module the ignore rules exclude, or when an endpoint file's imports
// cannot be resolved (a broken relative import, a dependency with a syntax
// error or non-UTF-8 bytes). The refusal has the CLI's exact text, with
// project-relative paths where the CLI prints absolute ones, and the places an
// editor should mark.
//
// Not exact:
// - The CLI walks the shipped files in directory-listing order (os.listdir),
//   which decides which file a refusal names when several qualify; we walk them
//   in path order (the order collectProjectFiles returns).
// - Syntax errors are found as CPython 3.11 finds them (python/parsePython.ts);
//   their wording differs from CPython's in rare cases, the verdict does not.
// - `\N{NAME}` escapes are not checked against the Unicode name database.
import { promises as fs } from "node:fs";
import { join } from "node:path";
import type { Position } from "../probe/probeMessages";
import { LocalModuleResolutionError, ModuleDecodeError, ResolveContext, resolveLocalModules, type Site } from "./localModules";
import { comparePaths } from "./pathOrder";
import { pySuffix } from "./pythonText";
import { STDLIB_MODULE_NAMES_3_11 } from "./stdlibModules";

export interface LocalImportRefusal {
  /** What flash build prints (then exits 1), paths relative to the project. */
  message: string;
  /** Files to mark, parallel to `sites`. */
  files: string[];
  sites: (Position | null)[];
}

export interface LocalImportWarning {
  message: string;
  site: Position | null;
}

export interface LocalImportReport {
  refusal: LocalImportRefusal | null;
  /** What the CLI prints as warnings and goes on (non-endpoint files it skips, dynamic imports). */
  warnings: LocalImportWarning[];
}

export interface LocalImportOptions {
  /** sys.stdlib_module_names of the project's interpreter; CPython 3.11's by default. */
  stdlibModuleNames?: ReadonlySet<string>;
}

/** The refusal `flash build` would print for these shipped files, or null. */
export async function validateLocalImports(root: string, files: readonly string[], options: LocalImportOptions = {}): Promise<LocalImportRefusal | null> {
  return (await checkLocalImports(root, files, options)).refusal;
}

export async function checkLocalImports(root: string, files: readonly string[], options: LocalImportOptions = {}): Promise<LocalImportReport> {
  const ctx = new ResolveContext(await fs.realpath(root), options.stdlibModuleNames ?? STDLIB_MODULE_NAMES_3_11);
  const warnings: LocalImportWarning[] = [];
  const position = (s: Site | null | undefined) => (s ? toPosition(ctx, s) : Promise.resolve(null));
  const present = new Set(await Promise.all(files.map((f) => ctx.realpath(join(root, f)))));
  // excluded module → the shipped file whose closure reached it first, and the import that did
  const excluded = new Map<string, { importer: string; site: Site }>();

  for (const rel of files) {
    if (pySuffix(rel) !== ".py") continue;
    const abs = join(root, rel);
    const real = await ctx.realpath(abs);
    const mod = await ctx.load(abs);
    const fileSite = (line = 1): Site => ({ file: real, line, col: 0 });
    let resolved;
    let failure: { error: Error; sites: Site[] } | null = null;
    try {
      // The CLI names the file as str(py_file): absolute, in the project (it validates before copying).
      if (mod.kind === "ok") resolved = await resolveLocalModules(ctx, mod.imports, parentOf(real), abs, real);
      else if (mod.kind === "syntax") failure = { error: new LocalModuleResolutionError(`Could not parse ${abs} while resolving local imports: ${mod.error}`, []), sites: [fileSite(mod.line ?? 1)] };
      else failure = { error: new ModuleDecodeError(mod.error, []), sites: [fileSite(mod.kind === "decode" ? mod.line : 1)] };
    } catch (e) {
      if (!(e instanceof LocalModuleResolutionError || e instanceof ModuleDecodeError)) throw e;
      failure = { error: e, sites: e.sites };
    }
    if (failure) {
      const sites = await Promise.all(failure.sites.map(position));
      if (mod.kind === "ok" && mod.definesEndpoint) {
        const message = failure.error instanceof LocalModuleResolutionError
          ? failure.error.message
          : `Cannot resolve local imports for endpoint file ${abs}: ${failure.error.message}`;
        return { refusal: { message, files: sites.map((s) => s!.file), sites }, warnings };
      }
      warnings.push({ message: `Skipping local-module resolution for ${abs}: ${failure.error.message}`, site: sites[0] });
      continue;
    }
    for (const w of resolved!.warnings) warnings.push({ message: w.message, site: await position(w.site) });
    for (const { abs: p } of resolved!.files.values()) {
      if (!present.has(p) && !excluded.has(p)) excluded.set(p, { importer: real, site: shippedSite(resolved!.files, present, p) });
    }
  }
  if (excluded.size === 0) return { refusal: null, warnings };

  const entries = [...excluded.entries()].map(([p, e]) => ({ module: ctx.display(p), importer: ctx.display(e.importer), site: e.site }));
  entries.sort((a, b) => comparePaths(a.module, b.module));
  const listing = entries.map((e) => `  ${e.module} (imported by ${e.importer})`).join("\n");
  const message = "Shipped code imports local modules that the build ignore rules "
    + "(.gitignore or built-in defaults) exclude:\n"
    + `${listing}\n\n`
    + "Shipping them would silently override a deliberate exclusion, and "
    + "omitting them would break the worker with ModuleNotFoundError. Remove "
    + "the matching ignore pattern or stop importing these modules from "
    + "shipped code.";
  const sites = await Promise.all(entries.map((e) => position(e.site)));
  return { refusal: { message, files: sites.map((s, i) => s?.file ?? entries[i].importer), sites }, warnings };
}

/** The import to mark for an excluded module: the nearest one, up its chain, written in a shipped file. */
function shippedSite(files: Map<string, { abs: string; via: Site }>, present: Set<string>, module: string): Site {
  const byAbs = new Map([...files.values()].map((f) => [f.abs, f.via]));
  let via = byAbs.get(module)!;
  for (let hops = 0; !present.has(via.file) && byAbs.has(via.file) && hops < byAbs.size; hops++) via = byAbs.get(via.file)!;
  return via;
}

function parentOf(abs: string): string {
  return join(abs, "..");
}

/** A Site as the probe's Position: project-relative file, column in UTF-8 bytes like ast's col_offset. */
async function toPosition(ctx: ResolveContext, s: Site): Promise<Position> {
  const mod = await ctx.load(s.file);
  const lineText = mod.kind === "ok" ? mod.text.split("\n")[s.line - 1] ?? "" : "";
  return { file: ctx.display(s.file), line: s.line, col: Buffer.byteLength(lineText.slice(0, s.col), "utf8") };
}
