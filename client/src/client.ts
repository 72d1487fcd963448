// Builds the LanguageClient for dist/server.js (Node IPC). Its configuration
// middleware answers the server's `flash.python.path` with the Python extension's
// interpreter for that folder unless the user set the path themselves.
import * as vscode from "vscode";
import {
  CloseAction,
  ErrorAction,
  ExecuteCommandRequest,
  LanguageClient,
  TransportKind,
  type DynamicFeature,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from "vscode-languageclient/node";
import type { FlashInitializationOptions } from "../../shared/src/protocol/flashProtocol";
import { configuredPythonPath, SECTION } from "./config";
import type { PythonInterpreters } from "./interpreter";
import { log, logChannel } from "./logger";

export interface ClientHooks {
  interpreters: PythonInterpreters;
  /** The server process ended without being asked to. */
  onCrash(): void;
}

export function createClient(context: vscode.ExtensionContext, hooks: ClientHooks): LanguageClient {
  const module = context.asAbsolutePath("dist/server.js");
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    // "Attach to Flash language server" in .vscode/launch.json connects here.
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ["--nolazy", "--inspect=6009"] } },
  };
  // Restarts are ours (ctx.ts, with back-off), not the client's fixed policy.
  const errorHandler: ErrorHandler = {
    error: () => ({ action: ErrorAction.Continue, handled: true }),
    closed: () => {
      hooks.onCrash();
      return { action: CloseAction.DoNotRestart, handled: true };
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "file", language: "python" }],
    // Our views explain a missing interpreter or SDK themselves: no popups from the server.
    initializationOptions: { welcomeViews: true } satisfies FlashInitializationOptions,
    outputChannel: logChannel(),
    traceOutputChannel: logChannel(),
    errorHandler,
    middleware: {
      workspace: {
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) return answers;
          return Promise.all(answers.map((answer, i) => withInterpreter(params.items[i], answer, hooks.interpreters)));
        },
      },
    },
  };
  return new FlashLanguageClient("flash", "Flash", serverOptions, clientOptions);
}

/**
 * The server offers `flash.buildManifest` and `flash.refresh` through
 * workspace/executeCommand for editors without our client; registering them as VS Code
 * commands would collide with ours (commands.ts), which use the typed requests instead.
 */
class FlashLanguageClient extends LanguageClient {
  override registerFeature(feature: Parameters<LanguageClient["registerFeature"]>[0]): void {
    if ((feature as Partial<DynamicFeature<unknown>>).registrationType?.method === ExecuteCommandRequest.method) return;
    super.registerFeature(feature);
  }
}

/** Fills `python.path` of a folder's `flash` section from the Python extension when the user left it empty. */
async function withInterpreter(item: { section?: string; scopeUri?: string }, answer: unknown, interpreters: PythonInterpreters): Promise<unknown> {
  if (item.section !== SECTION || !item.scopeUri || !answer || typeof answer !== "object") return answer;
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(item.scopeUri));
  if (!folder || configuredPythonPath(folder)) return answer;
  const path = await interpreters.interpreterFor(folder);
  if (!path) return answer;
  log.debug(`${folder.name}: using the Python extension's interpreter ${path}`);
  const settings = answer as { python?: Record<string, unknown> };
  return { ...settings, python: { ...settings.python, path } };
}
