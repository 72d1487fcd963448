// Shared steps of the hostile-corpus runs: copy a case into a temp folder, assert the
// record the user sees and the facts that must survive, and keep the measured times
// for docs/reliability.md.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import type { ScanResult } from "../../shared/src/scan/scanResult";
import { REPO_ROOT } from "../helpers/paths";
import type { HostileCase } from "./hostileCases";

export const HOSTILE_FIXTURES = join(REPO_ROOT, "test", "fixtures", "hostile");

/** Temp copies of hostile fixtures; remove them all in afterAll. */
export class HostileProjects {
  private readonly dirs: string[] = [];

  copy(c: HostileCase): string {
    const parent = realpathSync(mkdtempSync(join(tmpdir(), "flash-hostile-")));
    this.dirs.push(parent);
    const project = join(parent, c.name);
    cpSync(join(HOSTILE_FIXTURES, c.name), project, { recursive: true });
    c.setup?.(project);
    return project;
  }

  removeAll(): void {
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

/** .flash/ is runpod_flash's own (its log); everything else must stay as it was. */
export const notFlashDir = (rel: string) => rel === ".flash" || rel.startsWith(".flash/");

export function endpointsOf(scan: ScanResult): string[] {
  return scan.functions.map((f) => `${f.meta.file_path}:${f.meta.function_name}`).sort();
}

/** The exact record of the hostile module, and every other module's facts. */
export function expectCaseFacts(c: HostileCase, scan: ScanResult): void {
  const own = scan.failures.filter((f) => f.file === c.file);
  if (!c.expect) {
    expect(own, `${c.file} imports cleanly`).toEqual([]);
  } else {
    expect(own, `one record for ${c.file}`).toHaveLength(1);
    const f = own[0];
    expect(f.failure.kind).toBe(c.expect.kind);
    expect(f.failure.type).toBe(c.expect.type);
    if (typeof c.expect.message === "string") expect(f.failure.message).toBe(c.expect.message);
    else expect(f.failure.message).toMatch(c.expect.message);
    expect(f.inImportErrors).toBe(c.expect.inImportErrors);
    if (c.expect.exitCode !== undefined) expect(f.exitCode).toBe(c.expect.exitCode);
    if (c.expect.line === null) expect(f.failure.location).toBeNull();
    else expect(f.failure.location).toMatchObject({ file: c.file, line: c.expect.line });
  }
  const endpoints = [...c.endpoints];
  const others = scan.failures.filter((f) => f.file !== c.file);
  if (c.victim) {
    const after = scan.modules.indexOf(c.victim.file) > scan.modules.indexOf(c.file);
    if (after) {
      expect(others.map((f) => [f.file, f.failure.message])).toEqual([[c.victim.file, c.victim.message]]);
    } else {
      expect(others).toEqual([]);
      endpoints.push(c.victim.endpoint);
    }
  } else {
    expect(others.map((f) => `${f.file}: ${f.failure.message}`), "no other module fails").toEqual([]);
  }
  expect(endpointsOf(scan)).toEqual(endpoints.sort());
  expect(scan.discoveryError).toBeUndefined();
}

/** Measured figures, one JSON file per run, read when docs/reliability.md is written. */
export function saveFigures(name: string, figures: unknown): void {
  const dir = join(REPO_ROOT, "test-results", "hardening");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(figures, null, 2) + "\n");
}

export function readText(path: string): string {
  return readFileSync(path, "utf8");
}
