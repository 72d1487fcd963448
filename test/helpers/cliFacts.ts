// The facts `flash build` itself produces, in one shape for both sides of a
// parity test: RemoteFunctionMetadata list, import_errors, client endpoints.
import type { RemoteFunctionMetadata, ScanResult } from "../../shared/src/scan/scanResult";
import type { ReferenceOutput } from "./referenceScan";

export interface ClientFacts {
  name: string | null;
  var_name: string;
  file_path: string;
  module_path: string;
  image: string;
}

export interface CliFacts {
  functions: RemoteFunctionMetadata[];
  importErrors: { file: string; message: string }[];
  clientEndpoints: ClientFacts[];
}

export function factsFromReference(output: Exclude<ReferenceOutput, { raised: string }>): CliFacts {
  return {
    functions: output.functions,
    importErrors: output.import_errors.map(([file, message]) => ({ file, message })),
    clientEndpoints: output.client_endpoints.map(([name, r]) => ({
      name,
      var_name: r.var_name,
      file_path: r.file_path,
      module_path: r.module_path,
      image: r.image,
    })),
  };
}

export function factsFromScan(scan: ScanResult): CliFacts {
  return {
    functions: scan.functions.map((f) => f.meta),
    importErrors: scan.importErrors.map(({ file, message }) => ({ file, message })),
    clientEndpoints: scan.clientEndpoints.map((c) => ({
      name: c.name,
      var_name: c.var_name,
      file_path: c.file_path,
      module_path: c.module_path,
      image: c.image,
    })),
  };
}
