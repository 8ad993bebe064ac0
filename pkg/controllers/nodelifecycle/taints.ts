// Taint/toleration arithmetic for NoExecute eviction (upstream pkg/controller/tainteviction
// and k8s.io/api's Toleration.ToleratesTaint).
export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}
export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export const UNREACHABLE = "node.kubernetes.io/unreachable";
export const NOT_READY = "node.kubernetes.io/not-ready";

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (!t.key) return t.operator === "Exists";
  if (t.key !== taint.key) return false;
  return t.operator === "Exists" || (t.value ?? "") === (taint.value ?? "");
}

/**
 * When a pod on a node with these NoExecute taints must go: "now", "never", or ms since epoch
 * (each taint's timeAdded plus the shortest matching tolerationSeconds; the earliest wins).
 */
export function evictionTime(taints: Taint[], tolerations: Toleration[]): "now" | "never" | number {
  const noExec = taints.filter((t) => t.effect === "NoExecute");
  if (noExec.length === 0) return "never";
  let at: number | undefined;
  for (const taint of noExec) {
    const matching = tolerations.filter((t) => tolerates(t, taint));
    if (matching.length === 0) return "now";
    const secs = matching.map((t) => t.tolerationSeconds).filter((s): s is number => typeof s === "number");
    if (secs.length === 0) continue; // tolerated forever
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : Date.now();
    const when = added + Math.max(0, Math.min(...secs)) * 1000;
    at = at === undefined ? when : Math.min(at, when);
  }
  return at === undefined ? "never" : at;
}
