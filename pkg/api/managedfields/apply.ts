// Server-side apply (apiserver fieldmanager + structured-merge-diff Updater.Apply).
import { StatusError, badRequest } from "../errors.ts";
import type { SchemaRegistry } from "../schema/types.ts";
import type { KubeObject } from "../types.ts";
import { type FieldSet, difference, isEmpty, pathString, recursiveDifference, setOf, union } from "./fieldset.ts";
import { lastAppliedAllowance, syncLastApplied } from "./lastapplied.ts";
import { type ManagerEntry, decodeManagedFields, entryKey, printManager, setManagedFields, strip, withoutManagedFields } from "./managers.ts";
import { prune } from "./prune.ts";
import { rootAtom } from "./typed.ts";
import { type Conflict, compareIgnoring, takeOwnership } from "./update.ts";
import { validateApplied } from "./validate.ts";
import { merge, toFieldSet } from "./walk.ts";

export interface ApplyOptions {
  live: KubeObject | undefined;
  applied: KubeObject;
  manager: string;
  force: boolean;
  schemas: SchemaRegistry;
  typeName: string;
  apiVersion: string;
  now: string;
  subresource?: string;
  /** Fields this endpoint resets (e.g. `status` on the main resource), owned by nobody here. */
  ignoredFields?: FieldSet;
}

const jsonEq = (a: unknown, b: unknown) => Bun.deepEquals(a, b, true);

/** The 409 apiserver returns for apply conflicts. */
export function conflictError(conflicts: Conflict[]): StatusError {
  const sorted = [...conflicts].sort((a, b) => (a.entry.manager < b.entry.manager ? -1 : a.entry.manager > b.entry.manager ? 1 : 0));
  let message: string;
  if (sorted.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(sorted[0]!.entry)}: ${pathString(sorted[0]!.path)}`;
  } else {
    const lines: string[] = [];
    let current = "";
    for (const c of sorted) {
      const who = printManager(c.entry);
      if (who !== current) lines.push(`conflicts with ${(current = who)}:`);
      lines.push(`- ${pathString(c.path)}`);
    }
    message = `Apply failed with ${sorted.length} conflicts: ${lines.join("\n")}`;
  }
  return new StatusError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason: "Conflict",
    details: { causes: sorted.map((c) => ({ reason: "FieldManagerConflict", message: `conflict with ${printManager(c.entry)}`, field: pathString(c.path) })) },
    code: 409,
  });
}

/** Upstream's (unclassified, 500) failure to type an applied configuration. */
function typedPatchError(applied: KubeObject, message: string): StatusError {
  const [group, version] = (applied.apiVersion ?? "").includes("/") ? applied.apiVersion!.split("/", 2) : ["", applied.apiVersion ?? ""];
  const who = `${applied.metadata?.namespace ?? ""}/${applied.metadata?.name ?? ""}; ${group}/${version}, Kind=${applied.kind ?? ""}`;
  const text = `failed to create typed patch object (${who}): ${message}`;
  return new StatusError({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: text, reason: "", code: 500 });
}

/**
 * Merge an applied configuration into the live object (or create it), prune what the manager
 * no longer applies, and record ownership. Throws a 409 on conflicts unless `force`.
 */
export function applyServerSide(o: ApplyOptions): KubeObject {
  if (o.applied.metadata?.managedFields != null) throw badRequest("metadata.managedFields must be nil");
  if (o.applied.apiVersion !== o.apiVersion) {
    throw badRequest(`Incorrect version specified in apply patch. Specified patch version: ${o.applied.apiVersion ?? ""}, expected: ${o.apiVersion}`);
  }
  const atom = rootAtom(o.schemas, o.typeName);
  const live: KubeObject = o.live ? withoutManagedFields(o.live) : {};
  const applied = withoutManagedFields(o.applied);
  const invalidConfig = validateApplied(o.schemas, atom, applied);
  if (invalidConfig) throw typedPatchError(applied, invalidConfig);
  let entries = decodeManagedFields(o.live?.metadata?.managedFields);
  if (o.live && entries.length === 0) {
    // objects written before any field tracking: their fields belong to "before-first-apply"
    const all = compareIgnoring(o.schemas, atom, {}, live, o.ignoredFields);
    entries = [{ manager: "before-first-apply", operation: "Update", apiVersion: o.apiVersion, time: o.now, set: strip(union(all.added, all.modified)) }];
  }
  const self = { manager: o.manager, operation: "Apply" as const, apiVersion: o.apiVersion, subresource: o.subresource };
  const selfKey = entryKey(self);
  const previous = entries.find((e) => entryKey(e) === selfKey);

  let appliedSet = toFieldSet(o.schemas, atom, applied);
  if (o.ignoredFields) appliedSet = recursiveDifference(appliedSet, o.ignoredFields);
  const managers: ManagerEntry[] = [...entries.filter((e) => entryKey(e) !== selfKey), { ...self, time: previous?.time, set: appliedSet }];

  let merged = merge(o.schemas, atom, live, applied) as KubeObject;
  if (previous && !isEmpty(previous.set)) {
    const keep = managers.reduce<FieldSet>((acc, e) => union(acc, e.set), appliedSet);
    merged = prune(o.schemas, atom, merged, previous.set, keep) as KubeObject;
  }
  const cmp = compareIgnoring(o.schemas, atom, live, merged, o.ignoredFields);
  let result = takeOwnership(managers, selfKey, cmp, o.force);
  if (result.conflicts.length > 0 && !o.force) {
    const allowed = o.manager === "kubectl" && o.live ? lastAppliedAllowance(o.schemas, atom, live) : undefined;
    const remaining = allowed ? result.conflicts.filter((c) => !isEmpty(difference(setOf([c.path]), allowed))) : result.conflicts;
    if (remaining.length > 0) throw conflictError(remaining);
    // a client-side-apply upgrade: conflicts on fields the last-applied configuration set are taken
    result = takeOwnership(managers, selfKey, cmp, true);
  }
  const changed = !jsonEq(live, merged);
  const out = changed ? merged : live;
  const finalEntries = result.entries.map((e) => {
    const set = strip(e.set);
    if (entryKey(e) !== selfKey) return { ...e, set };
    const sameAsBefore = previous && jsonEq(strip(previous.set), set);
    return { ...e, set, time: changed || !sameAsBefore || !previous?.time ? o.now : previous.time };
  });
  if (o.manager === "kubectl" && o.live) syncLastApplied(out, applied);
  return setManagedFields(out, finalEntries);
}
