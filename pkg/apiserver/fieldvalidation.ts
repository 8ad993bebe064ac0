// Unknown and duplicate fields (fieldValidation=Strict|Warn|Ignore), checked against the type schemas.
import type { FieldSchema, SchemaRegistry } from "../api/schema/types.ts";
import type { KubeObject, ResourceInfo } from "../api/types.ts";
import { badRequest } from "../api/errors.ts";
import type { FieldValidation } from "./writeopts.ts";

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function walk(schemas: SchemaRegistry, f: FieldSchema | undefined, v: unknown, path: string, out: string[], budget: { n: number }, prune: boolean): void {
  if (!f || v === null || v === undefined || --budget.n < 0) return;
  if (f.type === "object" && f.ref) {
    const t = schemas.type(f.ref);
    if (!t || !isObj(v)) return;
    for (const [k, cv] of Object.entries(v)) {
      const p = path ? `${path}.${k}` : k;
      const cf = t.properties[k];
      if (!cf) {
        // apiVersion/kind belong to every top-level kind even when a schema omits them.
        if (path === "" && (k === "apiVersion" || k === "kind")) continue;
        out.push(p);
        if (prune) delete v[k];
      } else walk(schemas, cf, cv, p, out, budget, prune);
    }
  } else if (f.type === "array" && Array.isArray(v)) {
    v.forEach((x, i) => walk(schemas, f.items, x, `${path}[${i}]`, out, budget, prune));
  } else if (f.type === "map" && isObj(v)) {
    for (const [k, cv] of Object.entries(v)) walk(schemas, f.additionalProperties, cv, `${path}[${k}]`, out, budget, prune);
  }
}

/**
 * Unknown field paths ("spec.foo") of obj under its kind's schema; [] when no schema is known.
 * With prune, they are also removed, as decoding into upstream's typed structs drops them.
 */
export function unknownFields(schemas: SchemaRegistry | undefined, typeName: string | undefined, obj: unknown, prune = false): string[] {
  if (!schemas || !typeName || !schemas.type(typeName)) return [];
  const out: string[] = [];
  walk(schemas, { type: "object", ref: typeName }, obj, "", out, { n: 200_000 }, prune);
  return out;
}

export function typeNameOf(schemas: SchemaRegistry | undefined, info: ResourceInfo, kind = info.kind, group = info.group, version = info.version): string | undefined {
  return schemas?.typeNameFor(group, version, kind);
}

/**
 * Apply the fieldValidation directive: Strict → 400 like upstream's strict decoder
 * (`<Kind> in version "v1" cannot be handled as a <Kind>: strict decoding error: unknown field "spec.foo"`),
 * Warn → warnings, Ignore → nothing.
 */
export function enforceFieldValidation(
  mode: FieldValidation,
  info: ResourceInfo,
  problems: { unknown: string[]; duplicates: string[] },
  warnings: string[],
  kind = info.kind,
  version = info.version,
): void {
  if (mode === "Ignore") return;
  const msgs = [...problems.unknown.map((p) => `unknown field ${JSON.stringify(p)}`), ...problems.duplicates.map((p) => `duplicate field ${JSON.stringify(p)}`)];
  if (!msgs.length) return;
  if (mode === "Warn") {
    warnings.push(...msgs);
    return;
  }
  throw badRequest(`${kind} in version ${JSON.stringify(version)} cannot be handled as a ${kind}: strict decoding error: ${msgs.join(", ")}`);
}

export function checkFields(schemas: SchemaRegistry | undefined, mode: FieldValidation, info: ResourceInfo, obj: KubeObject, duplicates: string[], warnings: string[]): void {
  const unknown = unknownFields(schemas, typeNameOf(schemas, info), obj, true);
  enforceFieldValidation(mode, info, { unknown, duplicates }, warnings);
}
