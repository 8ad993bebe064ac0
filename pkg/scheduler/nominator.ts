// Pods nominated to a node by preemption keep their room there against lower-priority pods
// until they are scheduled (upstream's nominator).
import type { PodInfo } from "./podinfo.ts";

export class Nominator {
  private readonly byKey = new Map<string, { node: string; info: PodInfo; priority: number }>();

  set(info: PodInfo, node: string, priority: number) {
    this.byKey.set(info.key, { node, info, priority });
  }

  delete(key: string) {
    this.byKey.delete(key);
  }

  nodeOf(key: string): string | undefined {
    return this.byKey.get(key)?.node;
  }

  /** Pods nominated to `node` below `priority` (their nomination is cleared by a preemption there). */
  lowerOn(node: string, priority: number): PodInfo[] {
    return [...this.byKey.values()].filter((n) => n.node === node && n.priority < priority).map((n) => n.info);
  }

  /** Requests of pods nominated to `node` with priority ≥ `priority`, other than `self`. */
  requestsOn(node: string, self: string, priority: number): { requests: Map<string, number>; pods: number } | undefined {
    let out: { requests: Map<string, number>; pods: number } | undefined;
    for (const n of this.byKey.values()) {
      if (n.node !== node || n.info.key === self || n.priority < priority) continue;
      out ??= { requests: new Map(), pods: 0 };
      out.pods++;
      for (const [k, v] of n.info.requests) out.requests.set(k, (out.requests.get(k) ?? 0) + v);
    }
    return out;
  }
}
