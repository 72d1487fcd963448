// Entry point of the bundled server (dist/server.js): `--stdio` or `--node-ipc`.
import { setFlagsFromString } from "node:v8";
import { createConnection, ProposedFeatures } from "vscode-languageserver/node";
import { startServer } from "./server";

// A language server idles most of the time and allocates in short bursts (one scan
// per save): a small young generation keeps its resident memory low at rest.
setFlagsFromString("--max-semi-space-size=1");
setFlagsFromString("--expose-gc");
setFlagsFromString("--optimize-for-size");

// User code never runs in this process, but a bug of ours must not take the editor's
// server down with it: log and carry on (as vscode-eslint does).
process.on("uncaughtException", (e) => process.stderr.write(`flash-ls: uncaught: ${e.stack ?? e}\n`));
process.on("unhandledRejection", (e) => process.stderr.write(`flash-ls: unhandled rejection: ${(e as Error)?.stack ?? e}\n`));

startServer(createConnection(ProposedFeatures.all));
