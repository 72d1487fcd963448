#!/usr/bin/env node
// `flash-ls` (dist/cli.js): the language server with --stdio / --node-ipc / --socket,
// otherwise the command line of the shared core.
import { main } from "../../shared/src/cli/main";

const argv = process.argv.slice(2);
if (argv.some((a) => a === "--stdio" || a === "--node-ipc" || a.startsWith("--socket") || a.startsWith("--pipe"))) {
  require("./main");
} else {
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`flash-ls: internal error: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 70;
    },
  );
}
