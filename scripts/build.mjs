// Bundles the CLI, the language server and the VS Code client into dist/ with
// esbuild, and puts the Python probe beside them.
import { build } from "esbuild";
import { copyFileSync, existsSync, mkdirSync, chmodSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const watch = process.argv.includes("--watch");

const entries = [
  { in: "server/src/flashLs.ts", out: "cli" },
  { in: "server/src/main.ts", out: "server" },
  { in: "client/src/extension.ts", out: "client" },
].filter((e) => existsSync(join(root, e.in)));

const options = {
  absWorkingDir: root,
  entryPoints: entries,
  outdir: "dist",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: true,
  minify: !watch,
  external: ["vscode"],
  // import.meta.url is only a fallback for running from source (see defaultProbePath).
  logOverride: { "empty-import-meta": "silent" },
  logLevel: "warning",
};

mkdirSync(join(root, "dist", "probe"), { recursive: true });
copyFileSync(join(root, "shared/probe/flash_probe.py"), join(root, "dist/probe/flash_probe.py"));
if (watch) {
  const { context } = await import("esbuild");
  const ctx = await context(options);
  await ctx.watch();
  process.stderr.write("esbuild: watching\n");
} else {
  await build(options);
  chmodSync(join(root, "dist/cli.js"), 0o755);
}
