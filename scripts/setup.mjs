// Installs what the demo and the tests need, once: npm packages and a Python
// virtual environment (.tools/venv, ignored by git) with the reference runpod-flash.
// Uses Node built-ins only, so it can run before `npm install`.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync, mkdirSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const FLASH_REQUIREMENT = "runpod-flash==1.21.0";
const venv = join(root, ".tools", "venv");
const isWindows = process.platform === "win32";
const venvPython = isWindows ? join(venv, "Scripts", "python.exe") : join(venv, "bin", "python");
const stamp = join(root, ".tools", "venv.stamp");

function run(cmd, args, what) {
  process.stderr.write(`setup: ${what}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"], shell: isWindows });
  if (r.status !== 0) {
    process.stderr.write(`setup: failed: ${cmd} ${args.join(" ")} (exit ${r.status ?? r.signal})\n`);
    process.exit(1);
  }
}

function npmPackagesReady() {
  const marker = join(root, "node_modules", ".package-lock.json");
  if (!existsSync(marker)) return false;
  return statSync(marker).mtimeMs >= statSync(join(root, "package-lock.json")).mtimeMs;
}

function findPython() {
  const candidates = [process.env.FLASH_SETUP_PYTHON, "python3.12", "python3.11", "python3.13", "python3.10", "python3", "python"].filter(Boolean);
  for (const c of candidates) {
    const r = spawnSync(c, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], { encoding: "utf8" });
    if (r.status === 0 && /^3\.1[0-3]$/.test(r.stdout.trim())) return c;
  }
  process.stderr.write("setup: no Python 3.10-3.13 found on PATH (set FLASH_SETUP_PYTHON to one)\n");
  process.exit(1);
}

if (!npmPackagesReady()) run("npm", ["ci", "--no-audit", "--no-fund"], "installing npm packages");

const wanted = `${FLASH_REQUIREMENT}\n`;
if (!existsSync(venvPython) || !existsSync(stamp) || readFileSync(stamp, "utf8") !== wanted) {
  mkdirSync(join(root, ".tools"), { recursive: true });
  if (!existsSync(venvPython)) run(findPython(), ["-m", "venv", venv], `creating ${venv}`);
  run(venvPython, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", FLASH_REQUIREMENT], `installing ${FLASH_REQUIREMENT} into it`);
  writeFileSync(stamp, wanted);
}
