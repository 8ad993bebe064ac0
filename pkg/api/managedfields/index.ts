// Field ownership: server-side apply and managedFields bookkeeping for other writes.
import type { SchemaRegistry } from "../schema/types.ts";
import type { KubeObject } from "../types.ts";
import { capUpdateManagers } from "./cap.ts";
import { type FieldSet, difference, isEmpty, union } from "./fieldset.ts";
import { decodeManagedFields, entryKey, setManagedFields, strip, withoutManagedFields } from "./managers.ts";
import { rootAtom } from "./typed.ts";
import { compareIgnoring, takeOwnership } from "./update.ts";

export { applyServerSide, conflictError } from "./apply.ts";
export type { ApplyOptions } from "./apply.ts";
export { pathString, setOf } from "./fieldset.ts";
export type { FieldSet } from "./fieldset.ts";

export interface UpdateOptions {
  old: KubeObject | undefined;
  updated: KubeObject;
  manager: string;
  operation: "Update";
  schemas: SchemaRegistry;
  typeName: string;
  apiVersion: string;
  now: string;
  subresource?: string;
  /** Fields this endpoint resets (e.g. `status` on the main resource), owned by nobody here. */
  ignoredFields?: FieldSet;
}

/**
 * Record a create/update/patch by `manager`: it gains the fields the write changed, other managers
 * lose them. Returns a copy of `updated` carrying the new managedFields.
 */
export function updateManagedFields(o: UpdateOptions): KubeObject {
  const atom = rootAtom(o.schemas, o.typeName);
  const provided = o.updated.metadata?.managedFields;
  // clients may write managedFields directly (e.g. `[{}]` resets them); otherwise keep the live ones
  const useProvided = Array.isArray(provided) && provided.length > 0 && !o.subresource;
  const entries = decodeManagedFields(useProvided ? provided : o.old?.metadata?.managedFields);
  const oldObj = o.old ? withoutManagedFields(o.old) : {};
  const newObj = withoutManagedFields(o.updated);
  const cmp = compareIgnoring(o.schemas, atom, oldObj, newObj, o.ignoredFields);
  // like upstream, the write is first recorded under a throw-away identity, then merged in
  const current = { manager: "\u0000current-operation", operation: "Update" as const, apiVersion: o.apiVersion, set: union(cmp.modified, cmp.added) };
  const { entries: taken } = takeOwnership([...entries, current], entryKey(current), cmp, true);
  const selfKey = entryKey({ manager: o.manager, operation: "Update", apiVersion: o.apiVersion, subresource: o.subresource });
  const gained = difference(current.set, cmp.removed);
  const out = taken.filter((e) => e !== current);
  if (!isEmpty(strip(gained))) {
    const i = out.findIndex((e) => entryKey(e) === selfKey);
    const prev = i >= 0 ? out[i]!.set : undefined;
    const entry = { manager: o.manager, operation: "Update" as const, apiVersion: o.apiVersion, subresource: o.subresource, time: o.now, set: prev ? union(gained, prev) : gained };
    if (i >= 0) out[i] = entry;
    else out.push(entry);
  }
  const stripped = out.map((e) => ({ ...e, set: strip(e.set) })).filter((e) => !isEmpty(e.set));
  return setManagedFields(newObj, capUpdateManagers(stripped));
}
