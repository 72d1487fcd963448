// Finds and kills processes a scan started that left its process group (a daemon
// that called setsid): every process the probe starts inherits an environment tag,
// FLASH_LS_SCAN=<id>, and a forked scan child extends it to <id>.<pid>. Linux reads
// /proc; elsewhere the process-group kill is all there is.
import { readFileSync, readdirSync } from "node:fs";
import { randomBytes } from "node:crypto";

/** The environment variable the probe and everything it starts carry. */
export const SCAN_TAG = "FLASH_LS_SCAN";

export function newScanTag(): string {
  return `${process.pid}-${randomBytes(6).toString("hex")}`;
}

const PREFIX = Buffer.from(`${SCAN_TAG}=`);

/** The tag in one process's initial environment, or null. */
function tagOf(pid: string): string | null {
  let env: Buffer;
  try {
    env = readFileSync(`/proc/${pid}/environ`);
  } catch {
    return null; // gone, or not ours to read (and so not ours to kill)
  }
  let at = env.indexOf(PREFIX);
  while (at > 0 && env[at - 1] !== 0) at = env.indexOf(PREFIX, at + 1);
  if (at < 0) return null;
  const end = env.indexOf(0, at);
  return env.subarray(at + PREFIX.length, end < 0 ? env.length : end).toString("latin1");
}

/**
 * SIGKILLs every process whose tag is `tag`, or (with `descendants`) starts with
 * `tag.`; repeated while it finds some, since a process may start another meanwhile.
 * Returns how many it killed.
 */
export function killTagged(tag: string, descendants = false): number {
  if (process.platform !== "linux") return 0;
  let killed = 0;
  for (let round = 0; round < 5; round++) {
    let found = 0;
    let pids: string[];
    try {
      pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
    } catch {
      return killed;
    }
    for (const pid of pids) {
      const value = tagOf(pid);
      if (value === null || (value !== tag && !(descendants && value.startsWith(`${tag}.`)))) continue;
      try {
        process.kill(Number(pid), "SIGKILL");
        found++;
      } catch {
        // exited meanwhile
      }
    }
    killed += found;
    if (found === 0) break;
  }
  return killed;
}
