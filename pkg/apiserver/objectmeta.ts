// Server-owned metadata on create and update.
import type { KubeObject, ResourceInfo } from "../api/types.ts";
import { badRequest } from "../api/errors.ts";
import { newUID, nowRFC3339 } from "./deps/meta.ts";

/** Check apiVersion/kind of a body against the endpoint and fill them when absent. */
export function checkTypeMeta(info: ResourceInfo, obj: KubeObject, kind = info.kind, group = info.group, version = info.version): void {
  const want = group ? `${group}/${version}` : version;
  if (obj.apiVersion === undefined || obj.apiVersion === "") obj.apiVersion = want;
  if (obj.kind === undefined || obj.kind === "") obj.kind = kind;
  if (typeof obj.apiVersion !== "string" || typeof obj.kind !== "string") throw badRequest("Object 'Kind' is missing or not a string");
  if (obj.apiVersion !== want) throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${want})`);
  if (obj.kind !== kind) throw badRequest(`${obj.kind} in version "${version}" cannot be handled as a ${kind}: no kind "${obj.kind}" is registered for version "${want}"`);
  if (obj.metadata !== undefined && (obj.metadata === null || typeof obj.metadata !== "object" || Array.isArray(obj.metadata)))
    throw badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: metadata must be an object`);
  obj.metadata ??= {};
}

/** Namespace of the body vs the URL (upstream's EnsureObjectNamespaceMatchesRequestNamespace). */
export function reconcileNamespace(info: ResourceInfo, obj: KubeObject, namespace: string | undefined): void {
  const m = obj.metadata!;
  if (!info.namespaced) {
    if (m.namespace) delete m.namespace; // cluster-scoped objects never carry one
    return;
  }
  if (m.namespace === undefined || m.namespace === "") m.namespace = namespace;
  else if (m.namespace !== namespace) throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
}

/** Fields a create assigns; client values for them are ignored as upstream does. */
export function fillCreateMeta(obj: KubeObject, now: Date): void {
  const m = obj.metadata!;
  m.uid = newUID();
  m.creationTimestamp = nowRFC3339(now.getTime());
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete m.resourceVersion;
  delete m.generation;
  delete m.selfLink;
  if (m.labels && Object.keys(m.labels).length === 0) delete m.labels;
  if (m.annotations && Object.keys(m.annotations).length === 0) delete m.annotations;
  if (m.finalizers && m.finalizers.length === 0) delete m.finalizers;
}

/** Fields an update may not change: kept from the stored object. */
export function carryUpdateMeta(obj: KubeObject, old: KubeObject): void {
  const m = obj.metadata!;
  const o = old.metadata!;
  m.name = o.name;
  if (o.namespace !== undefined) m.namespace = o.namespace;
  m.uid = o.uid;
  m.creationTimestamp = o.creationTimestamp;
  if (o.deletionTimestamp) m.deletionTimestamp = o.deletionTimestamp;
  else delete m.deletionTimestamp;
  if (o.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds;
  else delete m.deletionGracePeriodSeconds;
  if (o.generateName !== undefined && m.generateName === undefined) m.generateName = o.generateName;
  delete m.selfLink;
  if (m.labels && Object.keys(m.labels).length === 0) delete m.labels;
  if (m.annotations && Object.keys(m.annotations).length === 0) delete m.annotations;
  if (m.finalizers && m.finalizers.length === 0) delete m.finalizers;
}
