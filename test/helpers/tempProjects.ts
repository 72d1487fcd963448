// Fresh copies of fixture projects in the system temp folder: a scan (and the
// reference's .flash/.build) never writes into the repository.
import { cpSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SCAN_FIXTURES } from "./paths";

/** Every fixture folder under test/fixtures/scan, sorted. */
export function listScanFixtures(): string[] {
  return readdirSync(SCAN_FIXTURES)
    .filter((name) => statSync(join(SCAN_FIXTURES, name)).isDirectory())
    .sort();
}

/** Temp folders created by one test file; remove them all in afterAll. */
export class TempProjects {
  private readonly dirs: string[] = [];

  /** Copies fixture `name` to a new temp folder; the project keeps its fixture name. */
  copy(name: string): string {
    // Real path, as Python's Path.resolve() reports it in messages.
    const parent = realpathSync(mkdtempSync(join(tmpdir(), "flash-scan-test-")));
    this.dirs.push(parent);
    const project = join(parent, name);
    cpSync(join(SCAN_FIXTURES, name), project, { recursive: true });
    return project;
  }

  removeAll(): void {
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}
