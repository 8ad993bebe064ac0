// PodTopologySpread: DoNotSchedule constraints filter on skew against the global minimum;
// ScheduleAnyway constraints (or the system defaults: hostname maxSkew 3, zone maxSkew 5,
// for pods with a controller) score nodes with fewer matching pods higher.
import { labelSelectorFromSpec, matchesLabels, type LabelSelector } from "../../api/selectors/labels.ts";
import type { NodeInfo } from "../nodeinfo.ts";
import type { PodInfo } from "../podinfo.ts";
import { MAX_NODE_SCORE, unresolvable, unschedulable, type Pod, type Status, type TopologySpreadConstraint } from "../types.ts";
import { matchesNodeSelectorAndAffinity } from "./filters.ts";
import { firstUntoleratedTaint } from "./helpers.ts";

const HOSTNAME = "kubernetes.io/hostname";
const ZONE = "topology.kubernetes.io/zone";

interface Constraint {
  maxSkew: number;
  key: string;
  minDomains: number;
  /** Matching pods: by label selector, or (system default) by controller owner. */
  matches: (e: PodInfo) => boolean;
  selfMatch: boolean;
  honorAffinity: boolean;
  honorTaints: boolean;
}

function toConstraint(c: TopologySpreadConstraint, p: PodInfo): Constraint {
  let sel: LabelSelector;
  try {
    sel = labelSelectorFromSpec(c.labelSelector ?? null);
  } catch {
    sel = { requirements: [], nothing: true };
  }
  for (const k of c.matchLabelKeys ?? []) if (k in p.labels) sel = { ...sel, requirements: [...sel.requirements, { key: k, op: "=", values: [p.labels[k]!] }] };
  return {
    maxSkew: c.maxSkew,
    key: c.topologyKey,
    minDomains: c.minDomains ?? 1,
    matches: (e) => e.namespace === p.namespace && !e.pod.metadata?.deletionTimestamp && matchesLabels(sel, e.labels),
    selfMatch: matchesLabels(sel, p.labels),
    honorAffinity: c.nodeAffinityPolicy !== "Ignore",
    honorTaints: c.nodeTaintsPolicy === "Honor",
  };
}

function eligible(pod: Pod, cs: Constraint[], ni: NodeInfo): boolean {
  for (const c of cs) {
    if (ni.labels[c.key] === undefined) return false;
    if (c.honorAffinity && !matchesNodeSelectorAndAffinity(pod, ni.labels, ni.name)) return false;
    if (c.honorTaints && firstUntoleratedTaint(ni.node.spec?.taints, pod.spec.tolerations)) return false;
  }
  return true;
}

function countPods(c: Constraint, ni: NodeInfo): number {
  let n = 0;
  for (const e of ni.pods.values()) if (c.matches(e)) n++;
  return n;
}

export interface SpreadState {
  constraints: Constraint[];
  counts: Array<Map<string, number>>;
  minMatch: number[];
}

export function spreadPreFilter(p: PodInfo, nodes: NodeInfo[]): SpreadState {
  const constraints = (p.pod.spec.topologySpreadConstraints ?? []).filter((c) => c.whenUnsatisfiable === "DoNotSchedule").map((c) => toConstraint(c, p));
  const counts = constraints.map(() => new Map<string, number>());
  if (!constraints.length) return { constraints, counts, minMatch: [] };
  for (const ni of nodes) {
    if (!eligible(p.pod, constraints, ni)) continue;
    constraints.forEach((c, i) => {
      const v = ni.labels[c.key]!;
      counts[i]!.set(v, (counts[i]!.get(v) ?? 0) + countPods(c, ni));
    });
  }
  const minMatch = constraints.map((c, i) => {
    const m = counts[i]!;
    if (m.size < c.minDomains) return 0;
    let min = Infinity;
    for (const v of m.values()) min = Math.min(min, v);
    return Number.isFinite(min) ? min : 0;
  });
  return { constraints, counts, minMatch };
}

