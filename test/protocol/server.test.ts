// Protocol tests: the built server over stdio, a real JSON-RPC client, fixture
// workspaces in temp folders; exact diagnostics and models.
import { afterEach, describe, expect, it } from "vitest";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileChangeType } from "vscode-languageserver-protocol/node";
import { fixturePath, LspSession, uri } from "./lspHarness";

const PYTHON = join(__dirname, "..", "..", ".tools", "venv", "bin", "python");
const env = { FLASH_PYTHON: PYTHON };
const sessions: LspSession[] = [];
const temps: string[] = [];

function copyFixture(name: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), "flash-lsp-")), name);
  cpSync(fixturePath("lsp", name), dir, { recursive: true });
  temps.push(dir);
  return dir;
}

async function start(folders: string[], settings?: (folder: string) => unknown, initializationOptions?: unknown): Promise<LspSession> {
  const s = await LspSession.start({ folders, env, settings, initializationOptions });
  sessions.push(s);
  return s;
}

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

const TORCH_MESSAGE =
  "ModuleNotFoundError: No module named 'torch'\n" +
  "'torch' is listed in dependencies=[...] (torch==2.5.1), so it is probably installed only in the container: " +
  "install it in this interpreter or import it inside the function";

describe("flash-ls over stdio", () => {
  it("publishes each import failure at its statement with the CLI's text, and the endpoint model", async () => {
    const root = copyFixture("basic");
    const s = await start([root]);
    await s.ready(root);
    expect(s.diagnosticsOf(join(root, "broken.py"))).toEqual([
      {
        range: { start: { line: 5, character: 13 }, end: { line: 5, character: 14 } },
        severity: 1, code: "syntax", source: "flash",
        message: "SyntaxError: invalid syntax (broken.py, line 6)",
      },
    ]);
    expect(s.diagnosticsOf(join(root, "needs_torch.py"))).toEqual([
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 12 } }, severity: 1, code: "missing-module", source: "flash", message: TORCH_MESSAGE },
    ]);
    // A load-balanced Endpoint without name=: on its @ep.get(...) line.
    expect(s.diagnosticsOf(join(root, "no_name.py"))).toEqual([
      {
        range: { start: { line: 5, character: 1 }, end: { line: 5, character: 18 } },
        severity: 1, code: "validation", source: "flash",
        message: "ValueError: name is required for load-balanced endpoints. use Endpoint(name='my-api', ...) when registering routes.",
      },
    ]);
    expect(s.diagnosticsOf(join(root, "api.py"))).toEqual([]);

    const model = (await s.model(root))!;
    expect(model.interpreter).toEqual({ path: PYTHON, python: expect.stringMatching(/^3\.\d+\.\d+$/), flashVersion: "1.21.0" });
    expect(model.endpoints.map((e) => [e.name, e.resourceType, e.description, e.location])).toEqual([
      ["api", "CpuLiveLoadBalancer", "CpuLiveLoadBalancer · load-balanced · cpu cpu3c-1-2 · workers 0–1", { uri: uri(join(root, "api.py")), line: 4, character: 0 }],
      ["worker", "LiveServerless", "LiveServerless · queue · gpu ADA_24 · workers 0–2", { uri: uri(join(root, "worker.py")), line: 3, character: 0 }],
    ]);
    expect(model.endpoints[0].functions).toEqual([
      {
        name: "predict", kind: "function", isAsync: true, params: ["body"], docstring: null,
        location: { uri: uri(join(root, "api.py")), line: 8, character: 0 }, methods: [], route: { method: "POST", path: "/predict" },
      },
    ]);
    expect(model.crossCalls).toEqual([
      {
        fromEndpoint: "api", fromFunction: "predict", toEndpoint: "worker", toFunction: "infer", text: "worker.infer",
        location: { uri: uri(join(root, "api.py")), line: 9, character: 17 },
      },
    ]);
    expect([model.endpoints[0].calls, model.endpoints[1].calledBy]).toEqual([["worker"], ["api"]]);
    expect(model.failures.map((f) => [f.file, f.kind])).toEqual([
      ["broken.py", "syntax"], ["needs_torch.py", "missing-module"], ["no_name.py", "validation"],
    ]);
  });

  it("clears a diagnostic when the file is fixed and saved, and the endpoint appears", async () => {
    const root = copyFixture("basic");
    const s = await start([root]);
    await s.ready(root);
    const since = s.statuses.length;
    s.save(join(root, "broken.py"), readFileSync(join(root, "broken.py"), "utf8").replace("return x +", "return x + 1"));
    await s.ready(root, since);
    await s.waitFor(() => s.diagnosticsOf(join(root, "broken.py")).length === 0, 10_000, "cleared diagnostics");
    const model = (await s.model(root))!;
    expect(model.endpoints.map((e) => e.name)).toEqual(["api", "broken", "worker"]);
    expect(model.failures.map((f) => f.file)).toEqual(["needs_torch.py", "no_name.py"]);
  });

  it("gives a module that imports a failing project module a diagnostic at its import, linked to the cause", async () => {
    const root = copyFixture("basic");
    const s = await start([root]);
    await s.ready(root);
    const since = s.statuses.length;
    s.save(join(root, "worker.py"), readFileSync(join(root, "worker.py"), "utf8") + '\nraise RuntimeError("worker is broken")\n');
    await s.ready(root, since);
    await s.waitFor(() => s.diagnosticsOf(join(root, "api.py")).length > 0, 10_000, "api.py diagnostic");
    expect(s.diagnosticsOf(join(root, "worker.py"))).toEqual([
      { range: { start: { line: 7, character: 0 }, end: { line: 7, character: 38 } }, severity: 1, code: "exception", source: "flash", message: "RuntimeError: worker is broken" },
    ]);
    expect(s.diagnosticsOf(join(root, "api.py"))).toEqual([
      {
        range: { start: { line: 2, character: 0 }, end: { line: 2, character: 13 } },
        severity: 1, code: "exception", source: "flash",
        message: "RuntimeError: worker is broken",
        relatedInformation: [
          { location: { uri: uri(join(root, "worker.py")), range: { start: { line: 7, character: 0 }, end: { line: 7, character: 38 } } }, message: "RuntimeError raised here" },
        ],
      },
    ]);
    expect((await s.model(root))!.endpoints.map((e) => e.name)).toEqual([]);
  });

  it("clears the diagnostics of a deleted file", async () => {
    const root = copyFixture("basic");
    const s = await start([root]);
    await s.ready(root);
    expect(s.diagnosticsOf(join(root, "no_name.py"))).toHaveLength(1);
    const since = s.statuses.length;
    unlinkSync(join(root, "no_name.py"));
    s.filesChanged([{ uri: uri(join(root, "no_name.py")), type: FileChangeType.Deleted }]);
    await s.ready(root, since);
    await s.waitFor(() => s.diagnosticsOf(join(root, "no_name.py")).length === 0, 10_000, "cleared");
    expect((await s.model(root))!.failures.map((f) => f.file)).toEqual(["broken.py", "needs_torch.py"]);
  });

  it("keeps each folder of a multi-root workspace its own project and model", async () => {
    const a = copyFixture("basic");
    const b = copyFixture("healthy");
    const s = await start([a, b]);
    await Promise.all([s.ready(a), s.ready(b)]);
    expect((await s.model(a))!.endpoints.map((e) => e.name)).toEqual(["api", "worker"]);
    const healthy = (await s.model(b))!;
    expect(healthy.endpoints.map((e) => [e.name, e.functions.map((f) => [f.name, f.docstring])])).toEqual([["echo", [["echo", "Return the payload."]]]]);
    expect(healthy.failures).toEqual([]);
    expect(s.diagnosticsOf(join(b, "app.py"))).toEqual([]);
    expect(s.diagnosticsOf(join(a, "broken.py"))).toHaveLength(1);
  });

  it("says once, clearly, that a folder's interpreter lacks runpod_flash, instead of failing every file", async () => {
    const root = copyFixture("basic");
    const bare = join(mkdtempSync(join(tmpdir(), "flash-bare-")), "venv");
    temps.push(bare);
    const { execFileSync } = await import("node:child_process");
    execFileSync("python3", ["-m", "venv", "--without-pip", bare]);
    const python = join(bare, "bin", "python");
    const s = await start([root], () => ({ python: { path: python } }));
    const status = await s.ready(root);
    expect(status.state).toBe("error");
    expect(status.message).toBe(`runpod_flash cannot be imported by ${python}: ModuleNotFoundError: No module named 'runpod_flash'`);
    const model = (await s.model(root))!;
    expect(model.problem).toEqual({
      kind: "sdk-missing",
      message: `runpod_flash cannot be imported by ${python}: ModuleNotFoundError: No module named 'runpod_flash'`,
      installCommand: `"${python}" -m pip install runpod-flash`,
    });
    expect([...s.diagnostics.values()].flat()).toEqual([]);
    expect(s.logs.filter((l) => l.startsWith("showMessage:"))).toEqual([
      `showMessage: Flash (${root.split("/").pop()}): runpod_flash cannot be imported by ${python}: ModuleNotFoundError: No module named 'runpod_flash'`,
    ]);
  });

  it("builds the manifest through workspace/executeCommand, and returns the CLI's refusal where it refuses", async () => {
    const healthy = copyFixture("healthy");
    const broken = copyFixture("basic");
    const s = await start([healthy, broken]);
    await Promise.all([s.ready(healthy), s.ready(broken)]);
    const ok = await s.connection.sendRequest("workspace/executeCommand", { command: "flash.buildManifest", arguments: [uri(healthy)] });
    const path = join(healthy, ".flash", "flash_manifest.json");
    expect(ok).toMatchObject({ ok: true, path, resources: 1, functions: 1, routes: 0 });
    expect(JSON.parse(readFileSync(path, "utf8")).function_registry).toEqual({ echo: "echo" });
    const refused = await s.connection.sendRequest("workspace/executeCommand", { command: "flash.buildManifest", arguments: [uri(broken)] });
    expect(refused).toEqual({
      ok: false,
      exitCode: 1,
      refusals: [
        {
          message:
            "Failed to load:\n  broken.py: SyntaxError: invalid syntax (broken.py, line 6)\n" +
            "  needs_torch.py: ModuleNotFoundError: No module named 'torch'\n" +
            "  no_name.py: ValueError: name is required for load-balanced endpoints. use Endpoint(name='my-api', ...) when registering routes.",
          locations: [
            { uri: uri(join(broken, "broken.py")), line: 5 },
            { uri: uri(join(broken, "needs_torch.py")), line: 0 },
            { uri: uri(join(broken, "no_name.py")), line: 5 },
          ],
        },
      ],
    });
    expect(existsSync(join(broken, ".flash", "flash_manifest.json"))).toBe(false);
  });

  it("shows a manifest refusal on every line involved, linked to the others", async () => {
    const root = copyFixture("refusals");
    const s = await start([root]);
    await s.ready(root);
    const message = "flash build will refuse: Duplicate function name 'process' found in resources 'audio' and 'images'";
    const decorator = { start: { line: 3, character: 1 }, end: { line: 3, character: 40 } };
    expect(s.diagnosticsOf(join(root, "audio.py"))).toEqual([
      {
        range: decorator, severity: 1, code: "manifest-validation", source: "flash", message,
        relatedInformation: [{ location: { uri: uri(join(root, "images.py")), range: { start: { line: 3, character: 1 }, end: { line: 3, character: 41 } } }, message: "also involved" }],
      },
    ]);
    expect(s.diagnosticsOf(join(root, "images.py"))).toEqual([
      {
        range: { start: { line: 3, character: 1 }, end: { line: 3, character: 41 } }, severity: 1, code: "manifest-validation", source: "flash", message,
        relatedInformation: [{ location: { uri: uri(join(root, "audio.py")), range: decorator }, message: "also involved" }],
      },
    ]);
    // Renaming one function clears both.
    const since = s.statuses.length;
    s.save(join(root, "audio.py"), readFileSync(join(root, "audio.py"), "utf8").replace("def process", "def transcribe"));
    await s.ready(root, since);
    await s.waitFor(() => s.diagnosticsOf(join(root, "images.py")).length === 0 && s.diagnosticsOf(join(root, "audio.py")).length === 0, 10_000, "cleared");
  });

  it("reports the first scan of a folder with $/progress, begin to end", async () => {
    const root = copyFixture("healthy");
    const s = await start([root]);
    await s.ready(root);
    await s.waitFor(() => s.progress.some((p) => (p as { value: { kind: string } }).value.kind === "end"), 5000, "progress end");
    const kinds = s.progress.map((p) => (p as { value: { kind: string } }).value.kind);
    expect(kinds[0]).toBe("begin");
    expect(kinds.at(-1)).toBe("end");
    expect((s.progress[0] as { value: { title: string } }).value.title).toBe(`Flash: scanning ${root.split("/").pop()}`);
  });

  it("sends no popup to a client that shows welcome views itself; the model still says why", async () => {
    const root = copyFixture("healthy");
    const s = await start([root], () => ({ python: { path: "/nonexistent/python3" } }), { welcomeViews: true });
    const status = await s.ready(root);
    expect(status.state).toBe("error");
    expect((await s.model(root))!.problem?.kind).toBe("scan-failed");
    expect(s.logs.filter((l) => l.startsWith("showMessage:"))).toEqual([]);
  });

  it("rescans with the new interpreter when the configuration changes", async () => {
    const root = copyFixture("healthy");
    let python = "/nonexistent/python3";
    const s = await start([root], () => ({ python: { path: python } }));
    expect((await s.ready(root)).state).toBe("error");
    const since = s.statuses.length;
    python = PYTHON;
    s.connection.sendNotification("workspace/didChangeConfiguration", { settings: null });
    const status = await s.ready(root, since);
    expect(status).toMatchObject({ state: "ready", interpreter: PYTHON, endpoints: 1, failures: 0 });
    expect((await s.model(root))!.endpoints.map((e) => e.name)).toEqual(["echo"]);
  });
});
