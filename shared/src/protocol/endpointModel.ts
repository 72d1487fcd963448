// The endpoint model a client shows: endpoints → functions/classes/routes with
// locations, cross-call edges and failed files. Plain JSON, LSP-style positions
// (0-based lines and characters).

export interface ModelLocation {
  uri: string;
  line: number;
  character: number;
}

export interface ModelFunction {
  name: string;
  kind: "function" | "class";
  isAsync: boolean;
  params: string[];
  docstring: string | null;
  location: ModelLocation | null;
  /** The module it was discovered in, when that is not where it is defined. */
  alsoFoundIn?: string;
  methods: { name: string; params: string[]; docstring: string | null }[];
  route?: { method: string; path: string };
}

export interface ModelEndpoint {
  name: string;
  resourceType: string;
  loadBalanced: boolean;
  live: boolean;
  local: boolean;
  /** "LiveServerless · queue · gpu ADA_24 · workers 0–3" */
  description: string;
  file: string;
  location: ModelLocation | null;
  configVariable: string | null;
  functions: ModelFunction[];
  calls: string[];
  calledBy: string[];
}

export interface ModelCrossCall {
  fromEndpoint: string;
  fromFunction: string;
  toEndpoint: string;
  toFunction: string;
  text: string;
  location: ModelLocation | null;
}

export interface ModelFailure {
  file: string;
  kind: string;
  message: string;
  hint: string | null;
  location: ModelLocation | null;
}

export interface EndpointModel {
  folderUri: string;
  root: string;
  /** "runtime": imported in the user's interpreter; "static": parsed only (untrusted folder). */
  source: "runtime" | "static";
  interpreter: { path: string; python: string; flashVersion: string | null } | null;
  endpoints: ModelEndpoint[];
  crossCalls: ModelCrossCall[];
  failures: ModelFailure[];
  clients: { name: string; image: string; location: ModelLocation | null }[];
  /** Why there is no model (no interpreter, runpod-flash missing …), for welcome views. */
  problem?: { kind: "no-interpreter" | "sdk-missing" | "untrusted" | "scan-failed"; message: string; installCommand?: string };
  scannedAt: number;
}
