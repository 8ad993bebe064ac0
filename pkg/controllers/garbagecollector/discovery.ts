// Served resources from the API's discovery documents (preferred version per group), as the
// garbage collector and namespace controller need them: kind, scope and verbs.
import type { Client, GVR } from "../../client/types.ts";

export interface DiscoveredResource {
  gvr: GVR;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

interface APIResourceList {
  groupVersion: string;
  resources: { name: string; kind: string; namespaced: boolean; verbs?: string[] }[];
}
interface APIGroupList {
  groups: { name: string; preferredVersion?: { groupVersion: string; version: string }; versions: { groupVersion: string; version: string }[] }[];
}

export async function discoverResources(client: Client, signal?: AbortSignal): Promise<DiscoveredResource[]> {
  const lists: APIResourceList[] = [await client.request<APIResourceList>("GET", "/api/v1", undefined, { signal })];
  const groups = await client.request<APIGroupList>("GET", "/apis", undefined, { signal });
  const fetched = await Promise.all(
    groups.groups.map((g) => {
      const gv = g.preferredVersion?.groupVersion ?? g.versions[0]?.groupVersion;
      return gv ? client.request<APIResourceList>("GET", `/apis/${gv}`, undefined, { signal }).catch(() => undefined) : undefined;
    }),
  );
  for (const l of fetched) if (l) lists.push(l);
  const out: DiscoveredResource[] = [];
  for (const l of lists) {
    const [group, version] = l.groupVersion.includes("/") ? l.groupVersion.split("/") : ["", l.groupVersion];
    for (const r of l.resources ?? []) {
      if (r.name.includes("/")) continue; // subresources
      out.push({ gvr: { group: group!, version: version!, resource: r.name }, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs ?? [] });
    }
  }
  return out;
}

export const gvrKey = (g: GVR) => `${g.group}/${g.version}/${g.resource}`;

/** "apps/v1" → "apps", "v1" → "". */
export const groupOf = (apiVersion: string) => (apiVersion.includes("/") ? apiVersion.split("/")[0]! : "");
