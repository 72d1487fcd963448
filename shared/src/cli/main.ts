// flash-ls: the command line on the shared core. `scan` prints what the editor sees;
// `manifest` writes what `flash build` writes.
import { parseArgs } from "node:util";
import { runScanCommand } from "./scanCommand";

const USAGE = `flash-ls — Flash language tools

Usage:
  flash-ls scan [DIR] [--python PATH] [--json] [--timeout S] [--memory-limit MB] [--no-exec]
  flash-ls manifest [DIR] [--python PATH] [--python-version X.Y] [--out FILE] [--timeout S] [--memory-limit MB]
  flash-ls --stdio | --node-ipc          start the language server

Interpreter: --python, else FLASH_PYTHON, else DIR/.venv, else python3/python on PATH.
--timeout: seconds one module's import may take (30). --memory-limit: megabytes of
address space the scanning Python process may use (4096). --no-exec: read the
decorators only; no interpreter is started and no module is imported.
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "-h" || command === "--help") {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  try {
    if (command === "scan") {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          python: { type: "string" },
          json: { type: "boolean" },
          timeout: { type: "string" },
          "memory-limit": { type: "string" },
          "no-exec": { type: "boolean" },
        },
      });
      return await runScanCommand({
        dir: positionals[0] ?? ".",
        python: values.python,
        json: !!values.json,
        timeout: values.timeout,
        memoryLimit: values["memory-limit"],
        noExec: !!values["no-exec"],
      });
    }
    if (command === "manifest") {
      const { runManifestCommand } = await import("./manifestCommand");
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          python: { type: "string" },
          "python-version": { type: "string" },
          out: { type: "string" },
          timeout: { type: "string" },
          "memory-limit": { type: "string" },
        },
      });
      return await runManifestCommand({
        dir: positionals[0] ?? ".",
        python: values.python,
        pythonVersion: values["python-version"],
        out: values.out,
        timeout: values.timeout,
        memoryLimit: values["memory-limit"],
      });
    }
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`flash-ls: ${(e as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  process.stderr.write(`flash-ls: unknown command '${command}'\n\n${USAGE}`);
  return 2;
}
