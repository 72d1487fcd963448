// Runs runpod-flash 1.21.0's real ManifestBuilder on test scenarios in one Python process.
// Only the re-import is replaced: a scenario's config stands for what re-importing the
// resource's file would have returned (a client without one goes through the CLI's own
// failing-import path), and an exit raises SystemExit where the CLI would re-import.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const PYTHON =
  process.env.FLASH_TEST_PYTHON ?? join(fileURLToPath(new URL("../..", import.meta.url)), ".tools", "venv", "bin", "python");

const HARNESS = String.raw`
import json, logging, os, shutil, sys, tempfile
# The SDK prints notices and logs to stdout: results go to a private copy of it.
results_out = os.fdopen(os.dup(1), "w")
os.dup2(2, 1)
from pathlib import Path
from runpod_flash.cli.commands.build_utils import manifest as manifest_module
from runpod_flash.cli.commands.build_utils.manifest import ManifestBuilder
from runpod_flash.cli.commands.build_utils.scanner import RemoteFunctionMetadata

warnings = []
class Capture(logging.Handler):
    def emit(self, record):
        if record.levelno >= logging.WARNING:
            warnings.append(record.getMessage())
manifest_module.logger.addHandler(Capture())

def encode(config):
    try:
        return [json.dumps(config), None]
    except Exception as e:
        return [None, "%s: %s" % (type(e).__name__, e)]

spec = None
order = []
original_client = ManifestBuilder._extract_client_deployment_config

def fake_resource(self, name, config_variable, resource_type):
    order.append(["resources", name])
    if spec["exit"] and spec["exit"]["kind"] == "resources" and spec["exit"]["name"] == name:
        raise SystemExit(spec["exit"]["code"])
    return dict(spec["_configs"].get(name, {}))

def fake_client(self, name, info):
    order.append(["clients", name])
    if spec["exit"] and spec["exit"]["kind"] == "clients" and spec["exit"]["name"] == name:
        raise SystemExit(spec["exit"]["code"])
    if name in spec["_clientConfigs"]:
        return dict(spec["_clientConfigs"][name][0]), spec["_clientConfigs"][name][1]
    self._import_module = lambda path: (None, lambda: None)
    return original_client(self, name, info)

ManifestBuilder._extract_deployment_config = fake_resource
ManifestBuilder._extract_client_deployment_config = fake_client

results = {}
for spec in json.load(sys.stdin):
    root = Path(tempfile.mkdtemp())
    def touch(rel):
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.touch()
        return p
    functions = [RemoteFunctionMetadata(**{**f, "file_path": touch(f["file_path"])}) for f in spec["functions"]]
    class Scanner: pass
    scanner = Scanner()
    scanner.client_endpoints = {
        c["name"]: {"var_name": c["var_name"], "file_path": touch(c["file_path"]), "module_path": c["module_path"], "object_id": 1, "image": "img"}
        for c in spec["clients"]
    }
    spec["_configs"] = {k: eval(v) for k, v in spec["configs"].items()}
    spec["_clientConfigs"] = {k: (eval(v[0]), v[1]) for k, v in spec["clientConfigs"].items()}
    out = {"configJson": {}, "order": order}
    for k, v in spec["_configs"].items():
        out["configJson"]["resources:" + k] = encode(v)
    for k, v in spec["_clientConfigs"].items():
        out["configJson"]["clients:" + k] = encode(v[0])
    order.clear()
    warnings.clear()
    builder = ManifestBuilder("proj", functions, scanner, build_dir=root, python_version=spec["override"])
    try:
        m = builder.build()
        m["generated_at"] = spec["generatedAt"]
        m["source_fingerprint"] = spec["fingerprint"]
        try:
            out["text"] = json.dumps(m, indent=2)
        except Exception as e:
            out["dumpsError"] = "%s: %s" % (type(e).__name__, e)
    except ValueError as e:
        out["error"] = str(e).replace(str(root) + "/", "")
    except SystemExit as e:
        out["exit"] = e.code
    out["order"] = list(order)
    out["warnings"] = list(warnings)
    results[spec["id"]] = out
    shutil.rmtree(root)
results_out.write(json.dumps(results))
results_out.flush()
`;

/** Runs the harness (or other Python code) with `input` on stdin; returns stdout. */
export function python(code: "harness" | string, input = ""): string {
  const r = spawnSync(PYTHON, ["-c", code === "harness" ? HARNESS : code], { input, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}
