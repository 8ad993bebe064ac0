// Schema-aware views of JSON values for server-side apply, after structured-merge-diff: how a
// value's children are identified (struct fields, map keys, list keys or set values), and which
// parts are atomic.
import type { FieldSchema, SchemaRegistry } from "../schema/types.ts";

export type Atom =
  | { kind: "scalar" }
  | { kind: "deduced" }
  /** Struct (fields known) or map (fields undefined); `elem` types the unknown keys. */
  | { kind: "map"; fields?: Record<string, FieldSchema>; required?: string[]; elem?: FieldSchema; atomic: boolean }
  | { kind: "list"; elem?: FieldSchema; rel: "atomic" | "set" | "map"; keys: string[] };

export interface Typer {
  schemas: SchemaRegistry;
  root: Atom;
}

/** Own property only: JSON keys such as "__proto__" must never reach a prototype. */
export const getOwn = (o: Record<string, unknown> | undefined, k: string): unknown => (o && Object.hasOwn(o, k) ? o[k] : undefined);

/** Define an own enumerable property, even for "__proto__". */
export function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === "__proto__") Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}

export const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function rootAtom(schemas: SchemaRegistry, typeName: string): Atom {
  const t = schemas.type(typeName);
  return t ? { kind: "map", fields: t.properties, required: t.required, atomic: false } : { kind: "deduced" };
}

/** The atom a field schema describes (list semantics fall back to the patch strategy tags). */
export function atomOf(schemas: SchemaRegistry, fs: FieldSchema | undefined): Atom {
  if (!fs) return { kind: "deduced" };
  switch (fs.type) {
    case "object": {
      const t = fs.ref ? schemas.type(fs.ref) : undefined;
      return t ? { kind: "map", fields: t.properties, required: t.required, atomic: fs.structType === "atomic" || t.structType === "atomic" } : { kind: "deduced" };
    }
    case "map":
      return { kind: "map", elem: fs.additionalProperties, atomic: fs.mapType === "atomic" };
    case "array": {
      const merge = (fs.patchStrategy ?? "").split(",").includes("merge");
      const rel = fs.listType ?? (merge ? (fs.patchMergeKey ? "map" : "set") : "atomic");
      const keys = fs.listMapKeys ?? (fs.patchMergeKey ? [fs.patchMergeKey] : []);
      return { kind: "list", elem: fs.items, rel: rel === "map" && keys.length === 0 ? "atomic" : rel, keys };
    }
    case "any":
      return { kind: "deduced" };
    default:
      return { kind: "scalar" };
  }
}

/** Untyped values: maps are granular, lists atomic. */
export function deduce(atom: Atom, v: unknown): Atom {
  if (atom.kind !== "deduced") return atom;
  if (isObj(v)) return { kind: "map", atomic: false };
  if (Array.isArray(v)) return { kind: "list", rel: "atomic", keys: [] };
  return { kind: "scalar" };
}

export function fieldAtom(schemas: SchemaRegistry, m: Extract<Atom, { kind: "map" }>, key: string): Atom {
  if (m.fields) return atomOf(schemas, Object.hasOwn(m.fields, key) ? m.fields[key] : undefined);
  return m.elem ? atomOf(schemas, m.elem) : { kind: "deduced" };
}

export const isNamedField = (m: Extract<Atom, { kind: "map" }>, key: string) => !!m.fields && Object.hasOwn(m.fields, key);

/** Upstream's schema defaults for list-map keys that clients may omit. */
const KEY_DEFAULTS: Record<string, unknown> = { protocol: "TCP" };

/** The path element naming a list item. */
export function itemPE(list: Extract<Atom, { kind: "list" }>, item: unknown, index: number): string {
  if (list.rel === "map" && isObj(item)) {
    const key: Record<string, unknown> = {};
    for (const k of [...list.keys].sort()) {
      const v = getOwn(item, k) ?? getOwn(KEY_DEFAULTS, k);
      if (v !== undefined) setOwn(key, k, v);
    }
    return `k:${JSON.stringify(key)}`;
  }
  if (list.rel === "set") return `v:${JSON.stringify(item)}`;
  return `i:${index}`;
}

export const isEmptyComposite = (v: unknown) =>
  v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0);
