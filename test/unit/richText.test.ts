// Rich's markup rendering, checked against the real rich in the test venv.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { richPlainText } from "../../shared/src/manifest/richText";

const PYTHON = join(__dirname, "..", "..", ".tools", "venv", "bin", "python");
const CASES = [
  "plain text",
  "[red]✗[/red] No Python files found in /tmp/x",
  "1 validation error for LiveServerless\n  Value error, Multiple volumes in datacenter EU-RO-1. [type=value_error, input_value={'name': 'x'}, input_type=dict]",
  "found ['3.11', '3.12']: a=3.11",
  "escaped \\[bold] tag and \\\\[red]double[/red] backslash",
  "path /tmp/[abc]/x.py and [#ff0000]hex[/#ff0000] and [@click]handler[/]",
  "Run [bold]flash init[/bold] to create a Flash project",
  "a [ lone bracket ] and [1, 2] lists",
];

describe("richPlainText", () => {
  it("prints what rich.markup.render's plain text is, for messages flash build prints", () => {
    const script = "import json,sys\nfrom rich.markup import render\nprint(json.dumps([render(s, emoji=False).plain for s in json.load(sys.stdin)]))";
    const r = spawnSync(PYTHON, ["-c", script], { input: JSON.stringify(CASES), encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(CASES.map(richPlainText)).toEqual(JSON.parse(r.stdout));
  });
});
