// Wire-type check before decoding: protobufjs's generated decoders trust the schema and read a field
// with the wrong wire type as garbage, where Go's unmarshaller fails ("wrong wireType"). Walking the
// bytes once against the protobufjs reflection lets us reject such bodies as 400s, as kube-apiserver does.
import protobuf from "protobufjs";
import { badRequest } from "../errors.ts";

const VARINT = 0;
const LEN = 2;
const NUMERIC = new Set(["int32", "int64", "uint32", "uint64", "bool"]);

interface Check {
  wire: number;
  packable: boolean;
  sub?: Shape;
}
type Shape = Map<number, Check>;

const shapes = new WeakMap<protobuf.Type, Shape>();

function valueCheck(type: string, resolved: protobuf.Type | null, packable: boolean): Check {
  if (resolved) return { wire: LEN, packable: false, sub: shapeOf(resolved) };
  return { wire: NUMERIC.has(type) ? VARINT : LEN, packable: packable && NUMERIC.has(type) };
}

function shapeOf(t: protobuf.Type): Shape {
  const cached = shapes.get(t);
  if (cached) return cached;
  const shape: Shape = new Map();
  shapes.set(t, shape); // set before recursing so recursive types terminate
  for (const f of t.fieldsArray) {
    const resolved = f.resolvedType instanceof protobuf.Type ? f.resolvedType : null;
    if (f instanceof protobuf.MapField) {
      const entry: Shape = new Map([[1, valueCheck(f.keyType, null, false)], [2, valueCheck(f.type, resolved, false)]]);
      shape.set(f.id, { wire: LEN, packable: false, sub: entry });
    } else shape.set(f.id, valueCheck(f.type, resolved, f.repeated));
  }
  return shape;
}

function walk(r: protobuf.Reader, end: number, shape: Shape): void {
  while (r.pos < end) {
    const tag = r.uint32();
    const num = tag >>> 3;
    const wire = tag & 7;
    if (num === 0) throw badRequest("protobuf: illegal field number 0");
    const f = shape.get(num);
    if (!f) {
      r.skipType(wire); // unknown fields are skipped, as Go does
      continue;
    }
    if (wire !== f.wire && !(f.packable && wire === LEN)) throw badRequest(`protobuf: wrong wire type ${wire} for field ${num}`);
    if (wire !== LEN) {
      r.skipType(wire);
      continue;
    }
    const len = r.uint32();
    const stop = r.pos + len;
    if (stop > end) throw badRequest("protobuf: a field runs past the end of its message");
    if (f.sub) walk(r, stop, f.sub);
    else if (f.packable) while (r.pos < stop) r.uint64();
    r.pos = stop;
  }
  if (r.pos !== end) throw badRequest("protobuf: a field runs past the end of its message");
}

/** Throws a 400 StatusError when `raw` is not a well-formed encoding of message type `t`. */
export function validateWire(t: protobuf.Type, raw: Uint8Array): void {
  walk(protobuf.Reader.create(raw), raw.length, shapeOf(t));
}
