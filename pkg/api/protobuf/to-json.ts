// Decoded protobuf message -> the JSON object Go's encoding/json would print for the same struct:
// omitempty drops zero scalars and empty lists/maps, pointers keep set zeros, non-pointer structs
// are always printed (Go ignores omitempty on structs), inline structs merge into their parent.
import { badRequest } from "../errors.ts";
import { isSpecial, messageModel, type FieldModel, type MessageModel } from "./model.ts";
import { num, specialToJson } from "./special.ts";

type Msg = Record<string, any>;
type Nested = (raw: Uint8Array) => unknown;
const own = (m: Msg, k: string) => Object.prototype.hasOwnProperty.call(m, k);

function scalarJson(f: FieldModel, v: unknown): unknown {
  switch (f.type) {
    case "int64":
      return num(v);
    case "bytes":
      return Buffer.from(v as Uint8Array).toString("base64");
    default:
      return v;
  }
}

const isZeroScalar = (f: FieldModel, v: unknown) =>
  f.type === "bytes" ? (v as Uint8Array).length === 0 : f.type === "int64" ? num(v) === 0 : !v;

function zeroScalar(type: string): unknown {
  return type === "string" ? "" : type === "bool" ? false : type === "bytes" ? null : 0;
}

function valueJson(f: FieldModel, v: any, nested: Nested): unknown {
  if (f.kind === "scalar") return scalarJson(f, v);
  if (isSpecial(f.type)) return specialToJson(f.type, v, nested);
  return messageToJson(messageModel(f.type), v, nested);
}

/** What Go prints for a non-pointer struct field that was never set. */
export function zeroJson(type: string): unknown {
  if (isSpecial(type)) return specialToJson(type, {}, () => null);
  return messageToJson(messageModel(type), {}, () => null);
}

function put(out: Msg, f: FieldModel, m: Msg, nested: Nested): void {
  const present = f.label === "single" ? own(m, f.json) && m[f.json] !== null : m[f.json] && Object.keys(m[f.json]).length > 0;
  if (f.inline) {
    const sub = present ? m[f.json] : {};
    Object.assign(out, messageToJson(messageModel(f.type), sub, nested));
    return;
  }
  if (!present) {
    if (f.pointer) {
      if (!f.omitempty) out[f.json] = null; // a nil pointer without omitempty prints null
      return;
    }
    if (f.label !== "single" || (f.kind === "scalar" && f.type === "bytes")) {
      if (!f.omitempty) out[f.json] = null; // nil slice/map without omitempty prints null
      return;
    }
    if (f.kind === "scalar") {
      if (!f.omitempty) out[f.json] = zeroScalar(f.type);
      return;
    }
    out[f.json] = zeroJson(f.type);
    return;
  }
  const v = m[f.json];
  if (f.label === "repeated") out[f.json] = (v as unknown[]).map((x) => valueJson(f, x, nested));
  else if (f.label === "map") {
    const o: Msg = {};
    for (const k of Object.keys(v)) o[k] = valueJson(f, v[k], nested);
    out[f.json] = o;
  } else if (f.kind === "scalar" && isZeroScalar(f, v) && f.omitempty && !f.pointer) return;
  else out[f.json] = valueJson(f, v, nested);
}

export function messageToJson(model: MessageModel, m: Msg, nested: Nested): Msg {
  if (m === null || typeof m !== "object") throw badRequest(`protobuf: ${model.name} is not a message`);
  const out: Msg = {};
  for (const f of model.fields) put(out, f, m, nested);
  return out;
}
