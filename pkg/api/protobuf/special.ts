// JSON forms of apimachinery types with custom marshallers (Time, MicroTime, Quantity,
// IntOrString, FieldsV1, RawExtension, ExtraValue-style string lists), both directions.
import { badRequest } from "../errors.ts";
import type { Special } from "./model.ts";

type Msg = Record<string, any>;
const own = (m: Msg, k: string) => Object.prototype.hasOwnProperty.call(m, k);
/** int64 fields decode as Long objects when the `long` package is present, else as numbers. */
export const num = (v: unknown): number =>
  typeof v === "number" ? v : v && typeof (v as any).toNumber === "function" ? (v as any).toNumber() : Number(v ?? 0);

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
function formatUnix(seconds: number, micros?: number): string {
  const d = new Date(seconds * 1000);
  if (Number.isNaN(d.getTime())) throw badRequest(`protobuf: time ${seconds} is out of range`);
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${date}T${time}${micros === undefined ? "" : `.${pad(micros, 6)}`}Z`;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
/** Parses an RFC 3339 timestamp into Unix seconds and nanoseconds (as Go's time.Parse would). */
export function parseRFC3339(s: string): { seconds: number; nanos: number } {
  const m = RFC3339.exec(s);
  if (!m) throw badRequest(`protobuf: invalid time ${JSON.stringify(s)}: not RFC 3339`);
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  let ms = Date.UTC(y, mo - 1, d, h, mi, se);
  if (y < 100) ms = new Date(ms).setUTCFullYear(y); // Date.UTC maps years 0-99 to 1900-1999
  if (m[8]) ms -= (m[8] === "-" ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10])) * 60_000;
  const nanos = m[7] ? Number(m[7].slice(1).padEnd(9, "0")) : 0;
  return { seconds: Math.floor(ms / 1000), nanos };
}

function parseJsonBytes(raw: Uint8Array, what: string): unknown {
  if (raw.length === 0) return null;
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw));
  } catch {
    throw badRequest(`protobuf: ${what} does not hold valid JSON`);
  }
}

/** Decoded special message -> its JSON value. `nested` decodes a protobuf object inside a RawExtension. */
export function specialToJson(type: Special, m: Msg, nested: (raw: Uint8Array) => unknown): unknown {
  switch (type) {
    case "Time":
      // Go: an empty message is the zero time (JSON null); seconds only, nanos dropped.
      return own(m, "seconds") || own(m, "nanos") ? formatUnix(num(m.seconds)) : null;
    case "MicroTime":
      return own(m, "seconds") || own(m, "nanos") ? formatUnix(num(m.seconds), Math.floor((m.nanos ?? 0) / 1000)) : null;
    case "Quantity":
      return m.string || "0";
    case "IntOrString": {
      const t = num(m.type);
      if (t === 0) return m.intVal ?? 0;
      if (t === 1) return m.strVal ?? "";
      throw badRequest(`protobuf: invalid IntOrString type ${t}`);
    }
    case "FieldsV1":
      return parseJsonBytes(m.raw ?? new Uint8Array(), "fieldsV1");
    case "RawExtension": {
      const raw: Uint8Array = m.raw ?? new Uint8Array();
      if (raw.length >= 4 && raw[0] === 0x6b && raw[1] === 0x38 && raw[2] === 0x73 && raw[3] === 0) return nested(raw);
      return parseJsonBytes(raw, "raw extension");
    }
    case "StringList":
      return m.items?.length ? [...m.items] : null;
  }
}

const enc = new TextEncoder();
function expect(cond: boolean, path: string, want: string): void {
  if (!cond) throw badRequest(`protobuf: ${path} must be ${want}`);
}

/** JSON value -> plain object for the special message's wire layout; undefined means "leave absent". */
export function specialFromJson(type: Special, v: unknown, path: string): Msg | undefined {
  if (v === null || v === undefined) return undefined;
  switch (type) {
    case "Time":
    case "MicroTime": {
      expect(typeof v === "string", path, "an RFC 3339 time string");
      const { seconds, nanos } = parseRFC3339(v as string);
      return type === "Time" ? { seconds } : { seconds, nanos: nanos - (nanos % 1000) };
    }
    case "Quantity":
      expect(typeof v === "string" || typeof v === "number", path, "a quantity");
      return { string: String(v) };
    case "IntOrString":
      if (typeof v === "number") {
        expect(Number.isInteger(v) && Math.abs(v) < 2 ** 31, path, "an int32 or a string");
        return { type: 0, intVal: v };
      }
      expect(typeof v === "string", path, "an integer or a string");
      return { type: 1, strVal: v };
    case "FieldsV1":
      return { raw: enc.encode(JSON.stringify(v)) };
    case "RawExtension":
      return { raw: enc.encode(JSON.stringify(v)) };
    case "StringList":
      expect(Array.isArray(v) && v.every((s) => typeof s === "string"), path, "a list of strings");
      return { items: v };
  }
}
