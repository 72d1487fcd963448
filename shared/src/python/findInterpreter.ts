// Which Python runs the probe: the user's own, chosen the way a Python user expects.
import { existsSync } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";

export type InterpreterSource = "--python" | "FLASH_PYTHON" | ".venv" | "PATH";

export interface Interpreter {
  path: string;
  source: InterpreterSource;
}

/** The virtual environment's interpreter inside `dir/.venv`, POSIX or Windows layout. */
export function venvInterpreter(dir: string): string | null {
  const candidates = [join(dir, ".venv", "bin", "python"), join(dir, ".venv", "Scripts", "python.exe")];
  return candidates.find((c) => existsSync(c)) ?? null;
}

function onPath(names: string[], env: NodeJS.ProcessEnv): string | null {
  const dirs = (env.PATH ?? env.Path ?? "").split(delimiter).filter(Boolean);
  const exts = process.platform === "win32" ? [".exe", ".cmd", ""] : [""];
  for (const name of names) {
    for (const d of dirs) {
      for (const ext of exts) {
        const candidate = join(d, name + ext);
        if (existsSync(candidate)) return candidate;
      }
    }
  }
  return null;
}

/** A path with a folder in it is relative to where the user typed it; a bare name is looked up on PATH. */
function asGiven(p: string): string {
  return /[\\/]/.test(p) && !isAbsolute(p) ? resolve(p) : p;
}

/** `--python`, else FLASH_PYTHON, else DIR/.venv, else python3/python on PATH. */
export function findInterpreter(dir: string, explicit?: string, env: NodeJS.ProcessEnv = process.env): Interpreter | null {
  if (explicit) return { path: asGiven(explicit), source: "--python" };
  if (env.FLASH_PYTHON) return { path: asGiven(env.FLASH_PYTHON), source: "FLASH_PYTHON" };
  const venv = venvInterpreter(dir);
  if (venv) return { path: venv, source: ".venv" };
  const found = onPath(["python3", "python"], env);
  return found ? { path: found, source: "PATH" } : null;
}
