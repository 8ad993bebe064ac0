// The Kubernetes protobuf envelope: magic "k8s\0" followed by a runtime.Unknown message.
import { badRequest, StatusError } from "../errors.ts";
import { schema } from "./model.ts";
import { validateWire } from "./validate.ts";

export const MAGIC = new Uint8Array([0x6b, 0x38, 0x73, 0x00]);

export interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

export function hasMagic(body: Uint8Array): boolean {
  return body.length >= 4 && MAGIC.every((b, i) => body[i] === b);
}

export function readEnvelope(body: Uint8Array): Envelope {
  if (!hasMagic(body)) throw badRequest("protobuf: the body does not start with the Kubernetes protobuf prefix");
  let u: Record<string, any>;
  try {
    const raw = body.subarray(4);
    validateWire(schema().unknown, raw);
    u = schema().unknown.decode(raw) as Record<string, any>;
  } catch (e) {
    if (e instanceof StatusError) throw e;
    throw badRequest(`protobuf: malformed envelope: ${(e as Error).message}`);
  }
  return {
    apiVersion: u.typeMeta?.apiVersion ?? "",
    kind: u.typeMeta?.kind ?? "",
    raw: u.raw ?? new Uint8Array(),
    contentEncoding: u.contentEncoding ?? "",
    contentType: u.contentType ?? "",
  };
}

export function writeEnvelope(apiVersion: string, kind: string, raw: Uint8Array): Uint8Array {
  const inner = schema().unknown.encode({ typeMeta: { apiVersion, kind }, raw, contentEncoding: "", contentType: "" }).finish();
  const out = new Uint8Array(4 + inner.length);
  out.set(MAGIC, 0);
  out.set(inner, 4);
  return out;
}
