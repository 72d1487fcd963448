// Issue 5's acceptance test in a real VS Code: code-server 4.100.3 driven by Debian's
// Chromium through playwright-core, on a temp copy of test/fixtures/e2e/workspace.
// A fresh code-server per run, killed by PID at the end. Screenshots of every step go
// to test-results/e2e/. Needs `node scripts/e2e-setup.mjs` and `node scripts/build.mjs`.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EditorRun } from "./editorRun";
import { FLASH_PYTHON, makeSandbox, requireFile, type E2eSandbox } from "./e2ePaths";
import { waitFor } from "./poll";

const SYNTAX_MESSAGE = "SyntaxError: expected ':' (summarizer.py, line 7)";
const BROKEN_LINE = "async def summarize(text: str) -> str";
const MARKER_ENV = "FLASH_E2E_IMPORT_MARKER";

// After its Flash view is up, the untrusted run watches for the marker at least this
// long, and at least twice as long as the trusted run took from an open workbench to
// importing the same module.
const MIN_UNTRUSTED_WATCH_MS = 10_000;
let trustedMsToImport: number | undefined;

/** A tree row for endpoint `name`: its label, then perhaps a description. */
function isEndpointRow(rowText: string, name: string): boolean {
  return rowText === name || rowText.startsWith(`${name} `);
}

// Under the default vitest config (every *.test.ts) this would start a browser and an
// editor next to the other suites; it runs from vitest.e2e.config.ts, one file at a time.
const inE2eConfig = process.env.FLASH_E2E_CONFIG === "1";

