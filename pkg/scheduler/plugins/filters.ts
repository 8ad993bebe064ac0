// The per-node filters that need no cluster-wide precomputation: NodeUnschedulable, NodeName,
// TaintToleration, NodeAffinity (nodeSelector + required terms), NodePorts, NodeResourcesFit.
import type { NodeInfo } from "../nodeinfo.ts";
import type { PodInfo } from "../podinfo.ts";
import { unresolvable, unschedulable, type Pod, type Status } from "../types.ts";
import { firstUntoleratedTaint, termMatchesNode, toleratesAny } from "./helpers.ts";

export function nodeUnschedulable(pod: Pod, ni: NodeInfo): Status | undefined {
  if (!ni.node.spec?.unschedulable) return undefined;
  if (toleratesAny(pod.spec.tolerations, { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" })) return undefined;
  return unresolvable("NodeUnschedulable", "node(s) were unschedulable");
}

export function nodeName(pod: Pod, ni: NodeInfo): Status | undefined {
  if (!pod.spec.nodeName || pod.spec.nodeName === ni.name) return undefined;
  return unresolvable("NodeName", "node(s) didn't match the requested node name");
}

export function taintToleration(pod: Pod, ni: NodeInfo): Status | undefined {
  const t = firstUntoleratedTaint(ni.node.spec?.taints, pod.spec.tolerations);
  if (!t) return undefined;
  return unresolvable("TaintToleration", `node(s) had untolerated taint {${t.key}: ${t.value ?? ""}}`);
}

/** nodeSelector and required node affinity (both must hold). */
export function matchesNodeSelectorAndAffinity(pod: Pod, labels: Record<string, string>, name: string): boolean {
  for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const req = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (req) {
    const terms = req.nodeSelectorTerms ?? [];
    if (!terms.some((t) => termMatchesNode(t, labels, name))) return false;
  }
  return true;
}

export function nodeAffinity(pod: Pod, ni: NodeInfo): Status | undefined {
  if (matchesNodeSelectorAndAffinity(pod, ni.labels, ni.name)) return undefined;
  return unresolvable("NodeAffinity", "node(s) didn't match Pod's node affinity/selector");
}

export function nodePorts(p: PodInfo, ni: NodeInfo): Status | undefined {
  for (const hp of p.ports) {
    const used = ni.usedPorts.get(`${hp.protocol}/${hp.port}`);
    if (!used) continue;
    if (hp.ip === "0.0.0.0" || used.includes("0.0.0.0") || used.includes(hp.ip))
      return unschedulable("NodePorts", "node(s) didn't have free ports for the requested pod ports");
  }
  return undefined;
}

/**
 * Requests against allocatable minus what pods there (and nominated higher-priority pods,
 * passed as `extra`) already request; every shortfall is its own reason, as upstream.
 */
export function nodeResourcesFit(p: PodInfo, ni: NodeInfo, extra?: { requests: Map<string, number>; pods: number }): Status | undefined {
  const reasons: string[] = [];
  const allowedPods = ni.allocatable.get("pods") ?? 0;
  if (ni.pods.size + 1 + (extra?.pods ?? 0) > allowedPods) reasons.push("Too many pods");
  for (const [name, want] of orderedRequests(p.requests)) {
    if (want <= 0 || name === "pods") continue;
    const have = ni.allocatable.get(name) ?? 0;
    const used = (ni.requested.get(name) ?? 0) + (extra?.requests.get(name) ?? 0);
    if (want > have - used) reasons.push(`Insufficient ${name}`);
  }
  return reasons.length ? unschedulable("NodeResourcesFit", ...reasons) : undefined;
}

const FIRST = ["cpu", "memory", "ephemeral-storage"];
/** cpu, memory, ephemeral-storage, then extended resources: upstream's check order. */
function orderedRequests(r: Map<string, number>): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const k of FIRST) if (r.has(k)) out.push([k, r.get(k)!]);
  for (const [k, v] of r) if (!FIRST.includes(k)) out.push([k, v]);
  return out;
}