export function spreadFilter(s: SpreadState, ni: NodeInfo): Status | undefined {
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i]!;
    const v = ni.labels[c.key];
    if (v === undefined) return unresolvable("PodTopologySpread", "node(s) didn't match pod topology spread constraints (missing required label)");
    const skew = (s.counts[i]!.get(v) ?? 0) + (c.selfMatch ? 1 : 0) - s.minMatch[i]!;
    if (skew > c.maxSkew) return unschedulable("PodTopologySpread", "node(s) didn't match pod topology spread constraints");
  }
  return undefined;
}

/** Soft constraints (or the system defaults) → 0–100 per candidate, fewer matching pods scoring higher. */
export function spreadScores(p: PodInfo, all: NodeInfo[], candidates: NodeInfo[]): number[] {
  const explicit = p.pod.spec.topologySpreadConstraints ?? [];
  let cs: Constraint[];
  let system = false;
  if (explicit.length) cs = explicit.filter((c) => c.whenUnsatisfiable === "ScheduleAnyway").map((c) => toConstraint(c, p));
  else if (p.ownerUid) {
    system = true;
    const uid = p.ownerUid;
    const base = { minDomains: 1, selfMatch: true, honorAffinity: true, honorTaints: false, matches: (e: PodInfo) => e.ownerUid === uid && !e.pod.metadata?.deletionTimestamp };
    cs = [{ ...base, maxSkew: 3, key: HOSTNAME }, { ...base, maxSkew: 5, key: ZONE }];
  } else cs = [];
  if (!cs.length) return candidates.map(() => 0);
  // System defaults ignore a constraint whose key no candidate has; explicit ones ignore nodes missing any key.
  if (system) cs = cs.filter((c) => candidates.some((ni) => ni.labels[c.key] !== undefined));
  if (!cs.length) return candidates.map(() => 0);
  const ignored = candidates.map((ni) => !system && cs.some((c) => ni.labels[c.key] === undefined));
  const domains = cs.map((c) => new Set(candidates.filter((_, i) => !ignored[i]).map((ni) => ni.labels[c.key]).filter((v) => v !== undefined)));
  const weights = domains.map((d) => Math.log(d.size + 2));
  const pairCounts = cs.map((c, i) => {
    const m = new Map<string, number>();
    if (c.key === HOSTNAME) return m;
    for (const ni of all) {
      const v = ni.labels[c.key];
      if (v === undefined || !domains[i]!.has(v)) continue;
      if (c.honorAffinity && !matchesNodeSelectorAndAffinity(p.pod, ni.labels, ni.name)) continue;
      m.set(v, (m.get(v) ?? 0) + countPodsFast(c, ni, system ? p.ownerUid : undefined));
    }
    return m;
  });
  const raw = candidates.map((ni, idx) => {
    if (ignored[idx]) return 0;
    let sc = 0;
    cs.forEach((c, i) => {
      const v = ni.labels[c.key];
      if (v === undefined) return;
      const cnt = c.key === HOSTNAME ? countPodsFast(c, ni, system ? p.ownerUid : undefined) : (pairCounts[i]!.get(v) ?? 0);
      sc += cnt * weights[i]! + (c.maxSkew - 1) * weights[i]!;
    });
    return Math.round(sc);
  });
  let min = Infinity;
  let max = 0;
  raw.forEach((r, i) => {
    if (ignored[i]) return;
    min = Math.min(min, r);
    max = Math.max(max, r);
  });
  return raw.map((r, i) => {
    if (ignored[i]) return 0;
    if (max === 0) return MAX_NODE_SCORE;
    return Math.floor((MAX_NODE_SCORE * (max + min - r)) / max);
  });
}

/** Owner-based counting uses the node's incremental per-owner totals. */
function countPodsFast(c: Constraint, ni: NodeInfo, ownerUid: string | undefined): number {
  if (ownerUid !== undefined) return ni.ownerCounts.get(ownerUid) ?? 0;
  return countPods(c, ni);
}
