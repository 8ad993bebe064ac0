// InterPodAffinity: required affinity / anti-affinity (filter) and preferred terms plus
// existing pods' terms toward the incoming pod (score), counted per topology pair.
import type { NodeInfo } from "../nodeinfo.ts";
import { termMatches, type AffinityTerm, type PodInfo } from "../podinfo.ts";
import { MAX_NODE_SCORE, unresolvable, unschedulable, type Status } from "../types.ts";

export type NsLabels = (ns: string) => Record<string, string> | undefined;
const pair = (k: string, v: string) => `${k}\u0000${v}`;

export interface InterPodState {
  existingAnti: Map<string, number>;
  affinity: Map<string, number>;
  anti: Map<string, number>;
  /** Nothing to check at all (the common case): the filter returns at once. */
  skip: boolean;
}

function bump(m: Map<string, number>, k: string, by = 1) {
  m.set(k, (m.get(k) ?? 0) + by);
}

export function interPodPreFilter(p: PodInfo, nodes: NodeInfo[], nsLabels: NsLabels): InterPodState {
  const s: InterPodState = { existingAnti: new Map(), affinity: new Map(), anti: new Map(), skip: true };
  for (const ni of nodes) {
    for (const e of ni.podsWithRequiredAntiAffinity) {
      for (const t of e.requiredAntiAffinity) {
        const v = ni.labels[t.topologyKey];
        if (v !== undefined && termMatches(t, p, nsLabels)) bump(s.existingAnti, pair(t.topologyKey, v));
      }
    }
  }
  if (p.requiredAffinity.length || p.requiredAntiAffinity.length) {
    for (const ni of nodes) {
      for (const e of ni.pods.values()) {
        countTerms(p.requiredAffinity, e, ni, s.affinity, nsLabels);
        countTerms(p.requiredAntiAffinity, e, ni, s.anti, nsLabels);
      }
    }
  }
  s.skip = s.existingAnti.size === 0 && !p.requiredAffinity.length && !p.requiredAntiAffinity.length;
  return s;
}

function countTerms(terms: AffinityTerm[], e: PodInfo, ni: NodeInfo, into: Map<string, number>, nsLabels: NsLabels) {
  for (const t of terms) {
    const v = ni.labels[t.topologyKey];
    if (v !== undefined && termMatches(t, e, nsLabels)) bump(into, pair(t.topologyKey, v));
  }
}

export function interPodFilter(p: PodInfo, s: InterPodState, ni: NodeInfo, nsLabels: NsLabels): Status | undefined {
  if (s.skip) return undefined;
  const labels = ni.labels;
  if (p.requiredAffinity.length) {
    let ok = true;
    for (const t of p.requiredAffinity) {
      const v = labels[t.topologyKey];
      if (v === undefined || !((s.affinity.get(pair(t.topologyKey, v)) ?? 0) > 0)) ok = false;
    }
    // The first pod of a group that matches its own affinity may go anywhere with the keys.
    if (!ok) {
      const hasKeys = p.requiredAffinity.every((t) => labels[t.topologyKey] !== undefined);
      const self = s.affinity.size === 0 && p.requiredAffinity.every((t) => termMatches(t, p, nsLabels));
      if (!(hasKeys && self)) return unresolvable("InterPodAffinity", "node(s) didn't match pod affinity rules");
    }
  }
  for (const t of p.requiredAntiAffinity) {
    const v = labels[t.topologyKey];
    if (v !== undefined && (s.anti.get(pair(t.topologyKey, v)) ?? 0) > 0) return unschedulable("InterPodAffinity", "node(s) didn't match pod anti-affinity rules");
  }
  for (const [k, n] of s.existingAnti) {
    if (n <= 0) continue;
    const i = k.indexOf("\u0000");
    if (labels[k.slice(0, i)] === k.slice(i + 1)) return unschedulable("InterPodAffinity", "node(s) didn't satisfy existing pods anti-affinity rules");
  }
  return undefined;
}

/** Raw scores per candidate node, normalized to 0–100 between min and max (upstream). */
export function interPodScores(p: PodInfo, all: NodeInfo[], candidates: NodeInfo[], nsLabels: NsLabels): number[] {
  const topo = new Map<string, number>();
  const incoming = p.preferredAffinity.length + p.preferredAntiAffinity.length > 0;
  const add = (t: AffinityTerm, ni: NodeInfo, w: number) => {
    const v = ni.labels[t.topologyKey];
    if (v !== undefined) bump(topo, pair(t.topologyKey, v), w);
  };
  let any = incoming;
  for (const ni of all) {
    const pods = incoming ? ni.pods.values() : ni.podsWithAffinity.values();
    for (const e of pods) {
      for (const t of p.preferredAffinity) if (termMatches(t, e, nsLabels)) add(t, ni, t.weight);
      for (const t of p.preferredAntiAffinity) if (termMatches(t, e, nsLabels)) add(t, ni, -t.weight);
      // Existing pods' required affinity counts with hardPodAffinityWeight 1.
      for (const t of e.requiredAffinity) if (termMatches(t, p, nsLabels)) (any = true), add(t, ni, 1);
      for (const t of e.preferredAffinity) if (termMatches(t, p, nsLabels)) (any = true), add(t, ni, t.weight);
      for (const t of e.preferredAntiAffinity) if (termMatches(t, p, nsLabels)) (any = true), add(t, ni, -t.weight);
    }
  }
  if (!any || topo.size === 0) return candidates.map(() => 0);
  const raw = candidates.map((ni) => {
    let sc = 0;
    for (const [k, w] of topo) {
      const i = k.indexOf("\u0000");
      if (ni.labels[k.slice(0, i)] === k.slice(i + 1)) sc += w;
    }
    return sc;
  });
  const min = Math.min(...raw);
  const max = Math.max(...raw);
  return raw.map((r) => (max - min > 0 ? Math.floor((MAX_NODE_SCORE * (r - min)) / (max - min)) : 0));
}
