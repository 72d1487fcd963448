// Every custom message between the Flash language server and its clients, declared
// once. Client and server build their typed RequestType/NotificationType from these
// names and types, so a renamed field fails to compile on both sides.
import type { EndpointModel } from "./endpointModel";

export const FlashMethods = {
  /** request: the endpoint model of one workspace folder. */
  endpointModel: "flash/endpointModel",
  /** notification (server → client): a folder's model changed; ask again. */
  modelChanged: "flash/modelChanged",
  /** request: build .flash/flash_manifest.json for a folder. */
  buildManifest: "flash/buildManifest",
  /** notification (server → client): health of the server and its folders. */
  status: "flash/status",
  /** request: rescan a folder (or all) from scratch. */
  refresh: "flash/refresh",
} as const;

/** Commands the server executes through workspace/executeCommand. */
export const FlashCommands = {
  buildManifest: "flash.buildManifest",
  refresh: "flash.refresh",
} as const;

export interface EndpointModelParams {
  folderUri: string;
}
export type EndpointModelResult = EndpointModel | null;

export interface ModelChangedParams {
  folderUri: string;
  version: number;
}

export interface BuildManifestParams {
  folderUri?: string;
  pythonVersion?: string;
}

export interface ManifestRefusal {
  message: string;
  /** Project files and lines involved, as LSP locations. */
  locations: { uri: string; line: number }[];
}

export type BuildManifestResult =
  | { ok: true; path: string; resources: number; functions: number; routes: number; durationMs: number }
  | { ok: false; exitCode: number; refusals: ManifestRefusal[] };

export type HealthState = "starting" | "scanning" | "ready" | "error";

export interface StatusParams {
  state: HealthState;
  message: string;
  folderUri?: string;
  endpoints?: number;
  failures?: number;
  interpreter?: string;
  flashVersion?: string | null;
}

export interface RefreshParams {
  folderUri?: string;
}

/** What a client tells the server in `initialize`. */
export interface FlashInitializationOptions {
  /** The client shows welcome views for a missing interpreter or SDK: the server sends no popups. */
  welcomeViews?: boolean;
}

/** Resource-scoped settings, read per workspace folder. */
export interface FlashSettings {
  python: { path: string };
  scan: { timeoutSeconds: number; exclude: string[]; memoryLimitMB: number };
  trace: { server: "off" | "messages" | "verbose" };
}

export const DEFAULT_SETTINGS: FlashSettings = {
  python: { path: "" },
  scan: { timeoutSeconds: 30, exclude: [], memoryLimitMB: 4096 },
  trace: { server: "off" },
};

export type { EndpointModel };
