// Per-pod facts computed once when a pod enters the cache or the queue (upstream's PodInfo).
import { labelSelectorFromSpec, matchesLabels, type LabelSelector } from "../api/selectors/labels.ts";
import { podNonZeroRequests, podRequests, type Resources } from "./resources.ts";
import type { Pod, PodAffinityTerm } from "./types.ts";

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** A pod affinity term with its selectors parsed and namespaces resolved. */
export interface AffinityTerm {
  selector: LabelSelector;
  namespaces: Set<string>;
  /** Parsed namespaceSelector; undefined when the term lists namespaces only. */
  nsSelector?: LabelSelector;
  topologyKey: string;
  weight: number;
}

export interface PodInfo {
  key: string;
  pod: Pod;
  namespace: string;
  labels: Record<string, string>;
  requests: Resources;
  nonZero: Resources;
  ports: HostPort[];
  /** The controller owner's uid: the default topology spread selector stands in for it. */
  ownerUid?: string;
  requiredAffinity: AffinityTerm[];
  requiredAntiAffinity: AffinityTerm[];
  preferredAffinity: AffinityTerm[];
  preferredAntiAffinity: AffinityTerm[];
}

export function parseAffinityTerm(t: PodAffinityTerm, podNs: string, weight = 1): AffinityTerm {
  let selector: LabelSelector;
  try {
    selector = labelSelectorFromSpec(t.labelSelector ?? null);
  } catch {
    selector = { requirements: [], nothing: true };
  }
  const namespaces = new Set(t.namespaces ?? []);
  let nsSelector: LabelSelector | undefined;
  if (t.namespaceSelector) {
    try {
      nsSelector = labelSelectorFromSpec(t.namespaceSelector);
    } catch {
      nsSelector = undefined;
    }
  }
  if (namespaces.size === 0 && !nsSelector) namespaces.add(podNs);
  return { selector, namespaces, nsSelector, topologyKey: t.topologyKey, weight };
}

/** Does `target` fall under `term`? nsLabels resolves a namespace's labels for namespaceSelector. */
export function termMatches(term: AffinityTerm, target: PodInfo, nsLabels: (ns: string) => Record<string, string> | undefined): boolean {
  if (!term.namespaces.has(target.namespace)) {
    if (!term.nsSelector || !matchesLabels(term.nsSelector, nsLabels(target.namespace) ?? {})) return false;
  }
  return matchesLabels(term.selector, target.labels);
}

export function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ""}/${pod.metadata?.name ?? ""}`;
}

export function newPodInfo(pod: Pod): PodInfo {
  const ns = pod.metadata?.namespace ?? "default";
  const ports: HostPort[] = [];
  for (const c of pod.spec.containers ?? [])
    for (const p of c.ports ?? []) if (p.hostPort && p.hostPort > 0) ports.push({ ip: p.hostIP || "0.0.0.0", protocol: p.protocol || "TCP", port: p.hostPort });
  const aff = pod.spec.affinity;
  const req = (ts: PodAffinityTerm[] | undefined) => (ts ?? []).map((t) => parseAffinityTerm(t, ns));
  const pref = (ts: Array<{ weight: number; podAffinityTerm: PodAffinityTerm }> | undefined) => (ts ?? []).map((t) => parseAffinityTerm(t.podAffinityTerm, ns, t.weight));
  const owner = (pod.metadata?.ownerReferences as Array<{ controller?: boolean; uid: string }> | undefined)?.find((o) => o.controller);
  return {
    key: podKey(pod),
    pod,
    namespace: ns,
    labels: (pod.metadata?.labels as Record<string, string>) ?? {},
    requests: podRequests(pod),
    nonZero: podNonZeroRequests(pod),
    ports,
    ownerUid: owner?.uid,
    requiredAffinity: req(aff?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    requiredAntiAffinity: req(aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    preferredAffinity: pref(aff?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinity: pref(aff?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
  };
}

export const hasAffinity = (p: PodInfo) => p.requiredAffinity.length + p.requiredAntiAffinity.length + p.preferredAffinity.length + p.preferredAntiAffinity.length > 0;
