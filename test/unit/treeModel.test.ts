// The Endpoints tree as data: server model → item descriptors, without VS Code.
import { describe, expect, test } from "vitest";
import { buildTree, welcomeState, type FolderModel, type TreeItemDescriptor } from "../../client/src/treeModel";
import type { EndpointModel } from "../../shared/src/protocol/endpointModel";

const F = "file:///work/basic";
const at = (file: string, line: number, character = 0) => ({ uri: `${F}/${file}`, line, character });

/** The server's model of test/fixtures/lsp/basic (runpod-flash 1.21.0), trimmed. */
function basicModel(): EndpointModel {
  return {
    folderUri: F,
    root: "/work/basic",
    source: "runtime",
    interpreter: { path: "/work/basic/.venv/bin/python", python: "3.11.7", flashVersion: "1.21.0" },
    endpoints: [
      {
        name: "api", resourceType: "CpuLiveLoadBalancer", loadBalanced: true, live: true, local: false,
        description: "CpuLiveLoadBalancer · load-balanced · cpu cpu3c-1-2 · workers 0–1",
        file: "api.py", location: at("api.py", 4), configVariable: "api",
        functions: [
          { name: "predict", kind: "function", isAsync: true, params: ["body"], docstring: null, location: at("api.py", 8), methods: [], route: { method: "POST", path: "/predict" } },
        ],
        calls: ["worker"], calledBy: [],
      },
      {
        name: "worker", resourceType: "LiveServerless", loadBalanced: false, live: true, local: false,
        description: "LiveServerless · queue · gpu ADA_24 · workers 0–2",
        file: "worker.py", location: at("worker.py", 3), configVariable: null,
        functions: [
          { name: "infer", kind: "function", isAsync: true, params: ["body"], docstring: null, location: at("worker.py", 4), methods: [] },
          {
            name: "Embedder", kind: "class", isAsync: false, params: [], docstring: "Embeds text.", location: at("worker.py", 9),
            methods: [{ name: "embed", params: ["text"], docstring: "One vector." }],
          },
        ],
        calls: [], calledBy: ["api"],
      },
    ],
    crossCalls: [{ fromEndpoint: "api", fromFunction: "predict", toEndpoint: "worker", toFunction: "infer", text: "worker.infer", location: at("api.py", 9, 17) }],
    failures: [
      { file: "broken.py", kind: "syntax", message: "SyntaxError: invalid syntax (broken.py, line 6)", hint: null, location: at("broken.py", 5, 14) },
      {
        file: "needs_torch.py", kind: "missing-module", message: "ModuleNotFoundError: No module named 'torch'",
        hint: "'torch' is listed in dependencies=[...]", location: at("needs_torch.py", 0),
      },
    ],
    clients: [],
    scannedAt: 1,
  };
}

const open = (location: unknown) => ({ command: "flash.openLocation", title: "Open", arguments: [{ location }] });

/** Label → children, the shape a person sees in the view. */
function outline(items: TreeItemDescriptor[]): unknown[] {
  return items.map((i) => (i.children.length ? { [`${i.label} | ${i.description ?? ""}`]: outline(i.children) } : `${i.label} | ${i.description ?? ""}`));
}

