// Service ClusterIP/NodePort allocation around create, update and delete.
import type { KubeObject } from "../api/types.ts";
import { invalid } from "../api/errors.ts";
import { AllocationError, type ServiceAllocator } from "./allocator.ts";

const needsNodePorts = (svc: KubeObject) => svc.spec?.type === "NodePort" || svc.spec?.type === "LoadBalancer";
const needsClusterIP = (svc: KubeObject) => svc.spec?.type !== "ExternalName";
const ownerOf = (svc: KubeObject) => `${svc.metadata?.namespace}/${svc.metadata?.name}`;

function toInvalid(e: unknown, svc: KubeObject): unknown {
  if (e instanceof AllocationError) return invalid({ group: "", kind: "Service" }, svc.metadata?.name ?? "", [e.fieldError]);
  return e;
}

/** Allocations made so far; undo() gives them back when the write fails. */
export interface Allocation {
  undo(): Promise<void>;
}

async function allocatePorts(a: ServiceAllocator, svc: KubeObject, keep: Set<number>, dryRun: boolean, taken: number[]): Promise<void> {
  const ports: any[] = Array.isArray(svc.spec?.ports) ? svc.spec.ports : [];
  for (let i = 0; i < ports.length; i++) {
    const p = ports[i];
    if (p === null || typeof p !== "object") continue;
    const want = typeof p.nodePort === "number" && p.nodePort !== 0 ? p.nodePort : undefined;
    if (want !== undefined && keep.has(want)) continue;
    p.nodePort = await a.allocatePort(ownerOf(svc), want, dryRun, `spec.ports[${i}].nodePort`);
    if (!dryRun) taken.push(p.nodePort);
  }
}

export async function allocateForCreate(a: ServiceAllocator, svc: KubeObject, dryRun: boolean): Promise<Allocation> {
  const ips: string[] = [];
  const ports: number[] = [];
  const undo = async () => {
    for (const ip of ips) await a.releaseIP(ip);
    for (const p of ports) await a.releasePort(p);
  };
  try {
    svc.spec ??= {};
    if (needsClusterIP(svc)) {
      const requested = svc.spec.clusterIP || (Array.isArray(svc.spec.clusterIPs) ? svc.spec.clusterIPs[0] : undefined) || undefined;
      if (requested === "None") {
        svc.spec.clusterIP = "None";
        svc.spec.clusterIPs = ["None"];
      } else {
        const ip = await a.allocateIP(ownerOf(svc), requested, dryRun);
        if (!dryRun) ips.push(ip);
        svc.spec.clusterIP = ip;
        svc.spec.clusterIPs = [ip];
      }
      svc.spec.ipFamilies ??= ["IPv4"];
      svc.spec.ipFamilyPolicy ??= "SingleStack";
    }
    if (needsNodePorts(svc)) await allocatePorts(a, svc, new Set(), dryRun, ports);
  } catch (e) {
    await undo();
    throw toInvalid(e, svc);
  }
  return { undo };
}

const nodePortsOf = (svc: KubeObject): number[] =>
  needsNodePorts(svc) && Array.isArray(svc.spec?.ports) ? svc.spec.ports.map((p: any) => p?.nodePort).filter((n: unknown) => typeof n === "number" && n > 0) : [];

/** Upstream's dropTypeDependentFields: leaving NodePort/LoadBalancer drops what only they use, if the client left it unchanged. */
export function dropTypeDependentFields(svc: KubeObject, old: KubeObject): void {
  const same = (k: string) => JSON.stringify(svc.spec?.[k]) === JSON.stringify(old.spec?.[k]);
  if (!needsNodePorts(svc) && needsNodePorts(old)) {
    for (const k of ["externalTrafficPolicy", "healthCheckNodePort", "allocateLoadBalancerNodePorts"]) if (same(k)) delete svc.spec[k];
  }
  if (svc.spec?.type !== "LoadBalancer" && old.spec?.type === "LoadBalancer" && same("loadBalancerClass")) delete svc.spec.loadBalancerClass;
}

/** Upstream's patchAllocatedValues: an update that omits the allocated IP or node ports keeps them (before validation). */
export function keepAllocatedValues(svc: KubeObject, old: KubeObject): void {
  svc.spec ??= {};
  if (needsClusterIP(svc) && needsClusterIP(old)) {
    if (!svc.spec.clusterIP && old.spec?.clusterIP) svc.spec.clusterIP = old.spec.clusterIP;
    if (!svc.spec.clusterIPs && old.spec?.clusterIPs) svc.spec.clusterIPs = old.spec.clusterIPs;
  }
  if (needsNodePorts(svc) && needsNodePorts(old) && Array.isArray(svc.spec.ports)) {
    const oldByPort = new Map<number, number>();
    for (const p of old.spec?.ports ?? []) if (p?.nodePort) oldByPort.set(p.port, p.nodePort);
    for (const p of svc.spec.ports) if (p && typeof p === "object" && !p.nodePort && oldByPort.has(p.port)) p.nodePort = oldByPort.get(p.port);
  }
}

/** Update: keep the ClusterIP, allocate new node ports, and return the ones to free after the write. */
export async function allocateForUpdate(a: ServiceAllocator, svc: KubeObject, old: KubeObject, dryRun: boolean): Promise<Allocation & { released: number[] }> {
  const ports: number[] = [];
  svc.spec ??= {};
  if (needsClusterIP(svc) && needsClusterIP(old)) {
    if (!svc.spec.clusterIP && old.spec?.clusterIP) svc.spec.clusterIP = old.spec.clusterIP;
    if (!svc.spec.clusterIPs && old.spec?.clusterIPs) svc.spec.clusterIPs = old.spec.clusterIPs;
  }
  const oldPorts = new Set(nodePortsOf(old));
  try {
    if (needsNodePorts(svc)) {
      // Ports without a nodePort keep the one the same port had before (matched by port number).
      const oldByPort = new Map<number, number>();
      for (const p of old.spec?.ports ?? []) if (p?.nodePort) oldByPort.set(p.port, p.nodePort);
      for (const p of svc.spec.ports ?? []) if (p && !p.nodePort && oldByPort.has(p.port)) p.nodePort = oldByPort.get(p.port);
      await allocatePorts(a, svc, oldPorts, dryRun, ports);
    } else if (Array.isArray(svc.spec.ports)) {
      for (const p of svc.spec.ports) if (p && typeof p === "object") delete p.nodePort;
    }
  } catch (e) {
    for (const p of ports) await a.releasePort(p);
    throw toInvalid(e, svc);
  }
  const now = new Set(nodePortsOf(svc));
  return {
    released: [...oldPorts].filter((p) => !now.has(p)),
    undo: async () => {
      for (const p of ports) await a.releasePort(p);
    },
  };
}

export async function releaseForDelete(a: ServiceAllocator, svc: KubeObject): Promise<void> {
  for (const ip of svc.spec?.clusterIPs ?? (svc.spec?.clusterIP ? [svc.spec.clusterIP] : [])) if (ip && ip !== "None") await a.releaseIP(ip);
  for (const p of nodePortsOf(svc)) await a.releasePort(p);
}
