// ResourceQuota status (upstream pkg/controller/resourcequota): status.hard mirrors spec.hard and
// status.used sums what the namespace's objects use for each constrained resource.
import type { KubeObject } from "../../api/types.ts";
import type { GVR, SharedInformer } from "../../client/types.ts";
import type { ControllerContext, ControllerDescriptor } from "../types.ts";
import { INDEX_NAMESPACE, metaNamespaceKey } from "../../client/store.ts";
import { enqueueSelf } from "../shared/handlers.ts";
import { startQueueWorker } from "../history/controller.ts";
import { sameJSON } from "../history/podutil.ts";
import { countTarget, formatUsage, matchesScopes, objectUsage } from "../../api/admission/usage.ts";

export const RESOURCEQUOTAS: GVR = { group: "", version: "v1", resource: "resourcequotas" };
const WATCHED = ["pods", "services", "persistentvolumeclaims", "configmaps", "secrets", "replicationcontrollers", "resourcequotas"];

export interface ResourceQuotaControllerOptions {
  workers?: number;
  /** Full recalculation period (5 min upstream). */
  resyncMs?: number;
}

export function startResourceQuotaController(ctx: ControllerContext, o: ResourceQuotaControllerOptions = {}) {
  const quotas = ctx.informers.forResource<KubeObject>(RESOURCEQUOTAS);
  const watched = new Map<string, SharedInformer>(WATCHED.map((r) => [r, ctx.informers.forResource<KubeObject>({ group: "", version: "v1", resource: r })]));
  // A version to list other resources at; apps/batch are v1, everything else is looked up in discovery.
  const versionOf = async (group: string): Promise<string> => {
    if (group === "apps" || group === "batch" || group === "") return "v1";
    const g = await ctx.client.request<{ preferredVersion?: { version: string } }>("GET", `/apis/${group}`);
    return g.preferredVersion?.version ?? "v1";
  };

  const sync = async (key: string) => {
    const cached = quotas.store.get(key);
    if (!cached) return;
    const quota = structuredClone(cached);
    const ns = quota.metadata!.namespace!;
    const hard: Record<string, string> = quota.spec?.hard ?? {};
    const totals: Record<string, number> = Object.fromEntries(Object.keys(hard).map((k) => [k, 0]));
    const byResource = new Map<string, { group: string; resource: string }>();
    for (const k of Object.keys(hard)) {
      const t = countTarget(k);
      if (t) byResource.set(`${t.group}/${t.resource}`, t);
    }
    for (const { group, resource } of byResource.values()) {
      const inf = group === "" ? watched.get(resource) : undefined;
      const objs = inf ? inf.store.byIndex(INDEX_NAMESPACE, ns) : (await ctx.client.list<KubeObject>({ group, version: await versionOf(group), resource }, { namespace: ns })).items;
      for (const obj of objs) {
        if (!matchesScopes(quota, group, resource, obj)) continue;
        for (const [k, v] of Object.entries(objectUsage(group, resource, obj))) if (k in totals) totals[k]! += v;
      }
    }
    const status = { hard: { ...hard }, used: Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, formatUsage(k, v)])) };
    if (!sameJSON(status, quota.status ?? {})) await ctx.client.updateStatus(RESOURCEQUOTAS, { ...quota, status });
  };

  let timer: ReturnType<typeof setInterval> | undefined;
  return startQueueWorker(ctx, { name: "resourcequota", workers: o.workers ?? 2, sync }, (q) => {
    const byNs = (obj: KubeObject) => {
      const ns = obj.metadata?.namespace;
      if (ns) for (const x of quotas.store.byIndex(INDEX_NAMESPACE, ns)) q.add(metaNamespaceKey(x));
    };
    const hs = [quotas.addEventHandler(enqueueSelf(q))];
    for (const inf of watched.values()) if (inf !== quotas) hs.push(inf.addEventHandler({ onAdd: byNs, onUpdate: (_a, b) => byNs(b), onDelete: byNs }));
    timer = setInterval(() => quotas.store.list().forEach((x) => q.add(metaNamespaceKey(x))), o.resyncMs ?? 300_000);
    return () => {
      clearInterval(timer);
      hs.forEach((h) => h.remove());
    };
  });
}

export const resourceQuotaController: ControllerDescriptor = { name: "resourcequota", start: (ctx) => startResourceQuotaController(ctx) };
