// Protobuf body adapter. PLACEHOLDER until pkg/api/protobuf lands: protobuf bodies are refused.
import { unsupportedMediaType } from "../../api/errors.ts";
import type { KubeObject } from "../../api/types.ts";

export const protobufSupported = false;

export async function decodeProtobuf(_bytes: Uint8Array): Promise<KubeObject> {
  throw unsupportedMediaType("application/vnd.kubernetes.protobuf");
}
