// The static read of decorators (Restricted Mode): exact endpoints from small sources.
import { describe, expect, test } from "vitest";
import { staticScan, STATIC_SCAN_MESSAGE, type PythonSource } from "../../shared/src/static/staticScan";

const F = "file:///p";
const scan = (sources: Record<string, string>) =>
  staticScan({ folderUri: F, root: "/p", sources: Object.entries(sources).map(([file, text]): PythonSource => ({ file, text })), scannedAt: 7 });
const at = (file: string, line: number, character: number) => ({ uri: `${F}/${file}`, line, character });
const src = (...lines: string[]) => lines.join("\n") + "\n";

describe("staticScan", () => {
  test("a queue-based @Endpoint(...) function is one endpoint, located at its decorator", () => {
    const model = scan({
      "worker.py": src(
        "from runpod_flash import Endpoint, GpuGroup",
        "",
        "",
        '@Endpoint(name="gpu-inference", gpu=GpuGroup.ADA_24, workers=(0, 3))',
        "def infer(image_url: str, top_k: int = 5) -> dict:",
        '    """Classify an image.',
        "",
        '    More text."""',
        "    return {}",
      ),
    });
    expect(model).toEqual({
      folderUri: F,
      root: "/p",
      source: "static",
      interpreter: null,
      endpoints: [
        {
          name: "gpu-inference",
          resourceType: "LiveServerless",
          loadBalanced: false,
          live: true,
          local: false,
          description: "LiveServerless · queue · gpu ADA_24 · workers 0–3",
          file: "worker.py",
          location: at("worker.py", 3, 0),
          configVariable: null,
          functions: [
            { name: "infer", kind: "function", isAsync: true, params: ["image_url", "top_k"], docstring: "Classify an image.", location: at("worker.py", 4, 0), methods: [] },
          ],
          calls: [],
          calledBy: [],
        },
      ],
      crossCalls: [],
      failures: [],
      clients: [],
      problem: { kind: "untrusted", message: STATIC_SCAN_MESSAGE },
      scannedAt: 7,
    });
  });

  test("routes on a module-level Endpoint make one load-balanced endpoint, functions in name order", () => {
    const model = scan({
      "api.py": src(
        "from runpod_flash import Endpoint",
        "",
        'api = Endpoint(name="public-api", cpu="cpu3c-1-2", workers=(1, 4))',
        "",
        '@api.post("/classify")',
        "async def classify(body: dict) -> dict:",
        "    return body",
        "",
        '@api.get("/health")',
        "def health() -> dict:",
        '    return {"ok": True}',
      ),
    });
    const [ep] = model.endpoints;
    expect({ ...ep, functions: undefined }).toEqual({
      name: "public-api",
      resourceType: "CpuLiveLoadBalancer",
      loadBalanced: true,
      live: true,
      local: false,
      description: "CpuLiveLoadBalancer · load-balanced · cpu cpu3c-1-2 · workers 1–4",
      file: "api.py",
      location: at("api.py", 2, 0),
      configVariable: "api",
      functions: undefined,
      calls: [],
      calledBy: [],
    });
    expect(ep.functions.map((f) => [f.name, f.isAsync, f.route, f.location?.line])).toEqual([
      ["classify", true, { method: "POST", path: "/classify" }, 5],
      ["health", false, { method: "GET", path: "/health" }, 9],
    ]);
  });

  test("@remote finds its resource in the module, inline, or imported from another module", () => {
    const model = scan({
      "jobs.py": src(
        "from runpod_flash import CpuLiveLoadBalancer, LiveServerless, remote",
        "from resources import gpu_pool as pool",
        "import resources",
        "",
        'balancer = CpuLiveLoadBalancer(name="cpu-lb")',
        "",
        '@remote(balancer, method="DELETE", path="/cache")',
        "def clear_cache() -> dict:",
        "    return {}",
        "",
        '@remote(LiveServerless(name="inline-upscaler"), local=True)',
        "def upscale(image): ...",
        "",
        "@remote(pool)",
        "async def render(scene): ...",
        "",
        "@remote(resource_config=resources.cpu_pool)",
        "async def translate(text): ...",
      ),
      "resources.py": src(
        "from runpod_flash import CpuLiveServerless, LiveServerless",
        'gpu_pool = LiveServerless(name="shared-gpu-pool", workersMax=4)',
        'cpu_pool = CpuLiveServerless(name="shared-cpu-pool", instanceIds=[CpuInstanceType.CPU3G_2_8])',
      ),
    });
    expect(model.endpoints.map((e) => [e.name, e.description, e.configVariable, e.location, e.functions.map((f) => `${f.name}:${f.isAsync}`)])).toEqual([
      ["cpu-lb", "CpuLiveLoadBalancer · load-balanced · workers 0–1", "balancer", at("jobs.py", 4, 11), ["clear_cache:false"]],
      ["shared-gpu-pool", "LiveServerless · queue · workers 0–4", "pool", at("jobs.py", 13, 1), ["render:true"]],
      ["shared-cpu-pool", "CpuLiveServerless · queue · cpu cpu3g-2-8 · workers 0–1", null, at("jobs.py", 16, 1), ["translate:true"]],
      ["inline-upscaler", "LiveServerless · queue · workers 0–1 · local", null, at("jobs.py", 10, 1), ["upscale:true"]],
    ]);
    expect(model.endpoints.map((e) => [e.loadBalanced, e.local])).toEqual([[true, false], [false, false], [false, false], [false, true]]);
  });

  test("a decorated class lists its public methods with parameters, less self, *args, static and class methods", () => {
    const model = scan({
      "svc.py": src(
        "from runpod_flash import Endpoint",
        "",
        "@Endpoint(gpu=GpuGroup.ADA_24)",
        "class TextService:",
        '    """Generates text."""',
        "    def __init__(self, device='cuda'):",
        "        self.device = device",
        "    def generate(self, prompt: str, max_tokens: int = 64, *, temperature: float = 0.7) -> str:",
        '        """Complete a prompt."""',
        "        return prompt",
        "    async def stream(self, prompt, *args, stop=None, **kwargs):",
        "        yield prompt",
        "    @staticmethod",
        "    def version() -> str:",
        "        return '1'",
        "    @property",
        "    def ready(self) -> bool:",
        "        return True",
        "    def _private(self): ...",
      ),
    });
    const [ep] = model.endpoints;
    expect([ep.name, ep.description]).toEqual(["TextService", "LiveServerless · queue · gpu ADA_24 · workers 0–1"]);
    expect(ep.functions).toEqual([
      {
        name: "TextService",
        kind: "class",
        isAsync: false, // an async generator is not a coroutine function
        params: [],
        docstring: "Generates text.",
        location: at("svc.py", 3, 0),
        methods: [
          { name: "generate", params: ["prompt", "max_tokens", "temperature"], docstring: "Complete a prompt." },
          { name: "stream", params: ["prompt", "stop"], docstring: null },
        ],
      },
    ]);
  });

  test("calls between endpoints are found through module imports and imported names", () => {
    const model = scan({
      "api.py": src(
        "from runpod_flash import Endpoint",
        "import worker",
        "from prep import resize",
        'api = Endpoint(name="api")',
        '@api.post("/predict")',
        "async def predict(body):",
        "    small = await resize(body)",
        "    return await worker.infer(small)  # not worker.other()",
      ),
      "worker.py": src("from runpod_flash import Endpoint", '@Endpoint(name="worker")', "async def infer(body): ..."),
      "prep.py": src("from runpod_flash import Endpoint", '@Endpoint(name="prep")', "def resize(body): ..."),
    });
    expect(model.crossCalls).toEqual([
      { fromEndpoint: "api", fromFunction: "predict", toEndpoint: "prep", toFunction: "resize", text: "resize", location: at("api.py", 6, 18) },
      { fromEndpoint: "api", fromFunction: "predict", toEndpoint: "worker", toFunction: "infer", text: "worker.infer", location: at("api.py", 7, 17) },
    ]);
    const byName = Object.fromEntries(model.endpoints.map((e) => [e.name, [e.calls, e.calledBy]]));
    expect(byName).toEqual({ api: [["prep", "worker"], []], worker: [[], ["api"]], prep: [[], ["api"]] });
  });

  test("decorators in strings, comments and nested functions are not endpoints", () => {
    const model = scan({
      "notes.py": src(
        '"""Usage:',
        '@Endpoint(name="in-docstring")',
        'def f(): ...',
        '"""',
        '# @Endpoint(name="in-comment")',
        "def outer():",
        '    @Endpoint(name="nested")',
        "    def inner(): ...",
        "    return inner",
        'TEMPLATE = \'@Endpoint(name="in-string")\'',
      ),
    });
    expect(model.endpoints).toEqual([]);
  });

  test("routes on an Endpoint without a name fail like the SDK does, at the route decorator", () => {
    const model = scan({
      "no_name.py": src("from runpod_flash import Endpoint", "", 'ep = Endpoint(cpu="cpu3c-1-2")', "", "", '@ep.get("/status")', "async def status(): ..."),
    });
    expect(model.endpoints).toEqual([]);
    expect(model.failures).toEqual([
      {
        file: "no_name.py",
        kind: "validation",
        hint: null,
        location: at("no_name.py", 5, 1),
        message: "ValueError: name is required for load-balanced endpoints. use Endpoint(name='my-api', ...) when registering routes.",
      },
    ]);
  });

  test("an Endpoint with image= that decorates nothing is a client; id= attaches to an existing one", () => {
    const model = scan({
      "clients.py": src(
        "from runpod_flash import Endpoint",
        'existing = Endpoint(id="abc123xyz")',
        'vllm = Endpoint(name="vllm-server", image="vllm/vllm-openai:v0.6.0")',
      ),
      "more.py": src("from runpod_flash import Endpoint", 'again = Endpoint(name="vllm-server", image="vllm/vllm-openai:v0.6.0")'),
    });
    expect(model.clients).toEqual([{ name: "vllm-server", image: "vllm/vllm-openai:v0.6.0", location: at("clients.py", 2, 0) }]);
  });

  test("multi-line decorators with comments, trailing commas and a byte-order mark parse", () => {
    const model = scan({
      "my worker.py": src(
        "\uFEFFfrom runpod_flash import Endpoint as E",
        "@E(",
        '    name="spaced",  # the endpoint name',
        "    workers=2,",
        ")",
        "async def run(x, /, y): ...",
      ),
    });
    expect(model.endpoints.map((e) => [e.name, e.description, e.location, e.functions[0].params])).toEqual([
      ["spaced", "LiveServerless · queue · workers 0–2", { uri: `${F}/my%20worker.py`, line: 1, character: 0 }, ["x", "y"]],
    ]);
  });
});
