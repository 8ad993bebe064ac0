// Score plugins over candidate nodes, each normalized to 0–100: NodeResourcesFit
// (LeastAllocated), NodeResourcesBalancedAllocation, ImageLocality, NodeAffinity (preferred
// terms), TaintToleration (PreferNoSchedule).
import type { NodeInfo } from "../nodeinfo.ts";
import type { PodInfo } from "../podinfo.ts";
import { MAX_NODE_SCORE, type Pod } from "../types.ts";
import { termMatchesNode, toleratesAny } from "./helpers.ts";

const RESOURCES = ["cpu", "memory"];

/** Requested share of allocatable after adding the pod: non-zero defaults (LeastAllocated) or actual requests (BalancedAllocation). */
function fraction(p: PodInfo, ni: NodeInfo, r: string, nonZero = true): number | undefined {
  const alloc = ni.allocatable.get(r) ?? 0;
  if (alloc <= 0) return undefined;
  const req = nonZero ? (ni.nonZeroRequested.get(r) ?? 0) + (p.nonZero.get(r) ?? 0) : (ni.requested.get(r) ?? 0) + (p.requests.get(r) ?? 0);
  return req / alloc;
}

/** (allocatable − requested) / allocatable, averaged over cpu and memory with weight 1 each. */
export function leastAllocated(p: PodInfo, ni: NodeInfo): number {
  let sum = 0;
  let w = 0;
  for (const r of RESOURCES) {
    const f = fraction(p, ni, r);
    w++;
    if (f === undefined || f > 1) continue;
    sum += Math.floor((1 - f) * MAX_NODE_SCORE);
  }
  return w ? Math.floor(sum / w) : 0;
}

/** 1 − the standard deviation of the cpu/memory fractions (the closer, the better). */
export function balancedAllocation(p: PodInfo, ni: NodeInfo): number {
  const fs: number[] = [];
  for (const r of RESOURCES) {
    const f = fraction(p, ni, r, false);
    if (f !== undefined) fs.push(Math.min(f, 1));
  }
  if (fs.length < 2) return MAX_NODE_SCORE;
  const std = Math.abs(fs[0]! - fs[1]!) / 2;
  return Math.floor((1 - std) * MAX_NODE_SCORE);
}

const MB = 1024 * 1024;
const MIN_THRESHOLD = 23 * MB;
const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** Image references as the kubelet reports them in node.status.images[].names. */
export function normalizedImage(image: string): string[] {
  let name = image;
  const lastSlash = name.lastIndexOf("/");
  if (!name.includes("@") && !name.slice(lastSlash + 1).includes(":")) name += ":latest";
  const out = [name];
  const first = name.split("/")[0]!;
  const hasRegistry = name.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  if (!hasRegistry) out.push(name.includes("/") ? `docker.io/${name}` : `docker.io/library/${name}`);
  return out;
}

/** image name → [size, number of nodes that have it], for the spread factor. */
export function imageStates(nodes: NodeInfo[]): Map<string, { size: number; nodes: number }> {
  const m = new Map<string, { size: number; nodes: number }>();
  for (const ni of nodes)
    for (const img of ni.node.status?.images ?? [])
      for (const n of img.names ?? []) {
        const e = m.get(n);
        if (e) e.nodes++;
        else m.set(n, { size: img.sizeBytes ?? 0, nodes: 1 });
      }
  return m;
}

export function imageLocality(pod: Pod, ni: NodeInfo, states: Map<string, { size: number; nodes: number }>, totalNodes: number): number {
  const have = new Set<string>();
  for (const img of ni.node.status?.images ?? []) for (const n of img.names ?? []) have.add(n);
  let sum = 0;
  const containers = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  for (const c of containers) {
    if (!c.image) continue;
    const hit = normalizedImage(c.image).find((n) => have.has(n));
    if (!hit) continue;
    const st = states.get(hit)!;
    sum += st.size * (st.nodes / Math.max(1, totalNodes));
  }
  const max = MAX_CONTAINER_THRESHOLD * containers.length;
  const clamped = Math.min(Math.max(sum, MIN_THRESHOLD), max);
  return Math.floor((MAX_NODE_SCORE * (clamped - MIN_THRESHOLD)) / (max - MIN_THRESHOLD || 1));
}

export function preferredNodeAffinityRaw(pod: Pod, ni: NodeInfo): number {
  let s = 0;
  for (const t of pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
    if (t.weight && termMatchesNode(t.preference, ni.labels, ni.name)) s += t.weight;
  return s;
}

export function intolerablePreferNoSchedule(pod: Pod, ni: NodeInfo): number {
  const ts = (pod.spec.tolerations ?? []).filter((t) => !t.effect || t.effect === "PreferNoSchedule");
  let n = 0;
  for (const taint of ni.node.spec?.taints ?? []) if (taint.effect === "PreferNoSchedule" && !toleratesAny(ts, taint)) n++;
  return n;
}

/** helper.DefaultNormalizeScore: scale to the max; `reverse` makes fewer better. */
export function defaultNormalize(raw: number[], reverse: boolean): number[] {
  const max = Math.max(0, ...raw);
  if (max === 0) return raw.map(() => (reverse ? MAX_NODE_SCORE : 0));
  return raw.map((r) => {
    const s = Math.floor((MAX_NODE_SCORE * r) / max);
    return reverse ? MAX_NODE_SCORE - s : s;
  });
}
