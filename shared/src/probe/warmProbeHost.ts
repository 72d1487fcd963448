// A warm probe for one project: a Python process that has imported runpod_flash
// once and forks a fresh, isolated child for each scan, so a save never pays for
// interpreter start-up and the SDK import again. POSIX only (it needs fork).
import { constants } from "node:os";
import type { Hello, ProbeMessage } from "./probeMessages";
import { OutputTail, ProbeProcess, defaultProbePath, type ProbeExit, type ProbeHandlers } from "./probeProcess";
import { killTagged } from "./processSweep";
import type { OpenChannel, ScanChannel } from "./runProbeScan";

interface ActiveChild {
  handlers: ProbeHandlers;
  output: OutputTail;
  pid?: number;
  killRequested: boolean;
  /** It started a process: look for one that left its process group once it exits. */
  spawned: boolean;
}

export class WarmProbeHost {
  private readonly process: ProbeProcess;
  private child: ActiveChild | null = null;
  /** Children that finished their work and are exiting on their own (pid → it started processes). */
  private readonly detached = new Map<number, boolean>();
  private hello: Hello | null = null;
  private dead: ProbeExit | null = null;
  private readonly ready: Promise<Hello>;
  private preloadWaiter: ((m: Extract<ProbeMessage, { t: "preloaded" }>) => void) | null = null;
  private indexWaiter: ((m: Extract<ProbeMessage, { t: "indexed" }> | null) => void) | null = null;

  constructor(
    readonly python: string,
    /** The project folder: the working directory of the probe and its children. */
    readonly root: string,
    private readonly log: (line: string) => void = () => undefined,
    probePath: string = defaultProbePath(),
    env?: NodeJS.ProcessEnv,
  ) {
    let settle!: { resolve: (h: Hello) => void; reject: (e: Error) => void };
    this.ready = new Promise<Hello>((resolve, reject) => (settle = { resolve, reject }));
    this.ready.catch(() => undefined);
    this.process = new ProbeProcess(python, probePath, root, {
      onMessage: (decoded) => {
        if (!decoded.ok) return this.route(decoded) ?? this.log(`warm probe: invalid message: ${decoded.error}`);
        const m = decoded.message;
        if (m.t === "hello") {
          this.hello = m;
          settle.resolve(m);
        } else if (m.t === "fatal") {
          settle.reject(Object.assign(new Error(m.message), { kind: m.kind }));
        } else if (m.t === "forked") {
          if (this.child) {
            this.child.pid = m.pid;
            if (this.child.killRequested) killGroup(m.pid);
          }
        } else if (m.t === "child-exit") {
          // The warm parent has killed the child's process group; a daemon that left
          // it carries the child's tag.
          const child = this.child;
          if (this.detached.get(m.pid) ?? (child?.pid === m.pid && child.spawned)) killTagged(`${this.process.tag}.${m.pid}`);
          if (this.detached.delete(m.pid)) return; // a finished child, already let go
          if (child && (child.pid === undefined || child.pid === m.pid)) {
            this.child = null;
            child.handlers.onExit(m.code < 0 ? { code: null, signal: signalName(-m.code) } : { code: m.code, signal: null });
          }
        } else if (m.t === "spawned") {
          if (this.child) this.child.spawned = true;
        } else if (m.t === "preloaded") {
          this.preloadWaiter?.(m);
        } else if (m.t === "indexed") {
          this.indexWaiter?.(m);
        } else {
          this.route(decoded);
        }
      },
      onOutput: (chunk) => this.child?.output.push(chunk),
      onExit: (exit) => {
        this.dead = exit;
        settle.reject(new Error(`the warm probe exited (${exit.code ?? exit.signal}): ${this.process.output.toString().trim().split("\n").slice(-3).join(" | ")}`));
        const child = this.child;
        this.child = null;
        child?.handlers.onExit(exit);
        this.preloadWaiter?.({ t: "preloaded", loaded: [], failed: [{ module: "*", error: "warm probe exited" }] });
        this.indexWaiter?.(null);
      },
    }, env);
    this.process.send({ t: "serve", root, cwd: root });
  }

  private route(decoded: Parameters<ProbeHandlers["onMessage"]>[0]): true | undefined {
    if (!this.child) return undefined;
    this.child.handlers.onMessage(decoded);
    return true;
  }

  /** Resolves once the SDK is imported; rejects with the reason when it cannot be. */
  start(): Promise<Hello> {
    return this.ready;
  }

  get alive(): boolean {
    return this.dead === null;
  }

  get busy(): boolean {
    return this.child !== null;
  }

  /** A channel to a child forked for one scan. One at a time. */
  readonly open: OpenChannel = (handlers) => {
    if (this.child) throw new Error("a scan is already running in this warm probe");
    const child: ActiveChild = { handlers, output: new OutputTail(64 * 1024), killRequested: false, spawned: false };
    const channel: ScanChannel = {
      send: (request) => {
        if (this.dead) return;
        this.process.send(request);
      },
      endInput: () => {
        // The child has said all it will; it exits by itself. Let the next scan
        // fork now rather than wait for the exit to travel back.
        this.process.send({ t: "end" });
        if (this.child === child && child.pid !== undefined) {
          this.detached.set(child.pid, child.spawned);
          this.child = null;
        }
      },
      kill: () => {
        child.killRequested = true;
        if (child.pid !== undefined) killGroup(child.pid);
      },
      dumpStacks: () => {
        if (child.pid === undefined || child.killRequested || this.child !== child) return;
        try {
          process.kill(child.pid, "SIGUSR1"); // the child alone: its group holds what user code started
        } catch {
          // already gone
        }
      },
      outputText: () => child.output.toString(),
    };
    if (this.dead) {
      const exit = this.dead;
      queueMicrotask(() => handlers.onExit(exit));
      return channel;
    }
    this.child = child;
    if (this.hello) {
      const hello = this.hello;
      queueMicrotask(() => handlers.onMessage({ ok: true, message: hello }));
    }
    return channel;
  };

  /** Imports third-party packages into the parent so later children start with them. */
  preload(modules: string[], timeoutSeconds = 60): Promise<{ loaded: string[]; failed: { module: string; error: string }[] }> {
    if (this.dead || this.child || modules.length === 0) return Promise.resolve({ loaded: [], failed: [] });
    return new Promise((resolve) => {
      this.preloadWaiter = (m) => {
        this.preloadWaiter = null;
        resolve({ loaded: m.loaded, failed: m.failed });
      };
      this.process.send({ t: "preload", modules, timeout: timeoutSeconds });
    });
  }

  /**
   * Has the parent parse and compile these files (absolute paths in the scan mirror)
   * so that its next children skip that work for files that have not changed;
   * `complete` when they are all the project's files (the others are forgotten).
   * Syntax only: no project code runs in the parent. Null when the probe is busy or gone.
   */
  index(paths: string[], complete = true): Promise<Extract<ProbeMessage, { t: "indexed" }> | null> {
    if (this.dead || this.child || this.indexWaiter || this.preloadWaiter) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.indexWaiter = (m) => {
        this.indexWaiter = null;
        resolve(m);
      };
      this.process.send({ t: "index", paths, complete });
    });
  }

  dispose(): void {
    if (this.child?.pid !== undefined) killGroup(this.child.pid);
    this.process.kill();
  }
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

function signalName(signo: number): NodeJS.Signals | null {
  const entry = Object.entries(constants.signals).find(([, n]) => n === signo);
  return (entry?.[0] as NodeJS.Signals | undefined) ?? null;
}
