// `npm run bench`: our scanner, server and manifest against the real CLI, measured
// in one run on this machine, on the bundled example and on a generated project
// of 200 modules with 100 endpoints. Prints medians, p95s and ratios.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync, spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { LspSession, uri } from "../test/protocol/lspHarness";
import { generateProject, MODULES, ENDPOINTS, CORE_IMPORTERS } from "./bench/generateProject";
import { cliScanMs, flashBuildMs } from "./bench/cliReference";
import { fmt, median, quantile, ratio } from "./bench/stats";

const ROOT = resolve(__dirname, "..");
const VENV_BIN = join(ROOT, ".tools", "venv", "bin");
const PYTHON = join(VENV_BIN, "python");
const SAVES = Number(process.env.FLASH_BENCH_SAVES ?? 30);
const BUILDS = Number(process.env.FLASH_BENCH_BUILDS ?? 9);

function rows(title: string, lines: [string, string, string?][]): void {
  process.stdout.write(`\n${title}\n`);
  for (const [what, value, note] of lines) process.stdout.write(`  ${what.padEnd(52)} ${value.padStart(10)}  ${note ?? ""}\n`);
}

/** Proportional set size: pages shared with another process (a forked child) count once in all. */
function pssMb(pid: number): number {
  const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
  return m ? Number(m[1]) / 1024 : 0;
}

function rssMb(pid: number): number {
  return Number(execFileSync("ps", ["-o", "rss=", "-p", String(pid)], { encoding: "utf8" }).trim()) / 1024;
}

/** didSave → the file's diagnostics published, toggling a syntax error so they change every time. */
async function saveLatencies(s: LspSession, file: string, root: string, waitAll: boolean): Promise<number[]> {
  const original = readFileSync(file, "utf8");
  const samples: number[] = [];
  for (let i = 0; i < SAVES; i++) {
    const broken = i % 2 === 0;
    const since = s.statuses.length;
    const started = performance.now();
    s.save(file, broken ? original + "\ndef broken(:\n" : original);
    if (waitAll) await s.ready(root, since);
    await s.waitFor(() => (s.diagnosticsOf(file).length > 0) === broken || undefined, 30_000, "diagnostics");
    samples.push(performance.now() - started);
    if (!waitAll) await s.ready(root, since);
  }
  writeFileSync(file, original);
  return samples;
}

