// Per-folder settings: asked of the client (workspace/configuration), defaults otherwise.
import type { Connection } from "vscode-languageserver";
import { DEFAULT_SETTINGS, type FlashSettings } from "../../shared/src/protocol/flashProtocol";

export async function readSettings(connection: Connection, folderUri: string, supported: boolean): Promise<FlashSettings> {
  if (!supported) return DEFAULT_SETTINGS;
  try {
    const raw = (await connection.workspace.getConfiguration({ scopeUri: folderUri, section: "flash" })) as Partial<FlashSettings> | null;
    return mergeSettings(raw ?? {});
  } catch {
    return DEFAULT_SETTINGS;
  }
}

/** Takes what is valid from a client's settings object, defaults for the rest. */
export function mergeSettings(raw: Partial<FlashSettings>): FlashSettings {
  const timeout = Number(raw.scan?.timeoutSeconds);
  const memory = Number(raw.scan?.memoryLimitMB);
  return {
    python: { path: typeof raw.python?.path === "string" ? raw.python.path : DEFAULT_SETTINGS.python.path },
    scan: {
      timeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_SETTINGS.scan.timeoutSeconds,
      exclude: Array.isArray(raw.scan?.exclude) ? raw.scan!.exclude.filter((p) => typeof p === "string") : [],
      memoryLimitMB: Number.isFinite(memory) && memory > 0 ? memory : DEFAULT_SETTINGS.scan.memoryLimitMB,
    },
    trace: { server: raw.trace?.server ?? "off" },
  };
}
