// Legacy discovery documents: /api (APIVersions), /apis (APIGroupList), /api/v1 and /apis/<g>/<v> (APIResourceList).
import { createHash } from "node:crypto";
import type { Registry, ResourceInfo } from "../types.ts";

const groupVersionOf = (group: string, version: string) => (group ? `${group}/${version}` : version);

export function apiVersions(serverAddress: string): object {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

export function apiGroupList(registry: Registry): object {
  const groups = registry
    .groups()
    .filter((g) => g.name !== "")
    .map((g) => {
      const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }));
      return { name: g.name, versions, preferredVersion: versions[0] };
    });
  return { kind: "APIGroupList", apiVersion: "v1", groups };
}

/** apiserver's storage version hash: the first 8 bytes of sha256("<group>/<version>/<kind>") of the storage version, base64. */
export function storageVersionHash(registry: Registry, info: ResourceInfo): string | undefined {
  // Connect-only and virtual resources (reviews, metrics, bindings) have no storage.
  if (!info.verbs.includes("get") || info.group === "metrics.k8s.io") return undefined;
  let stored = info;
  if (info.storageGroupResource) {
    stored = registry.all().find((r) => r.storageGroupResource === info.storageGroupResource) ?? info;
  }
  const digest = createHash("sha256").update(`${stored.group}/${stored.version}/${stored.kind}`).digest();
  return digest.subarray(0, 8).toString("base64");
}

export function apiResourceList(registry: Registry, group: string, version: string): object | undefined {
  const infos = registry
    .all()
    .filter((r) => r.group === group && r.version === version)
    .sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0));
  if (infos.length === 0) return undefined;
  const resources: object[] = [];
  for (const r of infos) {
    const hash = storageVersionHash(registry, r);
    resources.push({
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories.length ? { categories: r.categories } : {}),
      ...(hash ? { storageVersionHash: hash } : {}),
    });
    for (const s of [...r.subresources].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const other = s.group !== undefined && s.version !== undefined && s.version !== "" && (s.group !== r.group || s.version !== r.version);
      resources.push({
        name: `${r.resource}/${s.name}`,
        singularName: "",
        namespaced: r.namespaced,
        ...(other ? { group: s.group, version: s.version } : {}),
        kind: s.kind,
        verbs: s.verbs,
      });
    }
  }
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: groupVersionOf(group, version), resources };
}
