// The resource registry: every served group/version/resource, built-ins first; CRDs add to it at run time.
import { coreV1 } from "./resources/core.ts";
import { namedGroups } from "./resources/groups.ts";
import { compareVersions } from "./resources/version.ts";
import type { APIGroupInfo, Registry, ResourceInfo } from "./types.ts";

export const builtinResources: ResourceInfo[] = [...coreV1, ...namedGroups];

const key = (group: string, version: string, name: string) => `${group}/${version}/${name}`;

/** A registry over the built-ins plus `extra`; later entries for the same group/version/resource replace earlier ones. */
export function createRegistry(extra: ResourceInfo[] = []): Registry {
  const byResource = new Map<string, ResourceInfo>();
  const byKindKey = new Map<string, ResourceInfo>();
  // Group order follows first appearance (upstream priority for built-ins, then CRDs in the order added).
  const groupOrder: string[] = [];

  const add = (info: ResourceInfo) => {
    const copy = structuredClone(info);
    remove(info.group, info.version, info.resource);
    byResource.set(key(info.group, info.version, info.resource), copy);
    byKindKey.set(key(info.group, info.version, info.kind), copy);
    if (!groupOrder.includes(info.group)) groupOrder.push(info.group);
  };
  const remove = (group: string, version: string, resource: string) => {
    const k = key(group, version, resource);
    const old = byResource.get(k);
    if (!old) return;
    byResource.delete(k);
    const kk = key(group, version, old.kind);
    if (byKindKey.get(kk) === old) byKindKey.delete(kk);
    if (![...byResource.values()].some((r) => r.group === group)) groupOrder.splice(groupOrder.indexOf(group), 1);
  };

  for (const info of builtinResources) add(info);
  for (const info of extra) add(info);

  return {
    all: () => [...byResource.values()],
    groups(): APIGroupInfo[] {
      const versions = new Map<string, Set<string>>(groupOrder.map((g) => [g, new Set()]));
      for (const r of byResource.values()) versions.get(r.group)!.add(r.version);
      return groupOrder.map((name) => ({ name, versions: [...versions.get(name)!].sort(compareVersions) }));
    },
    lookup: (group, version, resource) => byResource.get(key(group, version, resource)),
    byKind: (group, version, kind) => byKindKey.get(key(group, version, kind)),
    add,
    remove,
  };
}
