// The atomic manifest write, and the sweep of temporary files that killed writers left.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFileAtomically } from "../../shared/src/manifest/writeManifestFile";

/** The pid of a process that has already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", "0"]).pid!;
}

describe("writeFileAtomically", () => {
  it("writes the text, and removes temporary files of writers that are gone but not of live ones", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flash-write-"));
    const target = join(dir, "flash_manifest.json");
    writeFileSync(target, "old");
    const stale = `.flash_manifest.json.${deadPid()}.0badc0de.tmp`;
    const live = `.flash_manifest.json.${process.ppid}.0badc0de.tmp`;
    writeFileSync(join(dir, stale), "{ partial");
    writeFileSync(join(dir, live), "{ being written");
    writeFileSync(join(dir, "unrelated.tmp"), "");
    await writeFileAtomically(target, '{\n  "version": "1.0"\n}');
    expect(readFileSync(target, "utf8")).toBe('{\n  "version": "1.0"\n}');
    expect(readdirSync(dir).sort()).toEqual([live, "flash_manifest.json", "unrelated.tmp"].sort());
  });
});
