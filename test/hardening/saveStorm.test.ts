// A save storm through the real server: 500 saves in 10 s on random modules of a
// 50-module project (healthy, broken, raising, importing one another). Afterwards the
// published diagnostics and model equal those of a fresh server's full scan, no probe
// child is left behind, and the server's memory is back near where it started.
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Diagnostic } from "vscode-languageserver-protocol";
import type { EndpointModel } from "../../shared/src/protocol/flashProtocol";
import { PYTHON } from "../helpers/paths";
import { seededRandom } from "../helpers/seededRandom";
import { LspSession } from "../protocol/lspHarness";
import { saveFigures } from "./hostileRun";
import { freshRunTag, leftovers, processName, rssMB, taggedProcesses } from "./processTable";

const MODULES = 50;
const SAVES = 500;
const STORM_MS = 10_000;
const SEED = Number(process.env.FLASH_STORM_SEED ?? 20261127);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const name = (i: number) => `m${String(i).padStart(2, "0")}`;

/** One version of module i: healthy (with a parameter named after the version), broken, raising, or importing a lower module. */
function moduleText(i: number, version: number, random: () => number): string {
  const header = "from runpod_flash import Endpoint\n";
  const importsOther = i > 0 && random() < 0.3 ? `import ${name(Math.floor(random() * i))}\n` : "";
  const body = `\n\n@Endpoint(name="ep-${name(i)}", cpu="cpu3c-1-2")\nasync def handler_${name(i)}(x_${version}: int) -> int:\n    return x_${version}\n`;
  const roll = random();
  if (roll < 0.1) return header + importsOther + body.replace(") -> int:", ") -> int") + "\n"; // SyntaxError
  if (roll < 0.2) return header + importsOther + body + `\nraise RuntimeError("storm: ${name(i)} version ${version}")\n`;
  return header + importsOther + body;
}

function settledModel(m: EndpointModel | null): unknown {
  if (!m) return m;
  const { scannedAt: _scannedAt, ...rest } = m;
  return rest;
}

function publishedDiagnostics(s: LspSession): Record<string, Diagnostic[]> {
  return Object.fromEntries([...s.diagnostics].filter(([, d]) => d.length > 0).sort(([a], [b]) => a.localeCompare(b)));
}

/** Waits until the folder has been ready, with no status at all, for `quietMs`. */
async function settle(s: LspSession, quietMs = 1500, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = -1;
  let since = Date.now();
  for (;;) {
    if (s.statuses.length !== seen) {
      seen = s.statuses.length;
      since = Date.now();
    }
    const last = s.statuses.at(-1);
    if (last && last.state !== "scanning" && last.state !== "starting" && Date.now() - since >= quietMs) return;
    if (Date.now() > deadline) throw new Error("the server did not settle");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("save storm", () => {
  it(`${SAVES} saves over ${STORM_MS / 1000} s on a ${MODULES}-module project end in the state of a fresh full scan`, async () => {
    const random = seededRandom(SEED);
    const project = join(realpathSync(mkdtempSync(join(tmpdir(), "flash-storm-"))), "storm");
    dirs.push(join(project, ".."));
    const { mkdirSync } = await import("node:fs");
    mkdirSync(project);
    for (let i = 0; i < MODULES; i++) writeFileSync(join(project, `${name(i)}.py`), moduleText(i, 0, () => 0.5));

    const tag = freshRunTag("storm");
    const s = await LspSession.start({ folders: [project], env: { FLASH_PYTHON: PYTHON } });
    let figures: Record<string, number> = {};
    try {
      await s.ready(project, 0, 60_000);
      await settle(s, 3000); // past the idle collection after the first scan
      const rssBefore = rssMB(s.child.pid!);
      const statusesBefore = s.statuses.length;

      const started = performance.now();
      for (let n = 0; n < SAVES; n++) {
        const i = Math.floor(random() * MODULES);
        s.save(join(project, `${name(i)}.py`), moduleText(i, n + 1, random));
        const due = started + ((n + 1) * STORM_MS) / SAVES;
        await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
      }
      const stormMs = performance.now() - started;
      const QUIET_MS = 1500;
      await settle(s, QUIET_MS);
      const settledMs = performance.now() - started - stormMs - QUIET_MS;
      const scans = s.statuses.slice(statusesBefore).filter((st) => st.state === "ready").length;
      expect(s.child.exitCode).toBeNull();

      // Only the server and its warm interpreter are running.
      const running = taggedProcesses(tag);
      // The warm interpreter may also hold one idle child forked ahead of the next scan.
      const kinds = running.map((r) => (r.args.includes("flash_probe.py") ? (processName(r.pid) === "flash-ls-spare" ? "spare" : "probe") : r.pid === s.child.pid ? "server" : r.args));
      expect(kinds.filter((k) => k !== "spare").sort()).toEqual(["probe", "server"]);
      expect(kinds.filter((k) => k === "spare").length).toBeLessThanOrEqual(1);

      const stormDiagnostics = publishedDiagnostics(s);
      const stormModel = settledModel(await s.model(project));

      const fresh = await LspSession.start({ folders: [project], env: { FLASH_PYTHON: PYTHON } });
      try {
        await fresh.ready(project, 0, 60_000);
        expect(publishedDiagnostics(fresh)).toEqual(stormDiagnostics);
        expect(settledModel(await fresh.model(project))).toEqual(stormModel);
      } finally {
        await fresh.close();
      }

      await settle(s, 3000); // the idle collection runs 2 s after the last scan
      const rssAfter = rssMB(s.child.pid!);
      figures = {
        seed: SEED,
        stormMs: Math.round(stormMs),
        lastStatusAfterStormMs: Math.max(0, Math.round(settledMs)),
        scansRun: scans,
        rssBeforeMB: Math.round(rssBefore),
        rssAfterMB: Math.round(rssAfter),
        files: Object.keys(stormDiagnostics).length,
        failures: ((stormModel as EndpointModel).failures ?? []).length,
        endpoints: ((stormModel as EndpointModel).endpoints ?? []).length,
      };
      expect(Math.abs(rssAfter - rssBefore), `server RSS ${rssBefore.toFixed(1)} MB → ${rssAfter.toFixed(1)} MB`).toBeLessThan(20);
    } finally {
      await s.close();
      saveFigures("storm", figures);
    }
    expect(await leftovers(tag)).toEqual([]);
  }, 150_000);
});
