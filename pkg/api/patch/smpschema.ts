// Patch metadata lookup for strategic merge patch, driven by the SchemaRegistry contract.
import type { FieldSchema, SchemaRegistry, TypeSchema } from "../schema/types.ts";

/** Where a map being merged sits: a known struct, a map[string]T, or untyped JSON. */
export type Scope =
  | { kind: "struct"; type: TypeSchema; schemas: SchemaRegistry }
  | { kind: "map"; value: FieldSchema; schemas: SchemaRegistry }
  | { kind: "unknown" };

export const UNKNOWN: Scope = { kind: "unknown" };

export interface FieldMeta {
  schema?: FieldSchema;
  /** The strategy besides retainKeys: "merge", "replace" or "". */
  strategy: string;
  retainKeys: boolean;
  mergeKey: string;
}

export function rootScope(schemas: SchemaRegistry, typeName: string): Scope {
  const t = schemas.type(typeName);
  return t ? { kind: "struct", type: t, schemas } : UNKNOWN;
}

export function fieldMeta(scope: Scope, key: string): FieldMeta {
  let schema: FieldSchema | undefined;
  if (scope.kind === "struct") schema = Object.hasOwn(scope.type.properties, key) ? scope.type.properties[key] : undefined;
  else if (scope.kind === "map") schema = scope.value;
  const strategies = (schema?.patchStrategy ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const retainKeys = strategies.includes("retainKeys");
  const strategy = strategies.find((s) => s !== "retainKeys") ?? "";
  return { schema, strategy, retainKeys, mergeKey: schema?.patchMergeKey ?? "" };
}

/** Scope of a value described by `schema` (a struct, a map, or untyped). */
export function scopeOf(scope: Scope, schema: FieldSchema | undefined): Scope {
  if (!schema || scope.kind === "unknown") return UNKNOWN;
  const schemas = scope.schemas;
  if (schema.type === "object" && schema.ref) {
    const t = schemas.type(schema.ref);
    return t ? { kind: "struct", type: t, schemas } : UNKNOWN;
  }
  if (schema.type === "map" && schema.additionalProperties) return { kind: "map", value: schema.additionalProperties, schemas };
  return UNKNOWN;
}

/** Scope of the elements of a list field. */
export function elementScope(scope: Scope, schema: FieldSchema | undefined): Scope {
  return scopeOf(scope, schema?.items);
}
