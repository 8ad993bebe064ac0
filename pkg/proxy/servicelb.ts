// The built-in ServiceLB (k3s's klipper-lb without pods): a LoadBalancer Service gets the
// node's addresses as status.loadBalancer.ingress, and the proxy renders "loadbalancer IP"
// rules for them. Like k3s, a port already taken by an older LB Service is not given out twice.
import type { KubeObject } from "../api/types.ts";
import type { Client, SharedInformer } from "../client/types.ts";
import type { Logger } from "../util/log.ts";

const SERVICES = { group: "", version: "v1", resource: "services" };

/** Pure: the ingress list each LoadBalancer Service should have ("ns/name" → IPs). */
export function desiredIngress(services: KubeObject[], nodeIPs: string[]): Map<string, string[]> {
  const ips = nodeIPs.filter((ip) => /^\d+\.\d+\.\d+\.\d+$/.test(ip));
  const lbs = services
    .filter((s) => s.spec?.type === "LoadBalancer" && !s.spec?.loadBalancerClass && !s.metadata?.deletionTimestamp)
    .sort((a, b) => {
      const ta = a.metadata?.creationTimestamp ?? "";
      const tb = b.metadata?.creationTimestamp ?? "";
      return ta !== tb ? (ta < tb ? -1 : 1) : `${a.metadata?.namespace}/${a.metadata?.name}` < `${b.metadata?.namespace}/${b.metadata?.name}` ? -1 : 1;
    });
  const taken = new Set<string>();
  const out = new Map<string, string[]>();
  for (const s of lbs) {
    const ports = ((s.spec?.ports ?? []) as any[]).map((p) => `${p.protocol ?? "TCP"}/${p.port}`);
    const key = `${s.metadata?.namespace}/${s.metadata?.name}`;
    if (ports.some((p) => taken.has(p))) {
      out.set(key, []);
      continue;
    }
    for (const p of ports) taken.add(p);
    out.set(key, ips);
  }
  return out;
}

function currentIngress(s: KubeObject): string[] {
  return ((s.status?.loadBalancer?.ingress ?? []) as any[]).map((i) => i.ip).filter(Boolean);
}

export interface ServiceLB {
  syncNow(): Promise<void>;
  stop(): void;
}

export function startServiceLB(o: { client: Client; services: SharedInformer<KubeObject>; nodeIPs: string[]; logger: Logger }): ServiceLB {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  async function sync() {
    const want = desiredIngress(o.services.store.list(), o.nodeIPs);
    for (const [key, ips] of want) {
      const cached = o.services.store.get(key);
      if (!cached || currentIngress(cached).join(",") === ips.join(",")) continue;
      const next = structuredClone(cached);
      next.status = { ...(next.status ?? {}), loadBalancer: ips.length ? { ingress: ips.map((ip) => ({ ip })) } : {} };
      try {
        await o.client.updateStatus(SERVICES, next);
        o.logger.v(2, "load balancer ingress set", { service: key, ips });
      } catch (e) {
        o.logger.v(2, "load balancer status update failed; will retry", { service: key, err: e });
        schedule(1000);
      }
    }
  }
  function schedule(delay = 50) {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      running = running.then(sync);
    }, delay);
  }
  const reg = o.services.addEventHandler({ onAdd: () => schedule(), onUpdate: () => schedule(), onDelete: () => schedule() });
  return {
    async syncNow() {
      running = running.then(sync);
      await running;
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      reg.remove();
    },
  };
}
