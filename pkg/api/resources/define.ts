// Compact builder for built-in ResourceInfo entries, so each group file reads like upstream discovery.
import type { ResourceInfo, SubresourceInfo } from "../types.ts";

/** Verbs upstream discovery reports for an ordinary stored resource. */
export const CRUD = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
export const STATUS_VERBS = ["get", "patch", "update"];

export interface ResourceSpec {
  kind: string;
  resource: string;
  singular?: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs?: string[];
  subresources?: SubresourceInfo[];
  storageGroupResource?: string;
  fieldSelectors?: string[];
  hasGeneration?: boolean;
}

/** All resources of one group-version. */
export function groupVersion(group: string, version: string, specs: ResourceSpec[]): ResourceInfo[] {
  return specs.map((s) => ({
    group,
    version,
    resource: s.resource,
    singular: s.singular ?? s.kind.toLowerCase(),
    kind: s.kind,
    listKind: `${s.kind}List`,
    namespaced: s.namespaced,
    shortNames: s.shortNames ?? [],
    categories: s.categories ?? [],
    verbs: s.verbs ?? CRUD,
    subresources: s.subresources ?? [],
    ...(s.storageGroupResource ? { storageGroupResource: s.storageGroupResource } : {}),
    ...(s.fieldSelectors ? { fieldSelectors: s.fieldSelectors } : {}),
    hasGeneration: s.hasGeneration ?? false,
  }));
}

/** The status subresource serves the parent kind. */
export function status(kind: string): SubresourceInfo {
  return { name: "status", kind, verbs: STATUS_VERBS };
}

/** The scale subresource always serves autoscaling/v1 Scale. */
export const scale: SubresourceInfo = { name: "scale", kind: "Scale", group: "autoscaling", version: "v1", verbs: STATUS_VERBS };

/** A subresource answered with an options kind (PodExecOptions…): upstream reports it with empty group and version. */
export function connect(name: string, kind: string, verbs: string[]): SubresourceInfo {
  return { name, kind, group: "", version: "", verbs };
}

/** Proxy subresources (pods, services, nodes) answer every method but list/watch. */
export function proxy(kind: string): SubresourceInfo {
  return connect("proxy", kind, ["create", "delete", "get", "patch", "update"]);
}
