// Interplay with client-side apply's last-applied annotation when the manager is "kubectl"
// (apiserver fieldmanager lastappliedmanager/lastappliedupdater): upgrading from client-side to
// server-side apply does not conflict on fields the last-applied configuration set, and the
// annotation is kept in sync by server-side applies.
import type { SchemaRegistry } from "../schema/types.ts";
import type { KubeObject } from "../types.ts";
import { type FieldSet, difference } from "./fieldset.ts";
import type { Atom } from "./typed.ts";
import { compare, toFieldSet } from "./walk.ts";

export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

function lastApplied(o: KubeObject): KubeObject | undefined {
  const raw = o.metadata?.annotations?.[LAST_APPLIED];
  if (typeof raw !== "string" || raw === "") return undefined;
  try {
    const v = JSON.parse(raw);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Fields the last-applied configuration set and the live object still carries unchanged. */
export function lastAppliedAllowance(schemas: SchemaRegistry, atom: Atom, live: KubeObject): FieldSet | undefined {
  const la = lastApplied(live);
  if (!la) return undefined;
  const set = toFieldSet(schemas, atom, la);
  return difference(set, compare(schemas, atom, la, live).modified);
}

/** Rewrite an existing last-applied annotation to the configuration just applied. */
export function syncLastApplied(out: KubeObject, applied: KubeObject): void {
  const annotations = out.metadata?.annotations;
  if (!annotations || !(LAST_APPLIED in annotations)) return;
  const copy = structuredClone(applied);
  if (copy.metadata?.annotations) {
    delete copy.metadata.annotations[LAST_APPLIED];
    if (Object.keys(copy.metadata.annotations).length === 0) delete copy.metadata.annotations;
  }
  annotations[LAST_APPLIED] = JSON.stringify(sortKeys(copy));
}

/** Go encodes maps with sorted keys; so does the annotation. */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v !== "object" || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) Object.defineProperty(out, k, { value: sortKeys((v as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
  return out;
}
