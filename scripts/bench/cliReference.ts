// The real runpod-flash CLI, timed on the same machine in the same run.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { median } from "./stats";

const SCAN_ONLY = `
import sys, time
from pathlib import Path
t = time.perf_counter()
from runpod_flash.cli.commands.build_utils.scanner import RuntimeScanner
s = RuntimeScanner(Path(sys.argv[1]))
s.discover_remote_functions()
`;

function timed(cmd: string, args: string[], cwd: string): number {
  const started = performance.now();
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, RUNPOD_FLASH_SILENCE_DEPRECATION: "1" } });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr.slice(-500)}`);
  return ms;
}

/** `flash build` end to end (its time to a manifest), median of `runs`. */
export function flashBuildMs(venvBin: string, project: string, runs = 3): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    rmSync(join(project, ".flash"), { recursive: true, force: true });
    samples.push(timed(join(venvBin, "flash"), ["build"], project));
  }
  return median(samples);
}

/** A fresh Python running RuntimeScanner on the project: what the CLI pays per scan. */
export function cliScanMs(venvBin: string, project: string, runs = 3): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(timed(join(venvBin, "python"), ["-c", SCAN_ONLY, project], project));
  return median(samples);
}
