// `npm run demo`: scans the bundled example project with the CLI, then builds its
// manifest, using the Python environment that `npm run setup` made.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const python = join(root, ".tools", "venv", process.platform === "win32" ? "Scripts/python.exe" : "bin/python");
const example = join(root, "examples", "hello-flash");

function step(title, args) {
  process.stdout.write(`\n$ flash-ls ${args.join(" ")}\n`);
  const r = spawnSync(process.execPath, [join(root, "dist", "cli.js"), ...args, "--python", python], { stdio: "inherit" });
  if (r.status !== 0) {
    process.stderr.write(`demo: ${title} exited with ${r.status}\n`);
    process.exit(r.status ?? 1);
  }
}

step("scan", ["scan", "examples/hello-flash"]);
step("manifest", ["manifest", "examples/hello-flash"]);
process.stdout.write(`\nManifest written to ${join(example, ".flash", "flash_manifest.json")}\n`);
