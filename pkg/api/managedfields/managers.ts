// managedFields entries: decoding, identity, stripping and encoding (apiserver fieldmanager).
import type { KubeObject } from "../types.ts";
import { type FieldSet, difference, fromFieldsV1, isEmpty, setOf, toFieldsV1 } from "./fieldset.ts";

export interface ManagerEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time?: string;
  subresource?: string;
  set: FieldSet;
}

/** Entries are identified by manager, operation, subresource and (for Update) apiVersion. */
export function entryKey(e: Pick<ManagerEntry, "manager" | "operation" | "apiVersion" | "subresource">): string {
  return JSON.stringify([e.manager, e.operation, e.operation === "Update" ? e.apiVersion : "", e.subresource ?? ""]);
}

/** How conflict messages name a manager. */
export function printManager(e: ManagerEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === "Update") s += ` using ${e.apiVersion}`;
  return s;
}

export function decodeManagedFields(raw: unknown): ManagerEntry[] {
  if (!Array.isArray(raw)) return [];
  const out: ManagerEntry[] = [];
  for (const m of raw) {
    if (typeof m !== "object" || m === null) continue;
    const e = m as Record<string, unknown>;
    out.push({
      manager: typeof e.manager === "string" ? e.manager : "",
      operation: e.operation === "Apply" ? "Apply" : "Update",
      apiVersion: typeof e.apiVersion === "string" ? e.apiVersion : "",
      time: typeof e.time === "string" ? e.time : undefined,
      subresource: typeof e.subresource === "string" && e.subresource ? e.subresource : undefined,
      set: fromFieldsV1(e.fieldsV1),
    });
  }
  return out;
}

/** Fields nobody owns: type and identity metadata. */
const STRIP = setOf([
  ["f:apiVersion"],
  ["f:kind"],
  ["f:metadata"],
  ...["name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation", "managedFields", "resourceVersion"].map((f) => [
    "f:metadata",
    `f:${f}`,
  ]),
]);

export const strip = (s: FieldSet) => difference(s, STRIP);

const seconds = (t: string | undefined) => (t ? Math.floor(Date.parse(t) / 1000) || 0 : 0);

/** Encode non-empty entries in upstream's order: Apply before Update, then by time, manager, version. */
export function encodeManagedFields(entries: ManagerEntry[]): Record<string, unknown>[] {
  const live = entries.filter((e) => !isEmpty(e.set));
  live.sort(
    (p, q) =>
      (p.operation < q.operation ? -1 : p.operation > q.operation ? 1 : 0) ||
      seconds(p.time) - seconds(q.time) ||
      (p.manager < q.manager ? -1 : p.manager > q.manager ? 1 : 0) ||
      (p.apiVersion < q.apiVersion ? -1 : p.apiVersion > q.apiVersion ? 1 : 0) ||
      ((p.subresource ?? "") < (q.subresource ?? "") ? -1 : (p.subresource ?? "") > (q.subresource ?? "") ? 1 : 0),
  );
  return live.map((e) => {
    const out: Record<string, unknown> = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion };
    if (e.time) out.time = e.time;
    out.fieldsType = "FieldsV1";
    out.fieldsV1 = toFieldsV1(e.set);
    if (e.subresource) out.subresource = e.subresource;
    return out;
  });
}

/** A deep copy without metadata.managedFields. */
export function withoutManagedFields(o: KubeObject): KubeObject {
  const c = structuredClone(o);
  if (c.metadata) delete c.metadata.managedFields;
  return c;
}

/** Set (or, when empty, remove) metadata.managedFields. */
export function setManagedFields(o: KubeObject, entries: ManagerEntry[]): KubeObject {
  const encoded = encodeManagedFields(entries);
  o.metadata ??= {};
  if (encoded.length > 0) o.metadata.managedFields = encoded;
  else delete o.metadata.managedFields;
  return o;
}
