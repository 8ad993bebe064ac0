// The write pipeline common to create, update, patch and subresource writes: defaults,
// strategy, validation and field ownership, in upstream's order.
import type { KubeObject, ResourceInfo } from "../api/types.ts";
import { conflict, invalid } from "../api/errors.ts";
import type { Server } from "./context.ts";
import { applyDefaults } from "./deps/defaults.ts";
import { validateCreate, validateUpdate } from "./deps/validation.ts";
import { ignoredFieldsFor, updateManagedFields } from "./deps/managedfields.ts";
import { schemas } from "./deps/schema.ts";
import { nowRFC3339 } from "./deps/meta.ts";
import { carryUpdateMeta } from "./objectmeta.ts";
import { prepareForCreate, prepareForEphemeralContainers, prepareForFinalize, prepareForResize, prepareForStatusUpdate, prepareForUpdate, bumpGeneration } from "./strategy.ts";
import { typeNameOf } from "./fieldvalidation.ts";

export const gvString = (info: ResourceInfo) => (info.group ? `${info.group}/${info.version}` : info.version);

function throwIfInvalid(info: ResourceInfo, obj: KubeObject, errs: ReturnType<typeof validateCreate>) {
  if (errs.length) throw invalid({ group: info.group, kind: info.kind }, obj.metadata?.name ?? "", errs);
}

function manage(s: Server, info: ResourceInfo, old: KubeObject | undefined, obj: KubeObject, manager: string, subresource?: string): KubeObject {
  const sc = schemas();
  if (!sc) return obj;
  return updateManagedFields({
    old,
    updated: obj,
    manager,
    operation: "Update",
    schemas: sc,
    typeName: typeNameOf(sc, info) ?? "",
    apiVersion: gvString(info),
    now: nowRFC3339(s.now().getTime()),
    subresource,
    ignoredFields: ignoredFieldsFor(info, subresource),
  });
}

/** Finish a new object before it is stored (name already chosen). */
export function prepareCreate(s: Server, info: ResourceInfo, obj: KubeObject, manager: string, applied = false): KubeObject {
  prepareForCreate(info, obj);
  applyDefaults(info, obj);
  throwIfInvalid(info, obj, validateCreate(info, obj));
  if (applied) return obj;
  return manage(s, info, undefined, obj, manager);
}

/**
 * Turn an incoming full object into the object to store for a write to `subresource`
 * (undefined = the main resource, "status", "finalize").
 */
export function prepareUpdate(
  s: Server,
  info: ResourceInfo,
  incoming: KubeObject,
  current: KubeObject,
  manager: string,
  subresource?: string,
  /** Server-side apply already recorded field ownership. */
  applied = false,
): KubeObject {
  let next: KubeObject;
  if (subresource === "status") next = prepareForStatusUpdate(info, incoming, current);
  else if (subresource === "finalize") next = prepareForFinalize(incoming, current);
  else if (subresource === "ephemeralcontainers") next = prepareForEphemeralContainers(incoming, current);
  else if (subresource === "resize") next = prepareForResize(incoming, current);
  else {
    next = incoming;
    next.metadata ??= {};
    const uid = next.metadata.uid;
    if (uid && uid !== current.metadata?.uid)
      throw conflict({ group: info.group, resource: info.resource }, current.metadata?.name ?? "", `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${current.metadata?.uid}`);
    carryUpdateMeta(next, current);
    prepareForUpdate(info, next, current);
    applyDefaults(info, next);
    bumpGeneration(info, next, current);
  }
  // The pod-spec immutability rules do not apply to the subresources made to change it.
  const specWriter = subresource === "ephemeralcontainers" || subresource === "resize";
  if (specWriter) {
    // Validate the pod as new, minus ephemeral containers (which creation forbids).
    const probe = structuredClone(next);
    delete probe.spec?.ephemeralContainers;
    throwIfInvalid(info, next, validateCreate(info, probe));
  } else throwIfInvalid(info, next, validateUpdate(info, next, current));
  // managedFields from the client are kept only when sent; otherwise the stored ones carry on.
  if (next.metadata!.managedFields === undefined && current.metadata?.managedFields) next.metadata!.managedFields = current.metadata.managedFields;
  if (applied) return next;
  return manage(s, info, current, next, manager, subresource);
}
