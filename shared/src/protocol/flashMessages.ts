// The custom protocol as typed LSP message objects, built once from the declarations
// in flashProtocol.ts. vscode-languageserver-protocol is the wire format both the
// client and the server libraries use; it is not an editor API.
import { NotificationType, RequestType } from "vscode-languageserver-protocol";
import {
  FlashMethods,
  type BuildManifestParams,
  type BuildManifestResult,
  type EndpointModelParams,
  type EndpointModelResult,
  type ModelChangedParams,
  type RefreshParams,
  type StatusParams,
} from "./flashProtocol";

export const EndpointModelRequest = new RequestType<EndpointModelParams, EndpointModelResult, void>(FlashMethods.endpointModel);
export const BuildManifestRequest = new RequestType<BuildManifestParams, BuildManifestResult, void>(FlashMethods.buildManifest);
export const RefreshRequest = new RequestType<RefreshParams, void, void>(FlashMethods.refresh);
export const ModelChangedNotification = new NotificationType<ModelChangedParams>(FlashMethods.modelChanged);
export const StatusNotification = new NotificationType<StatusParams>(FlashMethods.status);
