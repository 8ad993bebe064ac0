// Protobuf request bodies (pkg/api/protobuf).
import type { KubeObject } from "../../api/types.ts";
import { decodeKubeProtobuf } from "../../api/protobuf/index.ts";

export const protobufSupported = true;

export async function decodeProtobuf(bytes: Uint8Array): Promise<KubeObject> {
  return decodeKubeProtobuf(bytes);
}
