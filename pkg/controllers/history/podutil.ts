// Pod helpers shared by the workload controllers (upstream pkg/api/v1/pod and controller_utils).
import type { KubeObject } from "../../api/types.ts";
import type { GVR } from "../../client/types.ts";

export const PODS: GVR = { group: "", version: "v1", resource: "pods" };
export const PVCS: GVR = { group: "", version: "v1", resource: "persistentvolumeclaims" };
export const NODES: GVR = { group: "", version: "v1", resource: "nodes" };
export const CONTROLLER_REVISIONS: GVR = { group: "apps", version: "v1", resource: "controllerrevisions" };

/** Kubernetes' metav1.Time: RFC 3339 in seconds. */
export const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

export type Pod = KubeObject;

export function podCondition(pod: Pod, type: string): { status?: string; lastTransitionTime?: string } | undefined {
  return (pod.status?.conditions ?? []).find((c: { type: string }) => c.type === type);
}

export const isPodReady = (pod: Pod) => podCondition(pod, "Ready")?.status === "True";
export const isTerminal = (pod: Pod) => pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
export const isDeleting = (pod: Pod) => !!pod.metadata?.deletionTimestamp;
/** controller.IsPodActive: not terminal and not being deleted. */
export const isPodActive = (pod: Pod) => !isTerminal(pod) && !isDeleting(pod);

/** Ready for at least minReadySeconds (podutil.IsPodAvailable). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: Date): boolean {
  const c = podCondition(pod, "Ready");
  if (c?.status !== "True") return false;
  if (!minReadySeconds) return true;
  const t = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return !Number.isNaN(t) && t + minReadySeconds * 1000 <= now.getTime();
}

export interface OwnerInfo {
  apiVersion: string;
  kind: string;
}

export function ownerRefTo(owner: KubeObject, o: OwnerInfo) {
  return { apiVersion: o.apiVersion, kind: o.kind, name: owner.metadata!.name!, uid: owner.metadata!.uid!, controller: true, blockOwnerDeletion: true };
}

/** The uid of the object's controlling owner, if any. */
export const controllerUID = (o: KubeObject) => o.metadata?.ownerReferences?.find((r) => r.controller)?.uid;

/** controller.GetPodFromTemplate: labels, annotations, finalizers and spec from the template; controller ownerRef. */
export function podFromTemplate(template: KubeObject, owner: KubeObject, o: OwnerInfo): Pod {
  const t = structuredClone(template ?? {});
  const meta = t.metadata ?? {};
  const pod: Pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      namespace: owner.metadata!.namespace,
      labels: { ...(meta.labels ?? {}) },
      annotations: { ...(meta.annotations ?? {}) },
      ownerReferences: [ownerRefTo(owner, o)],
    },
    spec: t.spec ?? {},
  };
  if (meta.finalizers?.length) pod.metadata!.finalizers = [...meta.finalizers];
  if (!Object.keys(pod.metadata!.annotations!).length) delete pod.metadata!.annotations;
  return pod;
}

/** Parses an IntOrString against a total (percentages round as `roundUp` says). */
export function scaledValue(v: unknown, total: number, roundUp: boolean): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.endsWith("%")) {
    const pct = Number(v.slice(0, -1));
    const x = (pct * total) / 100;
    return roundUp ? Math.ceil(x) : Math.floor(x);
  }
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
}

/** True if a and b are equal as JSON (plain data). */
export function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = canonical((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}
