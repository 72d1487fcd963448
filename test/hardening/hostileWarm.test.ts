// Every hostile case through the language server's engine (a ProjectSession: a warm
// interpreter that forks a child per scan): a full scan with the hostile module ends
// within the deadline plus 2 s of a healthy one, with the same records as the CLI's,
// and once the session is gone nothing it started is still running.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProjectSession } from "../../shared/src/project/projectSession";
import { PYTHON } from "../helpers/paths";
import { hashTree } from "../helpers/treeHash";
import { DEADLINE_S, HOSTILE_CASES, MEMORY_LIMIT_MB } from "./hostileCases";
import { expectCaseFacts, HostileProjects, notFlashDir, saveFigures } from "./hostileRun";
import { freshRunTag, leftovers } from "./processTable";

const projects = new HostileProjects();
const figures: Record<string, { scanMs: number }> = {};
let baselineMs = 0;

/** A session on `project` whose warm interpreter has already started (and imported the SDK). */
async function warmSession(project: string): Promise<ProjectSession> {
  const session = new ProjectSession({ root: project, python: PYTHON, timeoutSeconds: DEADLINE_S, memoryLimitMB: MEMORY_LIMIT_MB });
  await session.runProbe([]);
  return session;
}

async function timedFullScan(session: ProjectSession): Promise<number> {
  const started = performance.now();
  await session.request("full");
  return performance.now() - started;
}

beforeAll(async () => {
  const project = projects.copy({ ...HOSTILE_CASES[0], setup: (p) => rmSync(join(p, "spin.py")) });
  const session = await warmSession(project);
  try {
    await timedFullScan(session);
    baselineMs = await timedFullScan(session);
  } finally {
    session.dispose();
  }
}, 60_000);

afterAll(() => {
  saveFigures("warm", { baselineMs: Math.round(baselineMs), cases: figures });
  projects.removeAll();
});

describe("hostile modules through the server's warm engine", () => {
  it.each(HOSTILE_CASES.map((c) => [c.name, c] as const))("%s", async (name, c) => {
    const project = projects.copy(c);
    const before = hashTree(project, notFlashDir);
    const tag = freshRunTag(`warm-${name}`);
    const session = await warmSession(project);
    let scanMs: number;
    try {
      scanMs = await timedFullScan(session);
      expect(session.problem).toBeNull();
      expectCaseFacts(c, session.scan!);
      if (c.expect && ["exit", "memory"].includes(c.expect.kind)) {
        // The warm interpreter survives whatever its child did: a second scan is as good.
        await session.request("full");
        expectCaseFacts(c, session.scan!);
      }
    } finally {
      session.dispose();
    }
    figures[name] = { scanMs: Math.round(scanMs) };
    expect(scanMs).toBeLessThan(baselineMs + (DEADLINE_S + 2) * 1000 + 1000);
    expect(await leftovers(tag, c.marker && `${c.marker}${project}`)).toEqual([]);
    expect(hashTree(project, notFlashDir)).toEqual(before);
  });
});

describe("a module that rewrote another one, then fixed", () => {
  it("leaves no trace: once tamper.py stops rewriting victim.py, a full rescan finds victim.py healthy, as a fresh flash build does", async () => {
    const c = HOSTILE_CASES.find((x) => x.name === "edits-another-project-file")!;
    const project = projects.copy(c);
    const session = await warmSession(project);
    try {
      await session.request("full");
      const tamper = join(project, "tamper.py");
      const text = readFileSync(tamper, "utf8");
      writeFileSync(tamper, text.slice(0, text.indexOf("HERE = ")));
      await session.request(["tamper.py"]);
      await session.request("full");
      expect(session.scan!.failures.map((f) => `${f.file}: ${f.failure.message}`)).toEqual([]);
      expect(session.scan!.functions.map((f) => f.meta.function_name).sort()).toEqual(["alpha", "tamper", "victim", "zulu"]);
    } finally {
      session.dispose();
    }
  });
});