describe.skipIf(!inE2eConfig)("VS Code (code-server 4.100.3 + Chromium)", () => {
  const sandboxes: E2eSandbox[] = [];
  afterAll(() => {
    if (process.env.FLASH_E2E_KEEP !== "1") sandboxes.forEach((s) => s.remove());
  });

  it("trusted folder: Flash tree, Problems, fix on save, Build manifest", async () => {
    requireFile(FLASH_PYTHON, "run `node scripts/setup.mjs`");
    const sandbox = makeSandbox("vscode-trusted");
    sandboxes.push(sandbox);
    const marker = join(sandbox.root, "imported.marker");
    const run = await EditorRun.start({ name: "trusted", sandbox, trusted: true, env: { FLASH_PYTHON, [MARKER_ENV]: marker } });
    try {
      const wb = run.workbench;
      await wb.shot("workbench");

      // 1. The Flash icon appears in the activity bar; clicking it shows the Endpoints tree.
      await waitFor("the Flash activity-bar icon", () => wb.activityItem("Flash").isVisible(), { timeoutMs: 30_000 });
      await wb.activityItem("Flash").click();
      await wb.widenSideBar(520);
      let rows = await waitFor("endpoints, route and cross-call in the Flash tree", async () => {
        await wb.expandSideBarTrees();
        const r = await wb.sideBarRows();
        const ok =
          r.some((t) => isEndpointRow(t, "public-api")) &&
          r.some((t) => isEndpointRow(t, "gpu-worker")) &&
          r.some((t) => t.includes("POST /generate")) &&
          r.some((t) => t.includes("calls → gpu-worker")) &&
          r.some((t) => t.includes("summarizer.py"));
        if (!ok) throw new Error(`tree rows: ${JSON.stringify(r)}`);
        return r;
      }, { timeoutMs: 60_000 });
      run.lap("tree shown");
      await wb.shot("endpoints-tree");
      expect(rows.some((t) => isEndpointRow(t, "summarizer"))).toBe(false);
      expect(rows.some((t) => /Failed to load/.test(t))).toBe(true);

      // The scan imported workspace code: the control for the untrusted run below.
      await waitFor("the import marker of the trusted scan", () => existsSync(marker), { timeoutMs: 30_000 });
      run.lap("marker seen");
      trustedMsToImport = statSync(marker).mtimeMs - run.readyAt;

      // 2. The syntax error is in the Problems view at line 7.
      await wb.runCommand("View: Focus Problems (Errors, Warnings, Infos)");
      const problems = await waitFor("the syntax error in the Problems view", async () => {
        const p = await wb.problems();
        if (!p.some((x) => x.message === SYNTAX_MESSAGE)) throw new Error(`problems: ${JSON.stringify(p)}`);
        return p;
      }, { timeoutMs: 30_000 });
      run.lap("problem shown");
      await wb.shot("problems-syntax-error");
      expect(problems).toEqual([{ message: SYNTAX_MESSAGE, source: "flash", code: "syntax", position: "[Ln 7, Col 37]" }]);

      // 3. Fix it in the editor and save: the problem goes, the endpoint comes.
      const file = join(sandbox.workspace, "summarizer.py");
      const before = readFileSync(file, "utf8");
      expect(before).toContain(`${BROKEN_LINE}\n`);
      await wb.openFile("summarizer.py");
      await wb.cursorToEndOfLine(7);
      await wb.page.keyboard.type(":");
      await wb.runCommand("File: Save");
      await waitFor("summarizer.py saved with the colon", () => readFileSync(file, "utf8") === before.replace(`${BROKEN_LINE}\n`, `${BROKEN_LINE}:\n`), {
        timeoutMs: 10_000,
      });
      await waitFor("the syntax error to leave the Problems view", async () => (await wb.problems()).length === 0, { timeoutMs: 30_000 });
      run.lap("problem cleared");
      await wb.shot("problems-cleared");
      rows = await waitFor("the summarizer endpoint in the Flash tree", async () => {
        await wb.expandSideBarTrees();
        const r = await wb.sideBarRows();
        if (!r.some((t) => isEndpointRow(t, "summarizer")) || r.some((t) => t.includes("summarizer.py"))) throw new Error(`tree rows: ${JSON.stringify(r)}`);
        return r;
      }, { timeoutMs: 30_000 });
      run.lap("endpoint shown");
      await wb.shot("endpoint-appears");
      expect(rows.some((t) => /Failed to load/.test(t))).toBe(false);

      // 4. "Flash: Build manifest" from the command palette writes the manifest.
      const manifestPath = join(sandbox.workspace, ".flash", "flash_manifest.json");
      expect(existsSync(manifestPath)).toBe(false);
      await wb.runCommand("Flash: Build manifest");
      const manifest = await waitFor("a complete .flash/flash_manifest.json", () => {
        if (!existsSync(manifestPath)) return undefined;
        return JSON.parse(readFileSync(manifestPath, "utf8")) as { resources: Record<string, unknown>; routes: Record<string, Record<string, string>> };
      }, { timeoutMs: 30_000 });
      run.lap("manifest written");
      const toasts = await wb.settledNotifications();
      await wb.shot("manifest-built");
      expect(toasts.some((t) => t.includes("flash_manifest.json")), `notifications: ${JSON.stringify(toasts)}`).toBe(true);
      expect(Object.keys(manifest.resources).sort()).toEqual(["gpu-worker", "public-api", "summarizer"]);
      expect(manifest.routes).toEqual({ "public-api": { "POST /generate": "generate", "GET /health": "health" } });
    } finally {
      await run.stop();
    }
  });

  it("Restricted Mode: workspace code never runs and the Flash view says why", async () => {
    const sandbox = makeSandbox("vscode-untrusted");
    sandboxes.push(sandbox);
    const marker = join(sandbox.root, "imported.marker");
    const run = await EditorRun.start({ name: "untrusted", sandbox, trusted: false, env: { FLASH_PYTHON, [MARKER_ENV]: marker } });
    try {
      const wb = run.workbench;
      const watch = () => {
        expect(existsSync(marker), "the marker module was imported in Restricted Mode").toBe(false);
        const probes = run.codeServer.descendants().filter((p) => p.args.includes("flash_probe"));
        expect(probes, "a scan process started in Restricted Mode").toEqual([]);
      };

      // The trust dialog: the user answers "No" and browses in Restricted Mode.
      const noTrust = wb.page.locator(".monaco-dialog-box .monaco-button").filter({ hasText: "No, I don't trust the authors" }).first();
      await noTrust.waitFor({ state: "visible", timeout: 30_000 });
      await wb.shot("trust-dialog");
      watch();
      await noTrust.click();
      await wb.page.locator(".monaco-dialog-box").first().waitFor({ state: "hidden", timeout: 10_000 });

      await waitFor("the Flash activity-bar icon", () => wb.activityItem("Flash").isVisible(), { timeoutMs: 30_000 });
      await wb.activityItem("Flash").click();
      await wb.widenSideBar(520);
      // The static parse of the decorators still lists the endpoints, next to a
      // welcome message about Restricted Mode.
      const text = await waitFor("the restricted-mode message and the statically found endpoints", async () => {
        watch();
        await wb.expandSideBarTrees();
        const t = await wb.sideBarText();
        const r = await wb.sideBarRows();
        const ok = /restricted mode/i.test(t) && /trust/i.test(t) && r.some((x) => isEndpointRow(x, "public-api")) && r.some((x) => isEndpointRow(x, "gpu-worker"));
        if (!ok) throw new Error(`side bar: ${JSON.stringify(t)}`);
        return t;
      }, { timeoutMs: 60_000 });
      run.lap("restricted view shown");
      await wb.shot("restricted-view");
      expect(text).toMatch(/restricted mode/i);

      // A negative needs a window: wait well past the time the trusted run needed to
      // import the module, checking all along.
      const windowMs = Math.round(Math.max(MIN_UNTRUSTED_WATCH_MS, 2 * (trustedMsToImport ?? MIN_UNTRUSTED_WATCH_MS)));
      const until = Date.now() + windowMs;
      await waitFor(`${windowMs} ms without the marker or a scan process`, () => {
        watch();
        return Date.now() >= until;
      }, { timeoutMs: windowMs + 5_000, intervalMs: 200 });
      run.lap(`watched ${windowMs} ms`);
      await wb.shot("restricted-still-clean");
      watch();
    } finally {
      await run.stop();
    }
  });
});
