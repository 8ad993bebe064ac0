// Discovery adapter. PLACEHOLDER until pkg/api/discovery lands: shapes built straight from the registry.
import type { Registry, ResourceInfo } from "../../api/types.ts";

const gv = (g: string, v: string) => (g ? `${g}/${v}` : v);

export function apiVersions(serverAddress: string): object {
  return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] };
}

export function apiGroupList(registry: Registry): object {
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: registry
      .groups()
      .filter((g) => g.name !== "")
      .map((g) => ({
        name: g.name,
        versions: g.versions.map((v) => ({ groupVersion: gv(g.name, v), version: v })),
        preferredVersion: { groupVersion: gv(g.name, g.versions[0]!), version: g.versions[0]! },
      })),
  };
}

export function apiResourceList(registry: Registry, group: string, version: string): object | undefined {
  const rs = registry.all().filter((r) => r.group === group && r.version === version);
  if (!rs.length) return undefined;
  const resources: object[] = [];
  for (const r of rs) {
    resources.push({ name: r.resource, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs, shortNames: r.shortNames.length ? r.shortNames : undefined, categories: r.categories.length ? r.categories : undefined });
    for (const s of r.subresources)
      resources.push({ name: `${r.resource}/${s.name}`, singularName: "", namespaced: r.namespaced, group: s.group, version: s.version, kind: s.kind, verbs: s.verbs });
  }
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: gv(group, version), resources };
}

function resourceEntry(r: ResourceInfo) {
  return {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? "Namespaced" : "Cluster",
    singularResource: r.singular,
    verbs: r.verbs,
    ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
    ...(r.categories.length ? { categories: r.categories } : {}),
    ...(r.subresources.length
      ? { subresources: r.subresources.map((s) => ({ subresource: s.name, responseKind: { group: s.group ?? r.group, version: s.version ?? r.version, kind: s.kind }, verbs: s.verbs })) }
      : {}),
  };
}

export function aggregatedDiscovery(registry: Registry, root: "api" | "apis", version: "v2" | "v2beta1"): object {
  const groups = registry.groups().filter((g) => (root === "api" ? g.name === "" : g.name !== ""));
  return {
    kind: "APIGroupDiscoveryList",
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map((g) => ({
      metadata: { name: g.name, creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        resources: registry.all().filter((r) => r.group === g.name && r.version === v).map(resourceEntry),
        freshness: "Current",
      })),
    })),
  };
}
