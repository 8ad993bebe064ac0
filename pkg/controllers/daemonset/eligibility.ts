// Which nodes a DaemonSet pod should run on (upstream NodeShouldRunDaemonPod): nodeSelector,
// required node affinity, and taints against the pod's tolerations (including those added below).
import type { KubeObject } from "../../api/types.ts";

export interface Toleration {
  key?: string;
  operator?: "Exists" | "Equal";
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** Tolerations upstream's DaemonSet controller adds to every daemon pod (util.AddOrUpdateDaemonPodTolerations). */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const t = (key: string, effect: string): Toleration => ({ key, operator: "Exists", effect });
  const out = [
    t("node.kubernetes.io/not-ready", "NoExecute"),
    t("node.kubernetes.io/unreachable", "NoExecute"),
    t("node.kubernetes.io/disk-pressure", "NoSchedule"),
    t("node.kubernetes.io/memory-pressure", "NoSchedule"),
    t("node.kubernetes.io/pid-pressure", "NoSchedule"),
    t("node.kubernetes.io/unschedulable", "NoSchedule"),
  ];
  if (hostNetwork) out.push(t("node.kubernetes.io/network-unavailable", "NoSchedule"));
  return out;
}

/** Adds the daemon tolerations the list does not already have. */
export function withDaemonTolerations(existing: Toleration[] | undefined, hostNetwork: boolean): Toleration[] {
  const out = [...(existing ?? [])];
  for (const t of daemonTolerations(hostNetwork)) if (!out.some((x) => x.key === t.key && x.effect === t.effect && (x.operator ?? "Equal") === "Exists")) out.push(t);
  return out;
}

export function tolerates(tols: Toleration[], taint: { key: string; value?: string; effect: string }): boolean {
  return tols.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (!t.key) return t.operator === "Exists";
    if (t.key !== taint.key) return false;
    return t.operator === "Exists" || (t.value ?? "") === (taint.value ?? "");
  });
}

function matchExpr(e: { key: string; operator: string; values?: string[] }, val: string | undefined): boolean {
  const vs = e.values ?? [];
  switch (e.operator) {
    case "In":
      return val !== undefined && vs.includes(val);
    case "NotIn":
      return val === undefined || !vs.includes(val);
    case "Exists":
      return val !== undefined;
    case "DoesNotExist":
      return val === undefined;
    case "Gt":
      return val !== undefined && Number(val) > Number(vs[0]);
    case "Lt":
      return val !== undefined && Number(val) < Number(vs[0]);
  }
  return false;
}

/** A nodeSelectorTerm list (ORed terms, ANDed expressions); no terms matches nothing. */
export function matchesNodeSelectorTerms(terms: any[], node: KubeObject): boolean {
  const labels = node.metadata?.labels ?? {};
  return terms.some((term) => {
    const exprs = term.matchExpressions ?? [];
    const fields = term.matchFields ?? [];
    if (!exprs.length && !fields.length) return false;
    return exprs.every((e: any) => matchExpr(e, labels[e.key])) && fields.every((f: any) => matchExpr(f, f.key === "metadata.name" ? node.metadata?.name : undefined));
  });
}

export interface Eligibility {
  /** The pod should be created on this node. */
  shouldRun: boolean;
  /** An existing pod may stay (only NoExecute taints evict). */
  shouldContinueRunning: boolean;
}

export function nodeEligibility(podSpec: any, node: KubeObject): Eligibility {
  const labels = node.metadata?.labels ?? {};
  const selOK = Object.entries(podSpec.nodeSelector ?? {}).every(([k, v]) => labels[k] === v);
  const terms = podSpec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const affOK = !terms || matchesNodeSelectorTerms(terms, node);
  if (!selOK || !affOK) return { shouldRun: false, shouldContinueRunning: false };
  const tols = withDaemonTolerations(podSpec.tolerations, !!podSpec.hostNetwork);
  const taints: any[] = node.spec?.taints ?? [];
  const noExec = taints.filter((t) => t.effect === "NoExecute").every((t) => tolerates(tols, t));
  const noSched = taints.filter((t) => t.effect === "NoSchedule").every((t) => tolerates(tols, t));
  return { shouldRun: noExec && noSched, shouldContinueRunning: noExec };
}

/** spec.nodeName or the node pinned by a daemon pod's `metadata.name` matchFields (util.GetTargetNodeName). */
export function targetNodeName(pod: KubeObject): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const term of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) if (f.key === "metadata.name" && f.operator === "In" && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}

/** Pins a pod to one node the upstream way: required affinity replaced by one matchFields term. */
export function pinToNode(podSpec: any, nodeName: string): void {
  const aff = (podSpec.affinity ??= {});
  const na = (aff.nodeAffinity ??= {});
  na.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: [nodeName] }] }] };
}
