// PodDisruptionBudget status (upstream pkg/controller/disruption): expected pods (from the
// controllers' scale for maxUnavailable and percentages), desired and current healthy, and
// disruptionsAllowed with the DisruptionAllowed condition.
import type { KubeObject } from "../../api/types.ts";
import type { GVR } from "../../client/types.ts";
import type { ControllerContext, ControllerDescriptor } from "../types.ts";
import { INDEX_NAMESPACE, metaNamespaceKey } from "../../client/store.ts";
import { labelSelectorFromSpec, matchesLabels } from "../../api/selectors/labels.ts";
import { enqueueSelf } from "../shared/handlers.ts";
import { startQueueWorker, ignoreNotFound } from "../history/controller.ts";
import { PODS, isDeleting, isPodReady, rfc3339, sameJSON, scaledValue } from "../history/podutil.ts";

export const PDBS: GVR = { group: "policy", version: "v1", resource: "poddisruptionbudgets" };
const OWNERS: Record<string, GVR> = {
  ReplicaSet: { group: "apps", version: "v1", resource: "replicasets" },
  Deployment: { group: "apps", version: "v1", resource: "deployments" },
  StatefulSet: { group: "apps", version: "v1", resource: "statefulsets" },
  ReplicationController: { group: "", version: "v1", resource: "replicationcontrollers" },
};
// Entries in disruptedPods older than this are dropped (2 minutes upstream).
const DELETION_TIMEOUT_MS = 120_000;

export function startDisruptionController(ctx: ControllerContext, o: { workers?: number } = {}) {
  const pdbs = ctx.informers.forResource<KubeObject>(PDBS);
  const pods = ctx.informers.forResource<KubeObject>(PODS);
  const recorder = ctx.recorder("controllermanager");

  // The scale of the pod's controller (a ReplicaSet counts as its Deployment).
  const controllerScale = async (ns: string, ref: { kind: string; name: string; uid: string }): Promise<{ uid: string; replicas: number } | undefined> => {
    const gvr = OWNERS[ref.kind];
    if (!gvr) return undefined;
    const obj = await ctx.client.get<KubeObject>(gvr, ref.name, { namespace: ns }).catch(ignoreNotFound);
    if (!obj || obj.metadata!.uid !== ref.uid) return undefined;
    const up = obj.metadata!.ownerReferences?.find((r) => r.controller && r.kind === "Deployment");
    if (ref.kind === "ReplicaSet" && up) return controllerScale(ns, up);
    return { uid: obj.metadata!.uid!, replicas: obj.spec?.replicas ?? 1 };
  };

  const sync = async (key: string) => {
    const cached = pdbs.store.get(key);
    if (!cached) return;
    const pdb = structuredClone(cached);
    pdb.apiVersion ??= "policy/v1";
    pdb.kind ??= "PodDisruptionBudget";
    const ns = pdb.metadata!.namespace!;
    const sel = labelSelectorFromSpec(pdb.spec?.selector);
    const matched = pods.store.byIndex(INDEX_NAMESPACE, ns).filter((p) => matchesLabels(sel, p.metadata?.labels ?? {}));
    const now = ctx.config.now();
    const status: Record<string, any> = structuredClone(pdb.status ?? {});
    const old = structuredClone(status);
    let expected = matched.length;
    let desired = 0;
    let failure: string | undefined;
    const { minAvailable, maxUnavailable } = pdb.spec ?? {};
    const needScale = maxUnavailable !== undefined || (typeof minAvailable === "string" && minAvailable.endsWith("%"));
    if (needScale) {
      const seen = new Map<string, number>();
      for (const p of matched) {
        const ref = p.metadata!.ownerReferences?.find((r) => r.controller);
        const s = ref ? await controllerScale(ns, ref) : undefined;
        if (!s) {
          failure = `found no controllers for pod "${p.metadata!.name}"`;
          break;
        }
        seen.set(s.uid, s.replicas);
      }
      expected = [...seen.values()].reduce((a, b) => a + b, 0);
      if (maxUnavailable !== undefined) desired = Math.max(0, expected - scaledValue(maxUnavailable, expected, true));
      else desired = scaledValue(minAvailable, expected, true);
    } else desired = minAvailable !== undefined ? scaledValue(minAvailable, expected, true) : expected;

    const disrupted: Record<string, string> = {};
    for (const [name, t] of Object.entries<string>(status.disruptedPods ?? {})) {
      const p = matched.find((x) => x.metadata!.name === name);
      if (p && !isDeleting(p) && Date.parse(t) + DELETION_TIMEOUT_MS > now.getTime()) disrupted[name] = t;
    }
    const healthy = matched.filter((p) => isPodReady(p) && !isDeleting(p) && !(p.metadata!.name! in disrupted)).length;
    status.observedGeneration = pdb.metadata!.generation;
    status.expectedPods = failure ? 0 : expected;
    status.desiredHealthy = failure ? 0 : desired;
    status.currentHealthy = failure ? 0 : healthy;
    status.disruptionsAllowed = failure ? 0 : Math.max(0, healthy - desired);
    if (Object.keys(disrupted).length) status.disruptedPods = disrupted;
    else delete status.disruptedPods;
    const cond = failure
      ? { type: "DisruptionAllowed", status: "False", reason: "SyncFailed", message: failure, observedGeneration: pdb.metadata!.generation }
      : { type: "DisruptionAllowed", status: status.disruptionsAllowed > 0 ? "True" : "False", reason: status.disruptionsAllowed > 0 ? "SufficientPods" : "InsufficientPods", message: "", observedGeneration: pdb.metadata!.generation };
    const prev = (status.conditions ?? []).find((c: any) => c.type === "DisruptionAllowed");
    const lastTransitionTime = prev && prev.status === cond.status ? prev.lastTransitionTime : rfc3339(now);
    status.conditions = [...(status.conditions ?? []).filter((c: any) => c.type !== "DisruptionAllowed"), { ...cond, lastTransitionTime }];
    if (failure) recorder.event(pdb, "Warning", "NoControllers", failure);
    if (!sameJSON(status, old)) await ctx.client.updateStatus(PDBS, { ...pdb, status });
    // Recheck when a disrupted-pod entry expires.
    for (const t of Object.values(disrupted)) running.queue.addAfter(key, Date.parse(t) + DELETION_TIMEOUT_MS - now.getTime());
  };

  const running = startQueueWorker(ctx, { name: "disruption", workers: o.workers ?? 2, sync }, (q) => {
    const forPod = (p: KubeObject) => {
      for (const pdb of pdbs.store.byIndex(INDEX_NAMESPACE, p.metadata?.namespace ?? "")) if (matchesLabels(labelSelectorFromSpec(pdb.spec?.selector), p.metadata?.labels ?? {})) q.add(metaNamespaceKey(pdb));
    };
    const hs = [pdbs.addEventHandler(enqueueSelf(q)), pods.addEventHandler({ onAdd: forPod, onUpdate: (a, b) => (forPod(a), forPod(b)), onDelete: forPod })];
    return () => hs.forEach((h) => h.remove());
  });
  return running;
}

export const disruptionController: ControllerDescriptor = { name: "disruption", start: (ctx) => startDisruptionController(ctx) };
