// Kubernetes protobuf bodies (application/vnd.kubernetes.protobuf) <-> the JSON objects the API
// server works with, for every built-in kind in the schema tables.
import type { KubeObject } from "../types.ts";
import { badRequest, StatusError } from "../errors.ts";
import { readEnvelope, writeEnvelope } from "./envelope.ts";
import { messageFromJson } from "./from-json.ts";
import { kindKeys, messageForKind } from "./kinds-index.ts";
import { messageModel } from "./model.ts";
import { messageToJson } from "./to-json.ts";
import { validateWire } from "./validate.ts";

export const PROTOBUF_CONTENT_TYPE = "application/vnd.kubernetes.protobuf";
/** True when the body starts with the "k8s\0" prefix of a Kubernetes protobuf object. */
export { hasMagic as isKubeProtobuf } from "./envelope.ts";
/** Envelopes nest only through RawExtension (List items); two levels is all upstream produces. */
const MAX_ENVELOPE_DEPTH = 4;

function unsupportedKind(apiVersion: string, kind: string): StatusError {
  const gvk = `${apiVersion || "<no apiVersion>"}/${kind || "<no kind>"}`;
  return new StatusError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `the body of the request was in an unknown format - no protobuf schema for ${gvk}; accepted media types include: application/json, application/yaml`,
    reason: "UnsupportedMediaType",
    details: { kind, causes: [{ reason: "UnsupportedMediaType", message: `${PROTOBUF_CONTENT_TYPE} for ${gvk}` }] },
    code: 415,
  });
}

function decode(body: Uint8Array, depth: number): KubeObject {
  if (depth > MAX_ENVELOPE_DEPTH) throw badRequest("protobuf: objects nested too deeply");
  const env = readEnvelope(body);
  if (env.contentEncoding) throw badRequest(`protobuf: unsupported content encoding ${JSON.stringify(env.contentEncoding)}`);
  if (!env.kind || !env.apiVersion) throw badRequest("protobuf: the envelope does not name an apiVersion and kind");
  const name = messageForKind(env.apiVersion, env.kind);
  if (!name) throw unsupportedKind(env.apiVersion, env.kind);
  const model = messageModel(name);
  let msg: Record<string, any>;
  try {
    validateWire(model.pb, env.raw);
    msg = model.pb.decode(env.raw) as Record<string, any>;
  } catch (e) {
    if (e instanceof StatusError) throw e;
    throw badRequest(`protobuf: malformed ${env.kind}: ${(e as Error).message}`);
  }
  const json = messageToJson(model, msg, (raw) => decode(raw, depth + 1));
  return { apiVersion: env.apiVersion, kind: env.kind, ...json };
}

/** Decode a protobuf request body into the JSON object a JSON body would have produced. */
export function decodeKubeProtobuf(body: Uint8Array): KubeObject {
  try {
    return decode(body, 0);
  } catch (e) {
    if (e instanceof StatusError) throw e;
    // protobufjs and our converters throw plain errors on hostile input (e.g. too deep, bad UTF-8).
    throw badRequest(`protobuf: malformed body: ${(e as Error).message}`);
  }
}

/** Encode a JSON object (apiVersion and kind set) as a Kubernetes protobuf body. */
export function encodeKubeProtobuf(obj: KubeObject): Uint8Array {
  const apiVersion = obj?.apiVersion ?? "";
  const kind = obj?.kind ?? "";
  const name = messageForKind(apiVersion, kind);
  if (!name) throw unsupportedKind(apiVersion, kind);
  const model = messageModel(name);
  const plain = messageFromJson(model, obj, "");
  let raw: Uint8Array;
  try {
    raw = model.pb.encode(plain).finish();
  } catch (e) {
    throw badRequest(`protobuf: cannot encode ${kind}: ${(e as Error).message}`);
  }
  return writeEnvelope(apiVersion, kind, raw);
}

/** "apiVersion/kind" keys with a protobuf schema, e.g. "apps/v1/Deployment", "v1/Namespace". */
export function supportedProtobufKinds(): string[] {
  return kindKeys();
}