describe("buildTree", () => {
  test("a single folder shows its endpoints, routes, functions, cross-calls and failures at the top level", () => {
    const tree = buildTree([{ name: "basic", uri: F, model: basicModel() }]);
    expect(outline(tree)).toEqual([
      {
        "api | CpuLiveLoadBalancer · load-balanced · cpu cpu3c-1-2 · workers 0–1": ["POST /predict | predict", "calls → worker | predict → infer"],
      },
      {
        "worker | LiveServerless · queue · gpu ADA_24 · workers 0–2": [
          "infer | async (body)",
          { "Embedder | 1 method": ["embed | (text)"] },
          "called by ← api | predict → infer",
        ],
      },
      {
        "Failed to load | 2": [
          "broken.py | SyntaxError: invalid syntax (broken.py, line 6)",
          "needs_torch.py | ModuleNotFoundError: No module named 'torch'",
        ],
      },
    ]);
  });

  test("endpoint items carry a stable id, an icon per kind, a context value and open their definition", () => {
    const [api, worker] = buildTree([{ name: "basic", uri: F, model: basicModel() }]);
    expect({ ...api, children: undefined, tooltip: undefined }).toEqual({
      id: `${F}#endpoint:api`,
      label: "api",
      description: "CpuLiveLoadBalancer · load-balanced · cpu cpu3c-1-2 · workers 0–1",
      icon: "globe",
      contextValue: "endpoint.loadBalanced",
      collapsible: "expanded",
      command: open(at("api.py", 4)),
      children: undefined,
      tooltip: undefined,
    });
    expect([worker.id, worker.icon, worker.contextValue]).toEqual([`${F}#endpoint:worker`, "inbox", "endpoint.queue"]);
  });

  test("children have ids derived from names and commands to their source lines", () => {
    const [api, worker, failed] = buildTree([{ name: "basic", uri: F, model: basicModel() }]);
    const [route, calls] = api.children;
    expect(route).toMatchObject({ id: `${F}#endpoint:api/route:POST /predict`, contextValue: "route", icon: "symbol-event", command: open(at("api.py", 8)) });
    expect(calls).toMatchObject({ id: `${F}#endpoint:api/calls:worker`, contextValue: "crossCall", icon: "arrow-right", command: open(at("api.py", 9, 17)) });
    const [infer, embedder, calledBy] = worker.children;
    expect(infer).toMatchObject({ id: `${F}#endpoint:worker/function:infer`, icon: "symbol-function", command: open(at("worker.py", 4)) });
    expect(embedder).toMatchObject({ id: `${F}#endpoint:worker/class:Embedder`, icon: "symbol-class", collapsible: "collapsed", tooltip: "Embeds text." });
    expect(embedder.children[0]).toMatchObject({
      id: `${F}#endpoint:worker/class:Embedder/method:embed`,
      command: { command: "flash.openLocation", title: "Open", arguments: [{ location: at("worker.py", 9), method: "embed" }] },
    });
    expect(calledBy).toMatchObject({ id: `${F}#endpoint:worker/calledBy:api`, label: "called by ← api", icon: "arrow-left" });
    expect(failed).toMatchObject({ id: `${F}#failed`, icon: "error", contextValue: "failures" });
    expect(failed.children[1]).toMatchObject({
      id: `${F}#failed:needs_torch.py`,
      contextValue: "failure",
      command: open(at("needs_torch.py", 0)),
      tooltip: "**needs_torch.py** — missing-module\n\nModuleNotFoundError: No module named 'torch'\n\n'torch' is listed in dependencies=[...]",
    });
  });

  test("ids do not depend on line numbers, so a rescan that moves code keeps expansion", () => {
    const moved = basicModel();
    for (const ep of moved.endpoints) for (const fn of ep.functions) fn.location = { ...fn.location!, line: fn.location!.line + 10 };
    const ids = (t: TreeItemDescriptor[]): string[] => t.flatMap((i) => [i.id, ...ids(i.children)]);
    expect(ids(buildTree([{ name: "basic", uri: F, model: moved }]))).toEqual(ids(buildTree([{ name: "basic", uri: F, model: basicModel() }])));
  });

  test("a function discovered twice gets a second, distinct id for itself and its children", () => {
    const model = basicModel();
    const worker = model.endpoints[1];
    worker.functions.push({ ...worker.functions[1], alsoFoundIn: "reexport.py" });
    const items = buildTree([{ name: "basic", uri: F, model }])[1].children;
    expect(items.map((i) => i.id)).toEqual([
      `${F}#endpoint:worker/function:infer`,
      `${F}#endpoint:worker/class:Embedder`,
      `${F}#endpoint:worker/class:Embedder#2`,
      `${F}#endpoint:worker/calledBy:api`,
    ]);
    expect(items[2].children[0].id).toBe(`${F}#endpoint:worker/class:Embedder#2/method:embed`);
    expect(items[2].description).toBe("1 method · also in reexport.py");
  });

  test("a static model marks each endpoint (static) and its context value", () => {
    const model = { ...basicModel(), source: "static" as const, failures: [], problem: { kind: "untrusted" as const, message: "Restricted Mode" } };
    const [api] = buildTree([{ name: "basic", uri: F, model }]);
    expect(api.description).toBe("CpuLiveLoadBalancer · load-balanced · cpu cpu3c-1-2 · workers 0–1 (static)");
    expect(api.contextValue).toBe("endpoint.loadBalanced.static");
  });

  test("a single folder without endpoints leaves the tree empty for the welcome view", () => {
    const empty = { ...basicModel(), endpoints: [], crossCalls: [], failures: [] };
    expect(buildTree([{ name: "basic", uri: F, model: empty }])).toEqual([]);
    expect(buildTree([{ name: "basic", uri: F, model: null }])).toEqual([]);
  });

  test("several folders each get a node with a summary, and a problem item that offers the fix", () => {
    const G = "file:///work/other";
    const missing: EndpointModel = {
      ...basicModel(), folderUri: G, endpoints: [], crossCalls: [], failures: [], interpreter: null, scannedAt: 0,
      problem: { kind: "sdk-missing", message: "runpod_flash cannot be imported", installCommand: '"/usr/bin/python3" -m pip install runpod-flash' },
    };
    const folders: FolderModel[] = [{ name: "basic", uri: F, model: basicModel() }, { name: "other", uri: G, model: missing }, { name: "new", uri: "file:///n", model: null }];
    const [basic, other, fresh] = buildTree(folders);
    expect([basic.id, basic.label, basic.description, basic.contextValue, basic.children.length]).toEqual([F, "basic", "2 endpoints · 2 failed", "folder", 3]);
    expect([other.label, other.description]).toEqual(["other", "0 endpoints · sdk-missing"]);
    expect(other.children).toEqual([
      {
        id: `${G}#problem`,
        label: "runpod_flash cannot be imported",
        icon: "warning",
        iconColor: "problemsWarningIcon.foreground",
        contextValue: "problem.sdk-missing",
        collapsible: "none",
        tooltip: 'runpod_flash cannot be imported\n\nInstall with `"/usr/bin/python3" -m pip install runpod-flash`',
        command: { command: "flash.installSdk", title: "Install runpod-flash", arguments: [G] },
        children: [],
      },
    ]);
    expect([fresh.description, fresh.children]).toEqual(["loading…", []]);
  });
});

describe("welcomeState", () => {
  const one = (model: EndpointModel | null): FolderModel[] => [{ name: "basic", uri: F, model }];
  const empty = (): EndpointModel => ({ ...basicModel(), endpoints: [], crossCalls: [], failures: [] });

  test("names what an empty single-folder tree should explain", () => {
    expect(welcomeState(one(null))).toBe("loading");
    expect(welcomeState(one({ ...empty(), scannedAt: 0 }))).toBe("loading");
    expect(welcomeState(one(basicModel()))).toBe("none");
    expect(welcomeState(one(empty()))).toBe("no-endpoints");
    expect(welcomeState(one({ ...empty(), problem: { kind: "no-interpreter", message: "" } }))).toBe("no-interpreter");
    expect(welcomeState(one({ ...empty(), problem: { kind: "sdk-missing", message: "" } }))).toBe("sdk-missing");
    expect(welcomeState(one({ ...empty(), source: "static", problem: { kind: "untrusted", message: "" } }))).toBe("untrusted");
  });

  test("several folders never show a welcome view: their nodes carry the problems", () => {
    expect(welcomeState([...one(null), { name: "b", uri: "file:///b", model: null }])).toBe("none");
  });
});
