#!/usr/bin/env node
// Entry point of the bundled CLI (dist/cli.js).
import { main } from "./main";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`flash-ls: internal error: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 70;
  },
);
