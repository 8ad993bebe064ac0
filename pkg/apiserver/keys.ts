// Storage keys: /registry/<group or "core">/<resource>/<namespace>/<name> (cluster-scoped: no namespace).
import type { ResourceInfo } from "../api/types.ts";

/** "<group or core>/<resource>" honouring shared storage (HPA v1/v2, core and events.k8s.io events). */
export function storageResource(info: ResourceInfo): string {
  if (info.storageGroupResource) {
    // "resource.group" or "resource" (core), upstream's GroupResource string form.
    const dot = info.storageGroupResource.indexOf(".");
    if (dot < 0) return `core/${info.storageGroupResource}`;
    return `${info.storageGroupResource.slice(dot + 1)}/${info.storageGroupResource.slice(0, dot)}`;
  }
  return `${info.group || "core"}/${info.resource}`;
}

export function objectKey(info: ResourceInfo, namespace: string | undefined, name: string): string {
  return info.namespaced ? `/registry/${storageResource(info)}/${namespace}/${name}` : `/registry/${storageResource(info)}/${name}`;
}

/** Prefix for a list/watch: all namespaces when namespace is undefined. Always ends with "/". */
export function listPrefix(info: ResourceInfo, namespace: string | undefined): string {
  return info.namespaced && namespace ? `/registry/${storageResource(info)}/${namespace}/` : `/registry/${storageResource(info)}/`;
}
