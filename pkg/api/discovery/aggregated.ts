// Aggregated discovery (apidiscovery.k8s.io v2 / v2beta1 APIGroupDiscoveryList): one request lists every resource.
import type { Registry, ResourceInfo, SubresourceInfo } from "../types.ts";

export const AGGREGATED_CONTENT_TYPE = {
  v2: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
  v2beta1: "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList",
} as const;

const byName = <T>(f: (x: T) => string) => (a: T, b: T) => (f(a) < f(b) ? -1 : f(a) > f(b) ? 1 : 0);

function subresource(r: ResourceInfo, s: SubresourceInfo): object {
  return {
    subresource: s.name,
    responseKind: { group: s.group ?? r.group, version: s.version ?? r.version, kind: s.kind },
    verbs: s.verbs,
  };
}

function resource(r: ResourceInfo): object {
  return {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? "Namespaced" : "Cluster",
    singularResource: r.singular,
    verbs: r.verbs,
    ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
    ...(r.categories.length ? { categories: r.categories } : {}),
    ...(r.subresources.length ? { subresources: [...r.subresources].sort(byName((s) => s.name)).map((s) => subresource(r, s)) } : {}),
  };
}

/** The document for /api (core group only) or /apis (every named group), versions preferred first. */
export function aggregatedDiscovery(registry: Registry, root: "api" | "apis", version: "v2" | "v2beta1"): object {
  const all = registry.all();
  const items = registry
    .groups()
    .filter((g) => (root === "api" ? g.name === "" : g.name !== ""))
    .map((g) => ({
      metadata: { ...(g.name ? { name: g.name } : {}), creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        resources: all
          .filter((r) => r.group === g.name && r.version === v)
          .sort(byName((r) => r.resource))
          .map(resource),
        freshness: "Current",
      })),
    }));
  return { kind: "APIGroupDiscoveryList", apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}
