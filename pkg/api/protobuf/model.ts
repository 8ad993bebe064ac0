// Parses the compact schema tables (defs/) into field models and one protobufjs Root.
import protobuf from "protobufjs";
import { schemaTables } from "./defs/index.ts";

export type Scalar = "string" | "int32" | "int64" | "bool" | "bytes";
/** Types whose JSON form is not a plain object (apimachinery custom marshallers). */
export type Special = "Time" | "MicroTime" | "Quantity" | "IntOrString" | "FieldsV1" | "RawExtension" | "StringList";

export interface FieldModel {
  json: string;
  num: number;
  /** A scalar, a Special, or the qualified message name "<group>.<Message>". */
  type: string;
  kind: "scalar" | "special" | "message";
  label: "single" | "repeated" | "map";
  pointer: boolean;
  omitempty: boolean;
  inline: boolean;
}

export interface MessageModel {
  name: string;
  fields: FieldModel[];
  pb: protobuf.Type;
}

const SCALARS = new Set(["string", "int32", "int64", "bool", "bytes"]);
/** Wire layouts of the special types (apimachinery generated.proto facts). */
const SPECIAL_WIRE: Record<Special, Array<[name: string, num: number, type: string, rule?: string]>> = {
  Time: [["seconds", 1, "int64"], ["nanos", 2, "int32"]],
  MicroTime: [["seconds", 1, "int64"], ["nanos", 2, "int32"]],
  Quantity: [["string", 1, "string"]],
  IntOrString: [["type", 1, "int64"], ["intVal", 2, "int32"], ["strVal", 3, "string"]],
  FieldsV1: [["raw", 1, "bytes"]],
  RawExtension: [["raw", 1, "bytes"]],
  StringList: [["items", 1, "string", "repeated"]],
};
const ENVELOPE: Record<string, Array<[string, number, string]>> = {
  TypeMeta: [["apiVersion", 1, "string"], ["kind", 2, "string"]],
  Unknown: [["typeMeta", 1, "_.TypeMeta"], ["raw", 2, "bytes"], ["contentEncoding", 3, "string"], ["contentType", 4, "string"]],
};

export const isSpecial = (t: string): t is Special => t in SPECIAL_WIRE;

function parseField(group: string, spec: string): FieldModel {
  const [json, num, rawType, flags = ""] = spec.split(" ");
  let label: FieldModel["label"] = "single";
  let t = rawType!;
  if (t.startsWith("[]")) (label = "repeated"), (t = t.slice(2));
  else if (t.startsWith("{}")) (label = "map"), (t = t.slice(2));
  const kind = SCALARS.has(t) ? "scalar" : isSpecial(t) ? "special" : "message";
  if (kind === "message" && !t.includes(".")) t = `${group}.${t}`;
  return {
    json: json!,
    num: Number(num),
    type: t,
    kind,
    label,
    pointer: flags.includes("p"),
    omitempty: flags.includes("o"),
    inline: flags.includes("i"),
  };
}

const pbTypeName = (f: FieldModel) => (f.kind === "scalar" ? f.type : f.kind === "special" ? `_.${f.type}` : f.type);

function addWire(ns: protobuf.Namespace, name: string, fields: Array<[string, number, string, string?]>): protobuf.Type {
  const t = new protobuf.Type(name);
  for (const [n, id, type, rule] of fields) t.add(new protobuf.Field(n, id, type, rule));
  ns.add(t);
  return t;
}

function build(): { messages: Map<string, MessageModel>; specials: Map<string, protobuf.Type>; unknown: protobuf.Type } {
  const root = new protobuf.Root();
  const internal = root.define("_");
  const specials = new Map<string, protobuf.Type>();
  for (const [name, fields] of Object.entries(SPECIAL_WIRE)) specials.set(name, addWire(internal, name, fields));
  for (const [name, fields] of Object.entries(ENVELOPE)) addWire(internal, name, fields);
  const messages = new Map<string, MessageModel>();
  for (const [group, table] of Object.entries(schemaTables)) {
    const ns = root.define(group);
    for (const [name, specs] of Object.entries(table)) {
      const fields = specs.split(", ").map((s) => parseField(group, s));
      const pb = new protobuf.Type(name);
      for (const f of fields) {
        if (f.label === "map") pb.add(new protobuf.MapField(f.json, f.num, "string", pbTypeName(f)));
        else pb.add(new protobuf.Field(f.json, f.num, pbTypeName(f), f.label === "repeated" ? "repeated" : undefined));
      }
      ns.add(pb);
      messages.set(`${group}.${name}`, { name: `${group}.${name}`, fields, pb });
    }
  }
  root.resolveAll();
  return { messages, specials, unknown: root.lookupType("_.Unknown") };
}

let built: ReturnType<typeof build> | undefined;
/** Built once on first use: the Root and models are immutable afterwards. */
export function schema(): ReturnType<typeof build> {
  built ??= build();
  return built;
}

export function messageModel(name: string): MessageModel {
  const m = schema().messages.get(name);
  if (!m) throw new Error(`protobuf schema has no message ${name}`);
  return m;
}
