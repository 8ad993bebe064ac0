// One scheduling cycle's algorithm over the cache: PreFilter, Filter (upstream's plugin order,
// first failure wins per node), Score with the default weights, and the FitError message.
import type { NodeInfo } from "./nodeinfo.ts";
import type { PodInfo } from "./podinfo.ts";
import type { Status } from "./types.ts";
import { nodeAffinity, nodeName, nodePorts, nodeResourcesFit, nodeUnschedulable, taintToleration } from "./plugins/filters.ts";
import { interPodFilter, interPodPreFilter, interPodScores, type InterPodState, type NsLabels } from "./plugins/interpod.ts";
import { spreadFilter, spreadPreFilter, spreadScores, type SpreadState } from "./plugins/spread.ts";
import { volumeFilter, volumePreFilter, type VolumeListers, type VolumeState } from "./plugins/volumes.ts";
import {
  balancedAllocation,
  defaultNormalize,
  imageLocality,
  imageStates,
  intolerablePreferNoSchedule,
  leastAllocated,
  preferredNodeAffinityRaw,
} from "./plugins/scores.ts";

export interface FrameworkEnv {
  nsLabels: NsLabels;
  volumes: VolumeListers;
  /** Requests of pods nominated to a node with priority ≥ the pod's (they keep their room). */
  nominated(node: string, pod: PodInfo, priority: number): { requests: Map<string, number>; pods: number } | undefined;
}

export interface Cycle {
  pi: PodInfo;
  priority: number;
  nodes: NodeInfo[];
  interpod: InterPodState;
  spread: SpreadState;
  volume: VolumeState;
}

export interface Diagnosis {
  statuses: Map<string, Status>;
  preFilterMsg?: string;
  plugins: Set<string>;
}

export function prepareCycle(pi: PodInfo, priority: number, nodes: NodeInfo[], env: FrameworkEnv): Cycle {
  return {
    pi,
    priority,
    nodes,
    interpod: interPodPreFilter(pi, nodes, env.nsLabels),
    spread: spreadPreFilter(pi, nodes),
    volume: volumePreFilter(pi.pod, env.volumes),
  };
}

/** Upstream's default filter order: the first plugin that rejects the node decides. */
export function filterNode(c: Cycle, ni: NodeInfo, env: FrameworkEnv, withNominated = true): Status | undefined {
  const pod = c.pi.pod;
  return (
    nodeUnschedulable(pod, ni) ??
    nodeName(pod, ni) ??
    taintToleration(pod, ni) ??
    nodeAffinity(pod, ni) ??
    nodePorts(c.pi, ni) ??
    nodeResourcesFit(c.pi, ni, withNominated ? env.nominated(ni.name, c.pi, c.priority) : undefined) ??
    volumeFilter(c.volume, ni, env.volumes) ??
    spreadFilter(c.spread, ni) ??
    interPodFilter(c.pi, c.interpod, ni, env.nsLabels)
  );
}

export function findFeasible(c: Cycle, env: FrameworkEnv): { feasible: NodeInfo[]; diagnosis: Diagnosis } {
  const diagnosis: Diagnosis = { statuses: new Map(), plugins: new Set() };
  if (c.volume.failure) {
    diagnosis.preFilterMsg = c.volume.failure;
    diagnosis.plugins.add("VolumeBinding");
    for (const ni of c.nodes) diagnosis.statuses.set(ni.name, { code: "UnschedulableAndUnresolvable", plugin: "VolumeBinding", reasons: [c.volume.failure] });
    return { feasible: [], diagnosis };
  }
  const feasible: NodeInfo[] = [];
  for (const ni of c.nodes) {
    const st = filterNode(c, ni, env);
    if (!st) feasible.push(ni);
    else {
      diagnosis.statuses.set(ni.name, st);
      diagnosis.plugins.add(st.plugin);
    }
  }
  return { feasible, diagnosis };
}

/** Weighted sum of normalized plugin scores (v1 defaults: taints 3, node/pod affinity 2, spread 2, the rest 1). */
export function scoreNodes(c: Cycle, feasible: NodeInfo[], env: FrameworkEnv): number[] {
  const pod = c.pi.pod;
  const taint = defaultNormalize(feasible.map((ni) => intolerablePreferNoSchedule(pod, ni)), true);
  const nodeAff = defaultNormalize(feasible.map((ni) => preferredNodeAffinityRaw(pod, ni)), false);
  const podAff = interPodScores(c.pi, c.nodes, feasible, env.nsLabels);
  const spread = spreadScores(c.pi, c.nodes, feasible);
  const images = pod.spec.containers.some((x) => x.image) ? imageStates(c.nodes) : undefined;
  return feasible.map(
    (ni, i) =>
      3 * taint[i]! +
      2 * nodeAff[i]! +
      1 * leastAllocated(c.pi, ni) +
      1 * balancedAllocation(c.pi, ni) +
      (images ? imageLocality(pod, ni, images, c.nodes.length) : 0) +
      2 * podAff[i]! +
      2 * spread[i]!,
  );
}

/** Highest score; ties broken uniformly at random (upstream's reservoir sampling). */
export function selectHost(feasible: NodeInfo[], scores: number[]): NodeInfo {
  let best = 0;
  let ties = 1;
  for (let i = 1; i < feasible.length; i++) {
    if (scores[i]! > scores[best]!) {
      best = i;
      ties = 1;
    } else if (scores[i] === scores[best]) {
      ties++;
      if (Math.random() * ties < 1) best = i;
    }
  }
  return feasible[best]!;
}

/** framework.FitError.Error(): "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) … ." */
export function fitErrorMessage(numNodes: number, d: Diagnosis, postFilterMsg?: string): string {
  let msg = `0/${numNodes} nodes are available:`;
  if (d.preFilterMsg) msg += ` ${d.preFilterMsg}.`;
  else {
    const hist = new Map<string, number>();
    for (const st of d.statuses.values()) for (const r of st.reasons) hist.set(r, (hist.get(r) ?? 0) + 1);
    const parts = [...hist].map(([r, n]) => `${n} ${r}`).sort();
    if (parts.length) msg += ` ${parts.join(", ")}.`;
  }
  if (postFilterMsg) msg += ` ${postFilterMsg}`;
  return msg;
}
