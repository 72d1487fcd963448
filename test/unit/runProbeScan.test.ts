// The scan driver against scripted probe channels: recorded messages, no Python.
import { describe, expect, it } from "vitest";
import { runProbeScan, type OpenChannel } from "../../shared/src/probe/runProbeScan";
import type { ProbeHandlers } from "../../shared/src/probe/probeProcess";

const hello = { t: "hello", protocol: 1, python: "3.11.7", executable: "/py", flashVersion: "1.21.0", defaultPythonVersion: "3.12", supportedPythonVersions: ["3.12"], sdkImportMs: 1 } as const;
const result = (index: number, file: string) => ({ t: "result" as const, index, file, module: file.replace(".py", ""), durationMs: 1, importedFiles: [], objects: [], clientEndpoints: [], cliCallNodes: [] });

/** A channel that plays `script(startIndex)`: messages, or "garbage" for a line that is not JSON. */
function scripted(script: (start: number) => (object | "garbage")[]): { open: OpenChannel; runs: number[] } {
  const runs: number[] = [];
  const open: OpenChannel = (h: ProbeHandlers) => {
    let killed = false;
    const exit = () => setTimeout(() => h.onExit({ code: killed ? null : 0, signal: killed ? "SIGKILL" : null }), 1);
    return {
      send(request) {
        const r = request as { t: string; startIndex: number };
        if (r.t !== "scan") return;
        runs.push(r.startIndex);
        setTimeout(() => {
          for (const m of [hello, ...script(r.startIndex)]) {
            if (killed) return;
            h.onMessage(m === "garbage" ? { ok: false, error: "not JSON: Unexpected token" } : { ok: true, message: m as never });
          }
        }, 1);
      },
      endInput: exit,
      kill() {
        if (!killed) {
          killed = true;
          exit();
        }
      },
      dumpStacks: () => undefined,
      outputText: () => "",
    };
  };
  return { open, runs };
}

const base = { python: "py", root: "/mirror", cwd: "/project", modules: ["a.py", "b.py", "c.py"], projectFiles: ["a.py", "b.py", "c.py"], timeoutSeconds: 5 };

describe("runProbeScan", () => {
  it("kills a probe that sends an invalid message and retries that module once, keeping the rest", async () => {
    let calls = 0;
    const { open, runs } = scripted((start) => {
      calls++;
      if (calls === 1) return [{ t: "module", index: 0, file: "a.py" }, result(0, "a.py"), { t: "module", index: 1, file: "b.py" }, "garbage"];
      return [{ t: "module", index: start, file: "b.py" }, result(1, "b.py"), { t: "module", index: 2, file: "c.py" }, result(2, "c.py"), { t: "done" }];
    });
    const outcome = await runProbeScan({ ...base, open });
    expect(runs).toEqual([0, 1]);
    expect(outcome.results.map((r) => [r.file, r.error?.kind ?? "ok"])).toEqual([["a.py", "ok"], ["b.py", "ok"], ["c.py", "ok"]]);
    expect(outcome.protocolErrors).toEqual(["not JSON: Unexpected token"]);
    expect(outcome.fatal).toBeNull();
  });

  it("gives up on a module after a second invalid message and says so in its record", async () => {
    const { open, runs } = scripted((start) =>
      start <= 1
        ? [...(start === 0 ? [{ t: "module", index: 0, file: "a.py" }, result(0, "a.py")] : []), { t: "module", index: 1, file: "b.py" }, "garbage"]
        : [{ t: "module", index: 2, file: "c.py" }, result(2, "c.py"), { t: "done" }],
    );
    const outcome = await runProbeScan({ ...base, open });
    expect(runs).toEqual([0, 1, 2]);
    expect(outcome.results[1]).toMatchObject({
      file: "b.py",
      ended: { reason: "crash", exitCode: null, signal: null },
      error: {
        kind: "exit",
        type: "ProtocolError",
        message: "the scan of b.py was abandoned: the probe sent an invalid message twice (not JSON: Unexpected token)",
        location: null,
      },
    });
    expect(outcome.results.map((r) => r.file)).toEqual(["a.py", "b.py", "c.py"]);
  });
});
