// TypeSchema → OpenAPI schema objects, in the v3 (components) and v2 (definitions) flavours upstream emits.
import type { FieldSchema, SchemaRegistry, TypeSchema } from "../schema/types.ts";

export type Flavor = "v2" | "v3";

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
/** Scalar named types upstream models as their own definitions. */
export const SCALAR_DEFS: Record<string, object> = {
  "io.k8s.apimachinery.pkg.util.intstr.IntOrString": { type: "string", format: "int-or-string", description: "IntOrString is a type that can hold an int32 or a string." },
  "io.k8s.apimachinery.pkg.api.resource.Quantity": { type: "string", description: "Quantity is a fixed-point representation of a number, e.g. 100m, 1Gi, 2." },
  [`${META}.Time`]: { type: "string", format: "date-time", description: "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON." },
  [`${META}.Patch`]: { type: "object", description: "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body." },
};
const SCALAR_REF: Partial<Record<FieldSchema["type"], string>> = {
  "int-or-string": "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
  quantity: "io.k8s.apimachinery.pkg.api.resource.Quantity",
  time: `${META}.Time`,
};

export const refPath = (flavor: Flavor, name: string) => (flavor === "v3" ? `#/components/schemas/${name}` : `#/definitions/${name}`);

/** Named definitions a field refers to (struct refs and scalar named types). */
export function fieldRefs(f: FieldSchema): string[] {
  if (f.type === "object" && f.ref) return [f.ref];
  if (f.type === "array" && f.items) return fieldRefs(f.items);
  if (f.type === "map" && f.additionalProperties) return fieldRefs(f.additionalProperties);
  const scalar = SCALAR_REF[f.type];
  return scalar ? [scalar] : [];
}

function extensions(f: FieldSchema): Record<string, unknown> {
  const x: Record<string, unknown> = {};
  if (f.listMapKeys) x["x-kubernetes-list-map-keys"] = f.listMapKeys;
  if (f.listType) x["x-kubernetes-list-type"] = f.listType;
  if (f.mapType) x["x-kubernetes-map-type"] = f.mapType;
  if (f.patchMergeKey) x["x-kubernetes-patch-merge-key"] = f.patchMergeKey;
  if (f.patchStrategy) x["x-kubernetes-patch-strategy"] = f.patchStrategy;
  if (f.default !== undefined) x.default = f.default;
  return x;
}

/** A reference; v3 wraps it in allOf so description and extensions may sit beside it (as upstream). */
function ref(flavor: Flavor, name: string, extra: Record<string, unknown>, isStruct: boolean): Record<string, unknown> {
  if (flavor === "v2") return { $ref: refPath(flavor, name), ...extra };
  return { allOf: [{ $ref: refPath(flavor, name) }], ...extra, ...(isStruct ? { default: {} } : {}) };
}

export function fieldSchema(flavor: Flavor, f: FieldSchema, top = true): Record<string, unknown> {
  const extra: Record<string, unknown> = { ...(top && f.description ? { description: f.description } : {}), ...extensions(f) };
  switch (f.type) {
    case "object":
      return f.ref ? ref(flavor, f.ref, extra, true) : { type: "object", ...extra };
    case "array":
      return { type: "array", items: fieldSchema(flavor, f.items ?? { type: "any" }, false), ...extra };
    case "map":
      return { type: "object", additionalProperties: fieldSchema(flavor, f.additionalProperties ?? { type: "any" }, false), ...extra };
    case "int-or-string":
    case "quantity":
    case "time":
      return ref(flavor, SCALAR_REF[f.type]!, extra, false);
    case "bytes":
      return { type: "string", format: "byte", ...extra };
    case "any":
      return { ...extra }; // any JSON value
    default:
      return { type: f.type, ...(f.format ? { format: f.format } : {}), ...extra };
  }
}

export function typeSchema(flavor: Flavor, t: TypeSchema): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(t.properties)) properties[k] = fieldSchema(flavor, f);
  return {
    ...(t.description ? { description: t.description } : {}),
    type: "object",
    ...(t.required?.length ? { required: t.required } : {}),
    properties,
    ...(t.gvk ? { "x-kubernetes-group-version-kind": t.gvk } : {}),
    ...(t.structType === "atomic" ? { "x-kubernetes-map-type": "atomic" } : {}),
  };
}

/** Every definition reachable from `roots`, rendered; unknown names are skipped. */
export function closure(flavor: Flavor, schemas: SchemaRegistry, roots: Iterable<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const queue = [...roots];
  for (let i = 0; i < queue.length; i++) {
    const name = queue[i]!;
    if (name in out) continue;
    if (SCALAR_DEFS[name]) {
      out[name] = SCALAR_DEFS[name];
      continue;
    }
    const t = schemas.type(name);
    if (!t) continue;
    out[name] = typeSchema(flavor, t);
    for (const f of Object.values(t.properties)) queue.push(...fieldRefs(f));
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}
