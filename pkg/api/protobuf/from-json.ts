// JSON object -> plain object shaped for protobufjs encoding, checking value types on the way
// so malformed input is a 400 rather than garbage on the wire.
import { badRequest } from "../errors.ts";
import { isSpecial, messageModel, type FieldModel, type MessageModel } from "./model.ts";
import { specialFromJson } from "./special.ts";

type Msg = Record<string, any>;
const MAX_DEPTH = 64;

function fail(path: string, want: string): never {
  throw badRequest(`protobuf: ${path} must be ${want}`);
}

function scalarFromJson(f: FieldModel, v: unknown, path: string): unknown {
  switch (f.type) {
    case "string":
      return typeof v === "string" ? v : fail(path, "a string");
    case "bool":
      return typeof v === "boolean" ? v : fail(path, "a boolean");
    case "int32":
      return typeof v === "number" && Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? v : fail(path, "an int32");
    case "int64":
      return typeof v === "number" && Number.isSafeInteger(v) ? v : fail(path, "an integer");
    case "bytes":
      if (typeof v !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) fail(path, "base64 data");
      return new Uint8Array(Buffer.from(v as string, "base64"));
  }
  return fail(path, f.type);
}

function valueFromJson(f: FieldModel, v: unknown, path: string, depth: number): unknown {
  if (f.kind === "scalar") return scalarFromJson(f, v, path);
  if (isSpecial(f.type)) return specialFromJson(f.type, v, path) ?? {};
  return messageFromJson(messageModel(f.type), v, path, depth + 1);
}

export function messageFromJson(model: MessageModel, obj: unknown, path: string, depth = 0): Msg {
  if (depth > MAX_DEPTH) throw badRequest("protobuf: object nesting is too deep");
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) fail(path || "the object", "an object");
  const src = obj as Msg;
  const out: Msg = {};
  for (const f of model.fields) {
    const p = path ? `${path}.${f.json}` : f.json;
    if (f.inline) {
      out[f.json] = messageFromJson(messageModel(f.type), src, path, depth + 1);
      continue;
    }
    const v = src[f.json];
    if (v === undefined || v === null) continue;
    if (f.label === "repeated") {
      if (!Array.isArray(v)) fail(p, "a list");
      out[f.json] = v.map((x, i) => valueFromJson(f, x, `${p}[${i}]`, depth));
    } else if (f.label === "map") {
      if (typeof v !== "object" || Array.isArray(v)) fail(p, "a map");
      const o: Msg = {};
      for (const [k, x] of Object.entries(v)) o[k] = valueFromJson(f, x, `${p}[${k}]`, depth);
      out[f.json] = o;
    } else if (f.kind === "special" && isSpecial(f.type)) {
      const s = specialFromJson(f.type, v, p);
      if (s !== undefined) out[f.json] = s;
    } else out[f.json] = valueFromJson(f, v, p, depth);
  }
  return out;
}
