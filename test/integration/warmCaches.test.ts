// The warm parent parses and compiles the project's files while idle (index_files in
// the probe) so that its forked children skip that work; a child uses those only for
// identical bytes. A scan served from them must find exactly what a cold scan finds,
// and never what a file said before it was edited.
import { afterAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProjectSession } from "../../shared/src/project/projectSession";
import { WarmProbeHost } from "../../shared/src/probe/warmProbeHost";
import { scanProject } from "../../shared/src/scan/scanProject";
import type { ScanResult } from "../../shared/src/scan/scanResult";
import { PYTHON } from "../helpers/paths";
import { TempProjects } from "../helpers/tempProjects";

/** The model without what differs between two runs: timings, output, process ids. */
function comparable(scan: ScanResult) {
  return {
    ...scan,
    interpreter: { ...scan.interpreter, executable: "" },
    durationMs: 0,
    moduleTimesMs: {},
    output: "",
    clientEndpoints: scan.clientEndpoints.map((c) => ({ ...c, object_id: "" })),
    failures: scan.failures.map((f) => ({ ...f, failure: { ...f.failure, traceback: undefined } })),
  };
}

const projects = new TempProjects();
const sessions: ProjectSession[] = [];
const temps: string[] = [];
afterAll(() => {
  sessions.forEach((s) => s.dispose());
  projects.removeAll();
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** An empty project folder (removed after the tests), and its parent folder. */
function emptyProject(label: string): { root: string; parent: string } {
  const parent = realpathSync(mkdtempSync(join(tmpdir(), `flash-warm-${label}-`)));
  temps.push(parent);
  const root = join(parent, "project");
  mkdirSync(root);
  return { root, parent };
}

/** A warm session whose parent has indexed the project (its log says so). */
async function indexedSession(root: string): Promise<{ session: ProjectSession; log: string[] }> {
  const log: string[] = [];
  const session = new ProjectSession({ root, python: PYTHON, timeoutSeconds: 10, log: (line) => log.push(line) });
  sessions.push(session);
  await session.request("full");
  const deadline = Date.now() + 20_000;
  while (!log.some((l) => /^indexed \d+ changed of \d+ files/.test(l))) {
    if (Date.now() > deadline) throw new Error(`the warm probe never indexed the project:\n${log.join("\n")}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { session, log };
}

describe("scans from the warm parent's parsed and compiled files", () => {
  // Definition sites, decorators, assignments, calls resolved through attributes, the
  // CLI's cross-call pass and dependencies=[...]: every fact read from the syntax tree.
  const FIXTURES = [
    "cross-call-attribute-call",
    "lb-routes-all-five-methods",
    "missing-declared-dependency",
    "module-config-and-inline-config",
    "class-methods-with-params",
    "utf8-bom-source-file",
  ];

  for (const fixture of FIXTURES) {
    it(`${fixture}: equal a cold scan's`, async () => {
      const root = projects.copy(fixture);
      const cold = await scanProject(root, { python: PYTHON, timeoutSeconds: 10 });
      const { session } = await indexedSession(root);
      await session.request("full"); // this one forks from the indexed parent
      expect(comparable(session.scan!)).toEqual(comparable(cold));
    }, 60_000);
  }

  it("never serve a file's old code or positions after an edit, even one of the same size", async () => {
    const { root } = emptyProject("cache");
    const endpoint = (name: string, blankLines: number) =>
      `from runpod_flash import Endpoint\n${"\n".repeat(blankLines)}\n@Endpoint(name="${name}", cpu="cpu3c-1-2")\nasync def work(x):\n    return x\n`;
    writeFileSync(join(root, "a.py"), endpoint("alpha-1", 1));
    writeFileSync(join(root, "b.py"), endpoint("bravo-1", 1));
    const { session } = await indexedSession(root);
    expect(session.scan!.functions.map((f) => [f.meta.resource_config_name, f.site.decorator?.line])).toEqual([
      ["alpha-1", 4],
      ["bravo-1", 4],
    ]);

    // Same size, new bytes: the parent's copy is stale until it indexes again.
    writeFileSync(join(root, "a.py"), endpoint("alpha-2", 1));
    await session.request(["a.py"]);
    // One line further down: positions must come from the new text too.
    writeFileSync(join(root, "b.py"), endpoint("bravo-2", 2));
    await session.request(["b.py"]);
    expect(session.scan!.functions.map((f) => [f.meta.resource_config_name, f.site.decorator?.line])).toEqual([
      ["alpha-2", 4],
      ["bravo-2", 5],
    ]);
    const cold = await scanProject(root, { python: PYTHON, timeoutSeconds: 10 });
    expect(comparable(session.scan!)).toEqual(comparable(cold));
  }, 60_000);

  it("never keep the project's own package in the warm parent, even one imported from outside the scan's copy", async () => {
    // A src layout on PYTHONPATH: main.py imports mypkg from the project folder itself,
    // not from the scan mirror. Preloading it would serve its old code after an edit.
    const { root } = emptyProject("src");
    mkdirSync(join(root, "src", "mypkg"), { recursive: true });
    writeFileSync(join(root, "src", "mypkg", "__init__.py"), "");
    writeFileSync(join(root, "src", "mypkg", "names.py"), 'NAME = "first-name"\n');
    writeFileSync(join(root, "main.py"), 'from runpod_flash import Endpoint\nfrom mypkg.names import NAME\n\n\n@Endpoint(name=NAME, cpu="cpu3c-1-2")\nasync def work(x):\n    return x\n');
    const saved = process.env.PYTHONPATH;
    process.env.PYTHONPATH = join(root, "src");
    let session: ProjectSession;
    try {
      ({ session } = await indexedSession(root)); // the probe starts with PYTHONPATH set
    } finally {
      if (saved === undefined) delete process.env.PYTHONPATH;
      else process.env.PYTHONPATH = saved;
    }
    expect(session.scan!.functions.map((f) => f.meta.resource_config_name)).toContain("first-name");
    writeFileSync(join(root, "src", "mypkg", "names.py"), 'NAME = "second-name"\n');
    await session.request("full");
    expect(session.scan!.functions.map((f) => f.meta.resource_config_name)).toContain("second-name");
  }, 60_000);

  it("keep answering when a preloaded package forked a helper that outlives it", async () => {
    // The helper inherits the warm parent's descriptors, among them the pipe of the
    // child forked ahead of the next scan: that child never sees end of file.
    const { parent } = emptyProject("forky");
    writeFileSync(join(parent, "forky.py"), "import os, time\nif os.fork() == 0:\n    time.sleep(60)\n    os._exit(0)\n");
    const host = new WarmProbeHost(PYTHON, parent, undefined, undefined, { PYTHONPATH: parent });
    try {
      await host.start();
      await new Promise((r) => setTimeout(r, 300)); // quiet: the parent forks its spare child
      expect(await host.preload(["forky"])).toEqual({ loaded: ["forky"], failed: [] });
      await new Promise((r) => setTimeout(r, 300)); // the spare is replaced: the old one must be let go
      const answer = await Promise.race([host.index([]), new Promise((r) => setTimeout(() => r("no answer in 10 s"), 10_000))]);
      expect(answer).toMatchObject({ t: "indexed", files: 0, parsed: 0 });
    } finally {
      host.dispose();
    }
  }, 60_000);
});
