// Per-kind write rules (upstream's registry strategies): what create resets, what the main
// resource and the status subresource may change, generation bumps, create-on-update.
import type { KubeObject, ResourceInfo } from "../api/types.ts";
import { deepEqual, specChanged } from "./deps/meta.ts";
import { dropTypeDependentFields, keepAllocatedValues } from "./services.ts";

export const hasStatusSubresource = (info: ResourceInfo) => info.subresources.some((s) => s.name === "status");

// Kinds whose PUT may create the object (AllowCreateOnUpdate in upstream strategies).
const createOnUpdate = new Set([
  "/endpoints",
  "/events",
  "/limitranges",
  "coordination.k8s.io/leases",
  "rbac.authorization.k8s.io/roles",
  "rbac.authorization.k8s.io/rolebindings",
  "rbac.authorization.k8s.io/clusterroles",
  "rbac.authorization.k8s.io/clusterrolebindings",
  "events.k8s.io/events",
]);
export const allowCreateOnUpdate = (info: ResourceInfo) => createOnUpdate.has(`${info.group}/${info.resource}`);

const isCore = (info: ResourceInfo, resource: string) => info.group === "" && info.resource === resource;

/** Reset what a create may not set (status of kinds with a status subresource, except nodes). */
export function prepareForCreate(info: ResourceInfo, obj: KubeObject): void {
  if (info.hasGeneration) obj.metadata!.generation = 1;
  if (isCore(info, "namespaces")) {
    obj.spec = { ...(obj.spec ?? {}) };
    if (!Array.isArray(obj.spec.finalizers) || obj.spec.finalizers.length === 0) obj.spec.finalizers = ["kubernetes"];
    obj.status = { phase: "Active" };
    obj.metadata!.labels = { ...(obj.metadata!.labels ?? {}), "kubernetes.io/metadata.name": obj.metadata!.name! };
    return;
  }
  if (isCore(info, "pods")) {
    obj.status = { phase: "Pending", ...(obj.status?.qosClass ? { qosClass: obj.status.qosClass } : {}) };
    return;
  }
  if (hasStatusSubresource(info) && !isCore(info, "nodes") && info.group !== "apiextensions.k8s.io") {
    if (obj.status !== undefined) obj.status = {};
  }
}

/** Main-resource update: status (for kinds with a status subresource) stays as stored. */
export function prepareForUpdate(info: ResourceInfo, obj: KubeObject, old: KubeObject): void {
  if (hasStatusSubresource(info)) {
    if (old.status === undefined) delete obj.status;
    else obj.status = structuredClone(old.status);
  }
  if (isCore(info, "services")) {
    dropTypeDependentFields(obj, old);
    keepAllocatedValues(obj, old);
  }
  if (isCore(info, "namespaces")) {
    obj.spec = structuredClone(old.spec ?? {});
    obj.metadata!.labels = { ...(obj.metadata!.labels ?? {}), "kubernetes.io/metadata.name": obj.metadata!.name! };
  }
  bumpGeneration(info, obj, old);
}

/** Status update: only status changes; everything else stays as stored. */
export function prepareForStatusUpdate(_info: ResourceInfo, obj: KubeObject, old: KubeObject): KubeObject {
  const next = structuredClone(old);
  if (obj.status === undefined) delete next.status;
  else next.status = obj.status;
  next.metadata!.resourceVersion = obj.metadata?.resourceVersion;
  return next;
}

/** Namespace finalize: only spec.finalizers changes. */
export function prepareForFinalize(obj: KubeObject, old: KubeObject): KubeObject {
  const next = structuredClone(old);
  next.spec = { ...(next.spec ?? {}), finalizers: obj.spec?.finalizers ?? [] };
  if (!next.spec.finalizers.length) delete next.spec.finalizers;
  next.metadata!.resourceVersion = obj.metadata?.resourceVersion;
  return next;
}

export function bumpGeneration(info: ResourceInfo, obj: KubeObject, old: KubeObject): void {
  const g = old.metadata?.generation;
  if (g === undefined) {
    if (info.hasGeneration) obj.metadata!.generation = 1;
    else delete obj.metadata!.generation;
  } else obj.metadata!.generation = g;
  if (info.hasGeneration && specChanged(old, obj)) obj.metadata!.generation = (g ?? 0) + 1;
  // Deletion in progress: upstream bumps generation when deletionTimestamp is first set.
  if (info.hasGeneration && !old.metadata?.deletionTimestamp && obj.metadata?.deletionTimestamp) obj.metadata!.generation = (obj.metadata!.generation ?? 0) + 1;
}

/** Upstream's ShouldDeleteDuringUpdate: a deleting object whose last finalizer went away is removed. */
export function shouldDeleteDuringUpdate(info: ResourceInfo, obj: KubeObject): boolean {
  const m = obj.metadata!;
  if (!m.deletionTimestamp) return false;
  if ((m.finalizers ?? []).length > 0) return false;
  if (isCore(info, "namespaces")) return (obj.spec?.finalizers ?? []).length === 0;
  if (isCore(info, "pods")) return m.deletionGracePeriodSeconds === 0 || !obj.spec?.nodeName;
  return m.deletionGracePeriodSeconds === 0 || m.deletionGracePeriodSeconds === undefined;
}

export { deepEqual };

/** pods/ephemeralcontainers: only spec.ephemeralContainers changes. */
export function prepareForEphemeralContainers(obj: KubeObject, old: KubeObject): KubeObject {
  const next = structuredClone(old);
  next.spec = { ...(next.spec ?? {}) };
  if (obj.spec?.ephemeralContainers === undefined) delete next.spec.ephemeralContainers;
  else next.spec.ephemeralContainers = obj.spec.ephemeralContainers;
  next.metadata!.resourceVersion = obj.metadata?.resourceVersion;
  return next;
}

/** pods/resize: only the containers' resources (and resizePolicy) change. */
export function prepareForResize(obj: KubeObject, old: KubeObject): KubeObject {
  const next = structuredClone(old);
  const incoming = new Map<string, any>((obj.spec?.containers ?? []).map((c: any) => [c?.name, c]));
  for (const c of next.spec?.containers ?? []) {
    const n = incoming.get(c.name);
    if (!n) continue;
    if (n.resources === undefined) delete c.resources;
    else c.resources = n.resources;
    if (n.resizePolicy !== undefined) c.resizePolicy = n.resizePolicy;
  }
  next.metadata!.resourceVersion = obj.metadata?.resourceVersion;
  return next;
}
