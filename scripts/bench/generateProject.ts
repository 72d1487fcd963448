// A generated Flash project for benchmarks: 200 modules, 100 endpoints, and one
// module (`core.py`) that 20 others import.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const MODULES = 200;
export const ENDPOINTS = 100;
export const CORE_IMPORTERS = 20;

export function generateProject(root: string): { leaf: string; core: string } {
  mkdirSync(join(root, "workers"), { recursive: true });
  mkdirSync(join(root, "lib"), { recursive: true });
  writeFileSync(join(root, "core.py"), 'SETTINGS = {"region": "eu"}\n\n\ndef helper(x):\n    return x\n');
  for (let i = 0; i < MODULES - 1; i++) {
    const withEndpoint = i < ENDPOINTS;
    const importsCore = i >= ENDPOINTS - CORE_IMPORTERS / 2 && i < ENDPOINTS + CORE_IMPORTERS / 2;
    const lines = ["import json", ""];
    if (importsCore) lines.push("import core", "");
    if (withEndpoint) {
      lines.push("from runpod_flash import Endpoint", "", "");
      lines.push(`@Endpoint(name="worker-${i}", cpu="cpu3c-1-2", workers=(0, 2))`);
      lines.push(`async def handle_${i}(payload: dict) -> dict:`, `    """Worker ${i}."""`, "    return json.loads(json.dumps(payload))");
    } else {
      lines.push(`def util_${i}(x):`, `    return ${importsCore ? "core.helper(x)" : "x"}`);
    }
    writeFileSync(join(root, withEndpoint ? "workers" : "lib", `mod_${i}.py`), lines.join("\n") + "\n");
  }
  return { leaf: join(root, "workers", "mod_0.py"), core: join(root, "core.py") };
}
