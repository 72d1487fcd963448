// Installs what the end-to-end tests need, once, offline except for the Debian and npm
// registries: Debian packages (Neovim, Chromium, build tools), and playwright-core plus
// code-server 4.100.3 in test/e2e/.editor/ (ignored by git, kept out of the project's
// dependencies: code-server's node_modules is about 300 MB).
// Idempotent: it checks dpkg and a stamp file and skips what is already done.
// Uses Node built-ins only. See ../shared/recipes/vscode-e2e.md for why each trick exists.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const editorDir = join(root, "test", "e2e", ".editor");
const stampFile = join(editorDir, "installed.stamp");

const APT_PACKAGES = [
  "neovim", // the second LSP client (0.7 on Debian 12)
  "chromium", // the browser playwright drives (never `playwright install`)
  "fonts-liberation", // readable screenshots
  "libkrb5-dev", // code-server's `kerberos` module compiles against gssapi.h
  "build-essential", // node-gyp for kerberos and node-pty
  "pkg-config",
  "python3", // node-gyp
  "ripgrep", // fed to @vscode/ripgrep instead of its GitHub download
];

const NPM_PACKAGES = { "playwright-core": "1.65.1", "code-server": "4.100.3" };

// @vscode/ripgrep (pulled in by code-server) looks for this archive before downloading.
const RIPGREP_CACHE = "vscode-ripgrep-cache-1.15.11";
const RIPGREP_TARGET = { x64: "x86_64-unknown-linux-musl", arm64: "aarch64-unknown-linux-musl" }[process.arch];
const RIPGREP_ARCHIVE = `ripgrep-v13.0.0-10-${RIPGREP_TARGET}.tar.gz`;

const started = Date.now();

function log(message) {
  process.stderr.write(`e2e-setup: ${message}\n`);
}

function run(cmd, args, what, options = {}) {
  log(what);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: ["ignore", "inherit", "inherit"], ...options });
  if (r.status !== 0) {
    log(`failed: ${cmd} ${args.join(" ")} (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
  log(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

function missingAptPackages() {
  return APT_PACKAGES.filter((name) => {
    const r = spawnSync("dpkg-query", ["-W", "-f=${Status}", name], { encoding: "utf8" });
    return r.status !== 0 || !r.stdout.includes("install ok installed");
  });
}

function installAptPackages() {
  const missing = missingAptPackages();
  if (missing.length === 0) {
    log(`Debian packages present (${APT_PACKAGES.join(", ")})`);
    return;
  }
  if (process.getuid?.() !== 0) {
    log(`missing Debian packages: ${missing.join(" ")}`);
    log(`run as root, or first: sudo apt-get install -y ${missing.join(" ")}`);
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  run("apt-get", ["update", "-qq"], "apt-get update", { env });
  run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], `apt-get install ${missing.join(" ")}`, { env });
}

function editorInstalled(wanted) {
  return (
    existsSync(stampFile) &&
    readFileSync(stampFile, "utf8") === wanted &&
    existsSync(join(editorDir, "node_modules", ".bin", "code-server")) &&
    existsSync(join(editorDir, "node_modules", "playwright-core", "package.json"))
  );
}

function installEditor() {
  const wanted = `${JSON.stringify(NPM_PACKAGES)}\n`;
  if (editorInstalled(wanted)) {
    log(`code-server and playwright-core present in ${editorDir}`);
    return;
  }
  mkdirSync(editorDir, { recursive: true });
  rmSync(stampFile, { force: true });
  const manifest = { name: "flash-e2e-editor", private: true, description: "Written by scripts/e2e-setup.mjs", dependencies: NPM_PACKAGES };
  writeFileSync(join(editorDir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);

  // Trick 3: Debian's rg, packed where @vscode/ripgrep's postinstall looks first.
  // TMPDIR must be the same folder when npm runs the postinstall.
  if (!RIPGREP_TARGET) {
    log(`no ripgrep mapping for ${process.arch}`);
    process.exit(1);
  }
  const tmp = join(editorDir, "tmp");
  mkdirSync(join(tmp, RIPGREP_CACHE), { recursive: true });
  run("tar", ["czf", join(tmp, RIPGREP_CACHE, RIPGREP_ARCHIVE), "-C", "/usr/bin", "rg"], `packing /usr/bin/rg as ${RIPGREP_ARCHIVE}`);

  const env = {
    ...process.env,
    TMPDIR: tmp,
    npm_config_unsafe_perm: "true", // trick 1: code-server's install script refuses root otherwise
    npm_config_yes: "true", // trick 4: node-pty's postinstall runs `npx node-gyp`
    npm_config_nodedir: "/usr", // trick 5: the machine's Node headers, no download
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
  };
  const list = Object.entries(NPM_PACKAGES).map(([n, v]) => `${n}@${v}`).join(", ");
  run("npm", ["install", "--loglevel=error"], `npm install ${list} into ${editorDir} (about a minute)`, { cwd: editorDir, env });
  rmSync(tmp, { recursive: true, force: true });
  writeFileSync(stampFile, wanted);
}

installAptPackages();
installEditor();
log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
