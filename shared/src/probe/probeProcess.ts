// One probe child process: JSON requests in, validated JSON lines out, user output
// captured apart. The child lives in its own process group so that everything
// it started can be killed with it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeProbeLine, MAX_MESSAGE_BYTES, type DecodeResult } from "./probeMessages";
import { killTagged, newScanTag, SCAN_TAG } from "./processSweep";

/** Where flash_probe.py is: beside the bundle in dist/, or in the source tree. */
export function defaultProbePath(): string {
  if (process.env.FLASH_LS_PROBE) return process.env.FLASH_LS_PROBE;
  const here = typeof __dirname === "string" ? __dirname : dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, "probe", "flash_probe.py"), join(here, "..", "..", "probe", "flash_probe.py")];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`flash_probe.py not found next to ${here}`);
  return found;
}

/** Keeps the last `limit` characters of a stream, and counts what it dropped. */
export class OutputTail {
  private text = "";
  dropped = 0;
  constructor(private readonly limit: number) {}
  push(chunk: string): void {
    this.text += chunk;
    if (this.text.length > this.limit * 2) this.trim();
  }
  private trim(): void {
    const cut = this.text.length - this.limit;
    if (cut > 0) {
      this.dropped += cut;
      this.text = this.text.slice(cut);
    }
  }
  toString(): string {
    this.trim();
    return this.dropped ? `[${this.dropped} earlier characters not kept]\n${this.text}` : this.text;
  }
}

export interface ProbeExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ProbeHandlers {
  onMessage(result: DecodeResult): void;
  onExit(exit: ProbeExit): void;
  /** What user code printed; kept in `output` as well. */
  onOutput?(chunk: string): void;
}

/**
 * glibc gives each thread that allocates its own 64 MB arena of address space, kept for
 * the life of the process. The warm interpreter runs a few threads (one per child it
 * waits for), its children inherit every arena it ever made, and the scan's memory
 * limit (RLIMIT_AS) counts address space: a module near the limit would fail or not
 * depending on how many threads the parent once had. Two arenas for the probe; the
 * probe takes the variable out of its environment again, so what user code starts
 * does not inherit it. A value the user set is left alone.
 */
function arenaLimit(...envs: (NodeJS.ProcessEnv | undefined)[]): NodeJS.ProcessEnv {
  if (envs.some((e) => e?.MALLOC_ARENA_MAX !== undefined)) return {};
  return { MALLOC_ARENA_MAX: "2", FLASH_LS_ARENA_LIMIT: "1" };
}

export class ProbeProcess {
  private readonly child: ChildProcess;
  readonly output = new OutputTail(64 * 1024);
  private pending = "";
  private exited = false;
  /** In the environment of the probe and everything it starts (see processSweep.ts). */
  readonly tag = newScanTag();

  constructor(python: string, probePath: string, cwd: string, private readonly handlers: ProbeHandlers, env?: NodeJS.ProcessEnv) {
    this.child = spawn(python, ["-X", "utf8", probePath], {
      cwd,
      env: { ...process.env, ...env, PYTHONDONTWRITEBYTECODE: "1", PYTHONUNBUFFERED: "1", [SCAN_TAG]: this.tag, ...arenaLimit(process.env, env) },
      stdio: ["pipe", "pipe", "pipe"],
      detached: process.platform !== "win32",
      windowsHide: true,
    });
    this.child.stdout!.setEncoding("utf8");
    this.child.stdout!.on("data", (chunk: string) => this.onData(chunk));
    this.child.stderr!.setEncoding("utf8");
    this.child.stderr!.on("data", (chunk: string) => {
      this.output.push(chunk);
      this.handlers.onOutput?.(chunk);
    });
    this.child.stdin!.on("error", () => undefined); // the child may exit before reading
    this.child.on("error", (err) => {
      this.output.push(`\n[could not start ${python}: ${err.message}]\n`);
      this.finish({ code: null, signal: null });
    });
    // "exit", not "close": a process started by user code may hold our pipes open.
    // Kill the group, then let the results pipe drain before reporting.
    this.child.on("exit", (code, signal) => {
      this.killGroup();
      const done = () => this.finish({ code, signal });
      if (this.child.stdout!.readableEnded) return done();
      const timer = setTimeout(done, 1000);
      this.child.stdout!.once("end", () => {
        clearTimeout(timer);
        done();
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  send(request: unknown): void {
    if (!this.exited) this.child.stdin!.write(JSON.stringify(request) + "\n");
  }

  endInput(): void {
    if (!this.exited) this.child.stdin!.end();
  }

  private onData(chunk: string): void {
    this.pending += chunk;
    let nl: number;
    while ((nl = this.pending.indexOf("\n")) >= 0) {
      const line = this.pending.slice(0, nl);
      this.pending = this.pending.slice(nl + 1);
      if (line.trim()) this.handlers.onMessage(decodeProbeLine(line));
    }
    if (this.pending.length > MAX_MESSAGE_BYTES) {
      this.pending = "";
      this.handlers.onMessage({ ok: false, error: "message exceeds the size limit" });
      this.kill();
    }
  }

  private finish(exit: ProbeExit): void {
    if (this.exited) return;
    this.exited = true;
    this.killGroup(); // whatever user code started must not outlive the scan
    killTagged(this.tag, true); // nor what left the group (a daemon that called setsid)
    this.child.stdout!.destroy();
    this.child.stderr!.destroy();
    this.handlers.onExit(exit);
  }

  /** Kills the probe and every process it started. */
  kill(): void {
    this.killGroup();
  }

  /** SIGUSR1 to the probe alone (not its group): it writes its threads' stacks. */
  dumpStacks(): void {
    if (this.exited || this.child.pid === undefined || process.platform === "win32") return;
    try {
      process.kill(this.child.pid, "SIGUSR1");
    } catch {
      // already gone
    }
  }

  private killGroup(): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    if (process.platform === "win32") {
      spawnSync("taskkill", ["/pid", String(pid), "/T", "/F"], { windowsHide: true });
      return;
    }
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // group already gone
    }
  }
}
