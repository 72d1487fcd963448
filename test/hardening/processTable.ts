// What is still running after a scan: the process table, read two ways. Every process a
// test starts inherits RUN_TAG=<value> in its environment (a probe, what user code starts,
// a server), so a leftover is found even when it left our process group; processes a
// fixture starts also name their project in their command line (`ps -eo pid,pgid,args`).
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";

export const RUN_TAG = "FLASH_HARDENING_RUN";

/** Sets a fresh tag in this process's environment (inherited by what it starts from now on). */
export function freshRunTag(label: string): string {
  const value = `${label}-${randomUUID()}`;
  process.env[RUN_TAG] = value;
  return value;
}

export interface ProcessRow {
  pid: number;
  pgid: number;
  args: string;
}

/** `ps -eo pid,pgid,args`, parsed. */
export function processTable(): ProcessRow[] {
  const text = execFileSync("ps", ["-eo", "pid=,pgid=,args="], { encoding: "utf8" });
  return text
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), pgid: Number(m[2]), args: m[3] }));
}

/** Processes whose initial environment carries RUN_TAG=`value` (not this test process). */
export function taggedProcesses(value: string): ProcessRow[] {
  const needle = Buffer.from(`\0${RUN_TAG}=${value}\0`);
  const rows = new Map(processTable().map((r) => [r.pid, r]));
  const found: ProcessRow[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const env = Buffer.concat([Buffer.from([0]), readFileSync(`/proc/${name}/environ`), Buffer.from([0])]);
      if (env.includes(needle)) found.push(rows.get(Number(name)) ?? { pid: Number(name), pgid: 0, args: "?" });
    } catch {
      // exited meanwhile
    }
  }
  return found.filter((r) => !/^\[.*\]$/.test(r.args) && !r.args.includes("<defunct>"));
}

/** /proc/<pid>/comm: what a process calls itself (the probe names its warm children). */
export function processName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}

/** Rows whose command line contains `text`. */
export function processesNaming(text: string): ProcessRow[] {
  return processTable().filter((r) => r.args.includes(text) && !r.args.startsWith("ps "));
}

/**
 * Waits (polling, up to `ms`) until no process carries the tag or names `marker`;
 * returns what is still there at the end. Killing is asynchronous, so give it a moment.
 */
export async function leftovers(value: string, marker?: string, ms = 3000): Promise<ProcessRow[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const rows = [...taggedProcesses(value), ...(marker ? processesNaming(marker) : [])];
    if (rows.length === 0 || Date.now() > deadline) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resident memory of a process in MB (Linux). */
export function rssMB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}
