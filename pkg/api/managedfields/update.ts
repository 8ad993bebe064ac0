// Ownership changes common to apply and update (structured-merge-diff's Updater.update): fields
// a write changed are taken from other managers, or reported as conflicts.
import type { SchemaRegistry } from "../schema/types.ts";
import { type FieldPath, type FieldSet, difference, intersection, isEmpty, paths, recursiveDifference, union } from "./fieldset.ts";
import type { ManagerEntry } from "./managers.ts";
import { entryKey } from "./managers.ts";
import type { Atom } from "./typed.ts";
import { type Comparison, compare } from "./walk.ts";

export interface Conflict {
  entry: ManagerEntry;
  path: FieldPath;
}

export function compareIgnoring(schemas: SchemaRegistry, atom: Atom, oldObj: unknown, newObj: unknown, ignored?: FieldSet): Comparison {
  const c = compare(schemas, atom, oldObj, newObj);
  if (!ignored) return c;
  return { added: recursiveDifference(c.added, ignored), modified: recursiveDifference(c.modified, ignored), removed: recursiveDifference(c.removed, ignored) };
}

/**
 * Strip changed fields from every manager but `selfKey`: modified/added fields owned by others are
 * conflicts (returned, and taken away only when `force`), removed fields lose their owners.
 */
export function takeOwnership(entries: ManagerEntry[], selfKey: string, cmp: Comparison, force: boolean): { entries: ManagerEntry[]; conflicts: Conflict[] } {
  const changed = union(cmp.modified, cmp.added);
  const conflicts: Conflict[] = [];
  for (const e of entries) {
    if (entryKey(e) === selfKey) continue;
    const c = intersection(e.set, changed);
    for (const path of paths(c)) conflicts.push({ entry: e, path });
  }
  if (conflicts.length > 0 && !force) return { entries, conflicts };
  const out = entries
    .map((e) => (entryKey(e) === selfKey ? e : { ...e, set: difference(difference(e.set, intersection(e.set, changed)), cmp.removed) }))
    .filter((e) => !isEmpty(e.set));
  return { entries: out, conflicts };
}