async function benchProject(name: string, root: string, edits: { leaf: string; core?: string }): Promise<void> {
  const cliScan = cliScanMs(VENV_BIN, root);
  const cliBuild = flashBuildMs(VENV_BIN, root);
  rmSync(join(root, ".flash"), { recursive: true, force: true });

  let started = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, "dist", "cli.js"), "scan", root, "--python", PYTHON, "--json"], { encoding: "utf8", maxBuffer: 1 << 28 });
  const ourScan = performance.now() - started;
  if (r.status !== 0 && r.status !== 1) throw new Error(`flash-ls scan failed: ${r.stderr}`);

  started = performance.now();
  const s = await LspSession.start({ folders: [root], env: { FLASH_PYTHON: PYTHON } });
  await s.ready(root, 0, 120_000);
  const firstScan = performance.now() - started;
  // Warm: after its first scan the server spends a moment idle preloading the project's
  // packages and parsing its files; measure once that is done.
  await new Promise((r2) => setTimeout(r2, 2000));
  // Full rescans from the warm probe, for the incremental ratio.
  const fulls: number[] = [];
  for (let i = 0; i < 5; i++) {
    const since = s.statuses.length;
    const t = performance.now();
    await s.connection.sendRequest("flash/refresh", { folderUri: uri(root) });
    await s.ready(root, since);
    fulls.push(performance.now() - t);
  }
  const leaf = await saveLatencies(s, edits.leaf, root, false);
  const core = edits.core ? await saveLatencies(s, edits.core, root, true) : null;
  const builds: number[] = [];
  for (let i = 0; i < BUILDS; i++) {
    const t = performance.now();
    const res = (await s.connection.sendRequest("workspace/executeCommand", { command: "flash.buildManifest", arguments: [uri(root)] })) as { ok: boolean };
    if (!res.ok) throw new Error(`build manifest refused: ${JSON.stringify(res)}`);
    builds.push(performance.now() - t);
    if (process.env.FLASH_BENCH_DEBUG) process.stderr.write(`build ${builds.length}: ${builds[builds.length - 1].toFixed(1)} ms\n`);
  }
  // After the server's own collection (2 s after the last request), and at rest: V8
  // gives freed heap pages back once the process has been idle for 10–15 s.
  await new Promise((r2) => setTimeout(r2, 3000));
  const serverRssSoon = rssMb(s.child.pid!);
  await new Promise((r2) => setTimeout(r2, 17_000));
  const serverRss = rssMb(s.child.pid!);
  const warmPids = execFileSync("pgrep", ["-f", "flash_probe.py"], { encoding: "utf8" }).trim().split("\n").filter(Boolean).map(Number);
  // The warm interpreter and the child it keeps forked for the next scan.
  const probeMemory = warmPids.reduce((sum, pid) => sum + pssMb(pid), 0);
  await s.close();

  const full = median(fulls);
  rows(`${name}`, [
    ["CLI: fresh Python running RuntimeScanner (median of 3)", fmt(cliScan)],
    ["CLI: flash build, to its manifest (median of 3)", fmt(cliBuild)],
    ["flash-ls scan (cold process, CLI)", fmt(ourScan), ratio(ourScan, cliScan)],
    ["server: first full scan (start → ready)", fmt(firstScan), ratio(firstScan, cliScan)],
    ["server: full rescan, warm (median of 5)", fmt(full), ratio(full, cliScan)],
    [`save → diagnostics, edit with no dependents (median of ${SAVES})`, fmt(median(leaf)), ratio(median(leaf), cliBuild) + " than re-running flash build"],
    ["save → diagnostics, edit with no dependents (p95)", fmt(quantile(leaf, 0.95))],
    // The target is incremental ≤ 10 % of a full scan: against the full first
    // scan, and against a warm full rescan (which has no interpreter start or SDK import
    // to pay, so a save's fixed cost, fork and messages, weighs more against it).
    ["incremental (no dependents) / full first scan", `${((median(leaf) / firstScan) * 100).toFixed(1)} %`],
    ["incremental (no dependents) / warm full rescan", `${((median(leaf) / full) * 100).toFixed(1)} %`],
    ...(core
      ? ([
          [`save → all diagnostics, module ${CORE_IMPORTERS} others import (median)`, fmt(median(core)), ratio(median(core), cliBuild) + " than re-running flash build"],
          [`save → all diagnostics, module ${CORE_IMPORTERS} others import (p95)`, fmt(quantile(core, 0.95))],
          ["incremental (20 dependents) / full first scan", `${((median(core) / firstScan) * 100).toFixed(1)} %`],
          ["incremental (20 dependents) / warm full rescan", `${((median(core) / full) * 100).toFixed(1)} %`],
        ] as [string, string, string?][])
      : []),
    [`Build manifest from a warm server (median of ${BUILDS})`, fmt(median(builds)), ratio(median(builds), cliBuild)],
    ["server memory 3 s after the last request (RSS)", `${serverRssSoon.toFixed(0)} MB`],
    ["server memory at rest (RSS, 20 s after the last request)", `${serverRss.toFixed(0)} MB`, "target ≤ 100 MB"],
    ["warm Python probe memory (PSS, with its forked spare)", `${probeMemory.toFixed(0)} MB`],
  ]);
}

async function main(): Promise<void> {
  process.stdout.write(`Flash language tools benchmark — ${new Date().toISOString()}, ${require("node:os").cpus().length} cores\n`);
  const work = mkdtempSync(join(tmpdir(), "flash-bench-"));
  try {
    const example = join(work, "hello-flash");
    cpSync(join(ROOT, "examples", "hello-flash"), example, { recursive: true });
    await benchProject("Bundled example (examples/hello-flash, 3 modules)", example, { leaf: join(example, "workers", "preprocess.py") });
    const generated = join(work, "generated");
    const edits = generateProject(generated);
    await benchProject(`Generated project (${MODULES} modules, ${ENDPOINTS} endpoints)`, generated, edits);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`bench: ${e.stack ?? e}\n`);
  process.exit(1);
});
