// The eviction decision against PodDisruptionBudgets, as a pure function for the API server's
// pods/eviction handler (upstream pkg/registry/core/pod/storage/eviction.go).
import type { KubeObject } from "../../api/types.ts";
import { labelSelectorFromSpec, matchesLabels } from "../../api/selectors/labels.ts";
import { isPodReady, rfc3339 } from "../history/podutil.ts";

export interface EvictionDecision {
  allowed: boolean;
  /** When refused: the HTTP code (429 budget, 500 several PDBs, 403 negative budget) and upstream's texts. */
  code?: number;
  message?: string;
  cause?: { type: "DisruptionBudget"; message: string };
  /** When allowed through a PDB: that PDB with status updated (disruptionsAllowed−1, disruptedPods) to write back. */
  pdb?: KubeObject;
}

/** PDBs in the pod's namespace whose selector matches it (nil selects nothing, {} everything). */
export function pdbsForPod(pdbs: KubeObject[], pod: KubeObject): KubeObject[] {
  return pdbs.filter((p) => p.metadata?.namespace === pod.metadata?.namespace && matchesLabels(labelSelectorFromSpec(p.spec?.selector), pod.metadata?.labels ?? {}));
}

export function evictionAllowed(pdbs: KubeObject[], pod: KubeObject, now: Date = new Date()): EvictionDecision {
  const phase = pod.status?.phase;
  // Terminal, pending or already-deleting pods do not count against a budget.
  if (phase === "Succeeded" || phase === "Failed" || phase === "Pending" || pod.metadata?.deletionTimestamp) return { allowed: true };
  const mine = pdbsForPod(pdbs, pod);
  if (!mine.length) return { allowed: true };
  if (mine.length > 1) return { allowed: false, code: 500, message: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support." };
  const pdb = structuredClone(mine[0]!);
  const name = pdb.metadata!.name!;
  const st = pdb.status ?? {};
  const refuse = (msg: string): EvictionDecision => ({ allowed: false, code: 429, message: "Cannot evict pod as it would violate the pod's disruption budget.", cause: { type: "DisruptionBudget", message: msg } });
  if ((st.observedGeneration ?? 0) < (pdb.metadata!.generation ?? 0)) return refuse(`The disruption budget ${name} is still being processed by the server.`);
  if (!isPodReady(pod)) {
    // An unhealthy pod: AlwaysAllow, or IfHealthyBudget when the budget is currently met.
    if (pdb.spec?.unhealthyPodEvictionPolicy === "AlwaysAllow" || (st.currentHealthy ?? 0) >= (st.desiredHealthy ?? 0)) return { allowed: true };
    return refuse(`The disruption budget ${name} needs ${st.desiredHealthy ?? 0} healthy pods and has ${st.currentHealthy ?? 0} currently`);
  }
  const allowed = st.disruptionsAllowed ?? 0;
  if (allowed < 0) return { allowed: false, code: 403, message: "pdb disruptions allowed is negative" };
  if (allowed === 0) return refuse(`The disruption budget ${name} needs ${st.desiredHealthy ?? 0} healthy pods and has ${st.currentHealthy ?? 0} currently`);
  pdb.status = { ...st, disruptionsAllowed: allowed - 1, disruptedPods: { ...(st.disruptedPods ?? {}), [pod.metadata!.name!]: rfc3339(now) } };
  return { allowed: true, pdb };
}
