// A node and the pods on it, with running totals kept incrementally (upstream's NodeInfo).
import { nodeAllocatable, type Resources } from "./resources.ts";
import { hasAffinity, type PodInfo } from "./podinfo.ts";
import type { Node } from "./types.ts";

export class NodeInfo {
  node: Node;
  readonly name: string;
  allocatable: Resources;
  readonly pods = new Map<string, PodInfo>();
  readonly requested: Resources = new Map();
  readonly nonZeroRequested: Resources = new Map([["cpu", 0], ["memory", 0]]);
  /** "protocol/port" → host IPs in use. */
  readonly usedPorts = new Map<string, string[]>();
  /** Pods here per controller owner uid (default topology spreading). */
  readonly ownerCounts = new Map<string, number>();
  readonly podsWithAffinity = new Set<PodInfo>();
  readonly podsWithRequiredAntiAffinity = new Set<PodInfo>();

  constructor(node: Node) {
    this.node = node;
    this.name = node.metadata?.name ?? "";
    this.allocatable = nodeAllocatable(node.status);
  }

  setNode(node: Node) {
    this.node = node;
    this.allocatable = nodeAllocatable(node.status);
  }

  get labels(): Record<string, string> {
    return (this.node.metadata?.labels as Record<string, string>) ?? {};
  }

  addPod(p: PodInfo) {
    if (this.pods.has(p.key)) this.removePod(p.key);
    this.pods.set(p.key, p);
    this.apply(p, 1);
  }

  removePod(key: string): PodInfo | undefined {
    const p = this.pods.get(key);
    if (!p) return undefined;
    this.pods.delete(key);
    this.apply(p, -1);
    return p;
  }

  private apply(p: PodInfo, sign: 1 | -1) {
    for (const [k, v] of p.requests) this.requested.set(k, (this.requested.get(k) ?? 0) + sign * v);
    for (const [k, v] of p.nonZero) this.nonZeroRequested.set(k, (this.nonZeroRequested.get(k) ?? 0) + sign * v);
    for (const hp of p.ports) {
      const k = `${hp.protocol}/${hp.port}`;
      const ips = this.usedPorts.get(k) ?? [];
      if (sign > 0) ips.push(hp.ip);
      else {
        const i = ips.indexOf(hp.ip);
        if (i >= 0) ips.splice(i, 1);
      }
      if (ips.length) this.usedPorts.set(k, ips);
      else this.usedPorts.delete(k);
    }
    if (p.ownerUid) {
      const n = (this.ownerCounts.get(p.ownerUid) ?? 0) + sign;
      if (n > 0) this.ownerCounts.set(p.ownerUid, n);
      else this.ownerCounts.delete(p.ownerUid);
    }
    if (hasAffinity(p)) {
      if (sign > 0) this.podsWithAffinity.add(p);
      else this.podsWithAffinity.delete(p);
    }
    if (p.requiredAntiAffinity.length) {
      if (sign > 0) this.podsWithRequiredAntiAffinity.add(p);
      else this.podsWithRequiredAntiAffinity.delete(p);
    }
  }

  /** A copy whose pod set can be changed without touching this one (preemption dry runs). */
  clone(): NodeInfo {
    const c = new NodeInfo(this.node);
    for (const p of this.pods.values()) c.addPod(p);
    return c;
  }
}
