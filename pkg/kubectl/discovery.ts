// Discovery: the server's resources (aggregated v2 discovery, else the legacy documents) and
// kubectl's mapping of what users type (pods, po, Pod, deploy.apps, deployments.v1.apps,
// categories like "all") to resources.
import type { GVR } from "../client/types.ts";
import type { Conn } from "./conn.ts";

export interface ApiResource {
  group: string;
  version: string;
  resource: string;
  kind: string;
  singular: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  categories: string[];
  /** The group's preferred version (the first one the server lists). */
  preferred: boolean;
}

const AGG = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";

function fromAggregated(list: any): ApiResource[] {
  const out: ApiResource[] = [];
  for (const g of list.items ?? []) {
    const group = g.metadata?.name ?? "";
    (g.versions ?? []).forEach((v: any, vi: number) => {
      for (const r of v.resources ?? []) {
        out.push({
          group,
          version: v.version,
          resource: r.resource,
          kind: r.responseKind?.kind ?? "",
          singular: r.singularResource ?? "",
          namespaced: r.scope === "Namespaced",
          verbs: r.verbs ?? [],
          shortNames: r.shortNames ?? [],
          categories: r.categories ?? [],
          preferred: vi === 0,
        });
      }
    });
  }
  return out;
}

function fromLegacyList(group: string, version: string, preferred: boolean, list: any): ApiResource[] {
  return (list.resources ?? [])
    .filter((r: any) => !String(r.name).includes("/"))
    .map((r: any) => ({
      group,
      version,
      resource: r.name,
      kind: r.kind,
      singular: r.singularName || String(r.kind).toLowerCase(),
      namespaced: !!r.namespaced,
      verbs: r.verbs ?? [],
      shortNames: r.shortNames ?? [],
      categories: r.categories ?? [],
      preferred,
    }));
}

async function aggregated(conn: Conn, path: string): Promise<ApiResource[] | undefined> {
  const res = await conn.raw("GET", path, AGG);
  const ct = res.headers.get("content-type") ?? "";
  const body = await res.json();
  return ct.includes("as=APIGroupDiscoveryList") ? fromAggregated(body) : undefined;
}

export async function discover(conn: Conn): Promise<ApiResource[]> {
  const [core, groups] = await Promise.all([aggregated(conn, "/api"), aggregated(conn, "/apis")]);
  if (core && groups) return [...core, ...groups];
  const c = conn.client;
  const out: ApiResource[] = fromLegacyList("", "v1", true, await c.request("GET", "/api/v1"));
  const gl: any = await c.request("GET", "/apis");
  const lists = await Promise.all(
    (gl.groups ?? []).flatMap((g: any) =>
      (g.versions ?? []).map(async (v: any) =>
        fromLegacyList(g.name, v.version, v.version === g.preferredVersion?.version, await c.request("GET", `/apis/${v.groupVersion}`)),
      ),
    ),
  );
  return out.concat(...lists);
}

export const gvrOf = (r: ApiResource): GVR => ({ group: r.group, version: r.version, resource: r.resource });

/** `deployment.apps` / `pod`: how kubectl names a kind in messages (`deployment.apps "x" deleted`). */
export const kindName = (r: ApiResource) => (r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase());

/** `deployments.apps` / `pods`: the resource with its group (wait/timeouts, errors). */
export const resourceName = (r: ApiResource) => (r.group ? `${r.resource}.${r.group}` : r.resource);

function matches(r: ApiResource, word: string): boolean {
  const w = word.toLowerCase();
  return r.resource === w || r.singular === w || r.kind.toLowerCase() === w || r.shortNames.includes(w);
}

export class ResolveError extends Error {}

/** One resource for what the user typed; throws like kubectl when nothing matches. */
export function resolveResource(all: ApiResource[], typed: string): ApiResource {
  const parts = typed.split(".");
  const candidates: Array<{ word: string; version?: string; group?: string }> = [{ word: typed }];
  if (parts.length >= 2) candidates.push({ word: parts[0]!, group: parts.slice(1).join(".") });
  if (parts.length >= 3) candidates.push({ word: parts[0]!, version: parts[1], group: parts.slice(2).join(".") });
  for (const c of candidates) {
    const hits = all.filter(
      (r) => matches(r, c.word) && (c.group === undefined || r.group === c.group) && (c.version ? r.version === c.version : r.preferred),
    );
    if (hits.length) {
      // Core group first, then discovery order (kubectl's priority mapper).
      return hits.find((h) => h.group === "") ?? hits[0]!;
    }
  }
  throw new ResolveError(`the server doesn't have a resource type "${typed}"`);
}

/** A kind from a manifest's apiVersion+kind. */
export function resolveKind(all: ApiResource[], apiVersion: string, kind: string): ApiResource {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/", 2) : ["", apiVersion];
  const hit = all.find((r) => r.group === group && r.version === version && r.kind === kind);
  if (!hit) throw new ResolveError(`resource mapping not found for name: "" namespace: "" from "": no matches for kind "${kind}" in version "${apiVersion}"`);
  return hit;
}

/** A category ("all") expands to its resources, preferred versions, in discovery order. */
export function expandCategory(all: ApiResource[], word: string): ApiResource[] {
  return all.filter((r) => r.preferred && r.categories.includes(word));
}

/** `pods,svc` or a category → resources. */
export function resolveTypes(all: ApiResource[], typed: string): ApiResource[] {
  const out: ApiResource[] = [];
  for (const t of typed.split(",").filter(Boolean)) {
    const cat = expandCategory(all, t);
    const isResource = all.some((r) => matches(r, t));
    if (cat.length && !isResource) out.push(...cat);
    else out.push(resolveResource(all, t));
  }
  return out;
}
