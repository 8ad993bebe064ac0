// Pod predicates shared by the workload controllers (upstream pkg/api/v1/pod and
// pkg/controller/controller_utils.go).
import type { KubeObject } from "../../api/types.ts";

const readyCondition = (p: KubeObject) => (p.status?.conditions ?? []).find((c: { type: string }) => c.type === "Ready");

export const isPodReady = (p: KubeObject): boolean => readyCondition(p)?.status === "True";

/** Ready for at least minReadySeconds at `now`. */
export function isPodAvailable(p: KubeObject, minReadySeconds: number, now: Date): boolean {
  const c = readyCondition(p);
  if (c?.status !== "True") return false;
  if (!minReadySeconds) return true;
  const since = Date.parse(c.lastTransitionTime ?? "");
  return !Number.isNaN(since) && since + minReadySeconds * 1000 <= now.getTime();
}

/** Not finished and not being deleted (controller.FilterActivePods). */
export const isPodActive = (p: KubeObject): boolean =>
  p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed" && !p.metadata?.deletionTimestamp;

const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const restarts = (p: KubeObject) => (p.status?.containerStatuses ?? []).reduce((n: number, c: { restartCount?: number }) => Math.max(n, c.restartCount ?? 0), 0);
const deletionCost = (p: KubeObject) => {
  const v = Number(p.metadata?.annotations?.["controller.kubernetes.io/pod-deletion-cost"] ?? 0);
  return Number.isFinite(v) ? v : 0;
};
const time = (s: string | undefined) => (s ? Date.parse(s) : 0);

/**
 * Order in which pods are deleted on scale-down (ActivePodsWithRanks.Less): unassigned,
 * pending, not ready, lower deletion cost, more pods of the owner on the same node, ready for less
 * time, more restarts, newer — first.
 */
export function deletionOrder(pods: KubeObject[]): KubeObject[] {
  const onNode = new Map<string, number>();
  for (const p of pods) if (p.spec?.nodeName) onNode.set(p.spec.nodeName, (onNode.get(p.spec.nodeName) ?? 0) + 1);
  const cmp = (a: KubeObject, b: KubeObject): number => {
    const an = !!a.spec?.nodeName, bn = !!b.spec?.nodeName;
    if (an !== bn) return an ? 1 : -1;
    const ap = phaseRank[a.status?.phase] ?? 0, bp = phaseRank[b.status?.phase] ?? 0;
    if (ap !== bp) return ap - bp;
    const ar = isPodReady(a), br = isPodReady(b);
    if (ar !== br) return ar ? 1 : -1;
    const ac = deletionCost(a), bc = deletionCost(b);
    if (ac !== bc) return ac - bc;
    const ad = onNode.get(a.spec?.nodeName) ?? 0, bd = onNode.get(b.spec?.nodeName) ?? 0;
    if (ad !== bd) return bd - ad;
    if (ar && br) {
      const at = time(readyCondition(a)?.lastTransitionTime), bt = time(readyCondition(b)?.lastTransitionTime);
      if (at !== bt) return bt - at;
    }
    const rc = restarts(b) - restarts(a);
    if (rc !== 0) return rc;
    return time(b.metadata?.creationTimestamp) - time(a.metadata?.creationTimestamp);
  };
  return [...pods].sort(cmp);
}
