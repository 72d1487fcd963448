// Where the tests find the repository, the scan fixtures and the reference interpreter.
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The interpreter with runpod-flash 1.21.0, the reference implementation. */
export const PYTHON = process.env.FLASH_TEST_PYTHON ?? join(REPO_ROOT, ".tools", "venv", "bin", "python");

export const SCAN_FIXTURES = join(REPO_ROOT, "test", "fixtures", "scan");

export const REFERENCE_SCRIPT = join(REPO_ROOT, "test", "reference", "reference_scan.py");
