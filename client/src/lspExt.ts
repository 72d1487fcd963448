// The shared custom protocol as vscode-languageclient message types (the server
// builds the same from the same declarations in server/src/protocol.ts).
import { NotificationType, RequestType } from "vscode-languageclient/node";
import {
  FlashMethods,
  type BuildManifestParams,
  type BuildManifestResult,
  type EndpointModelParams,
  type EndpointModelResult,
  type ModelChangedParams,
  type RefreshParams,
  type StatusParams,
} from "../../shared/src/protocol/flashProtocol";

export const EndpointModelRequest = new RequestType<EndpointModelParams, EndpointModelResult, void>(FlashMethods.endpointModel);
export const BuildManifestRequest = new RequestType<BuildManifestParams, BuildManifestResult, void>(FlashMethods.buildManifest);
export const RefreshRequest = new RequestType<RefreshParams, void, void>(FlashMethods.refresh);
export const ModelChangedNotification = new NotificationType<ModelChangedParams>(FlashMethods.modelChanged);
export const StatusNotification = new NotificationType<StatusParams>(FlashMethods.status);
