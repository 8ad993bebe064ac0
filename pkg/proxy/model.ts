// Turns Services and EndpointSlices into flat service-port records for the renderer
// (kube-proxy's ServicePortInfo / Endpoint), IPv4 only.
import type { KubeObject } from "../api/types.ts";
import { servicePortName } from "./hash.ts";

export interface Endpoint {
  ip: string;
  port: number;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  local: boolean;
}

export interface ServicePort {
  namespace: string;
  name: string;
  /** "ns/name:port" */
  spn: string;
  portName: string;
  protocol: "tcp" | "udp" | "sctp";
  clusterIPs: string[];
  port: number;
  nodePort: number;
  externalIPs: string[];
  loadBalancerIPs: string[];
  loadBalancerSourceRanges: string[];
  externalLocal: boolean;
  internalLocal: boolean;
  affinitySeconds: number;
  endpoints: Endpoint[];
}

const isV4 = (ip: unknown): ip is string => typeof ip === "string" && /^\d+\.\d+\.\d+\.\d+$/.test(ip);

/** Endpoint slices grouped by "namespace/service". */
export function groupSlices(slices: KubeObject[]): Map<string, KubeObject[]> {
  const out = new Map<string, KubeObject[]>();
  for (const s of slices) {
    const svc = s.metadata?.labels?.["kubernetes.io/service-name"];
    if (!svc || (s.addressType && s.addressType !== "IPv4")) continue;
    const key = `${s.metadata?.namespace}/${svc}`;
    const list = out.get(key);
    if (list) list.push(s);
    else out.set(key, [s]);
  }
  return out;
}

function endpointsFor(slices: KubeObject[], portName: string, protocol: string, nodeName: string): Endpoint[] {
  const seen = new Set<string>();
  const out: Endpoint[] = [];
  for (const s of slices) {
    const p = (s.ports ?? []).find((x: any) => (x.name ?? "") === portName && (x.protocol ?? "TCP").toLowerCase() === protocol);
    if (!p || typeof p.port !== "number") continue;
    for (const e of s.endpoints ?? []) {
      const c = e.conditions ?? {};
      const ready = c.ready !== false;
      for (const ip of (e.addresses ?? []).slice(0, 1)) {
        if (!isV4(ip)) continue;
        const id = `${ip}:${p.port}`;
        if (seen.has(id)) continue;
        seen.add(id);
        out.push({ ip, port: p.port, ready, serving: c.serving ?? ready, terminating: c.terminating === true, local: e.nodeName === nodeName });
      }
    }
  }
  // stable order: kube-proxy sorts endpoints by their string form
  return out.sort((a, b) => (a.ip === b.ip ? a.port - b.port : cmpIP(a.ip, b.ip)));
}

function cmpIP(a: string, b: string): number {
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

/** The proxied ports of one Service (none for ExternalName, headless or IPv6-only ones). */
export function servicePortsOf(svc: KubeObject, sl: KubeObject[], nodeName: string): ServicePort[] {
  const spec = svc.spec ?? {};
  if (spec.type === "ExternalName") return [];
  const clusterIPs = ((spec.clusterIPs as string[] | undefined) ?? [spec.clusterIP]).filter(isV4);
  if (clusterIPs.length === 0) return [];
  const ns = svc.metadata?.namespace ?? "default";
  const name = svc.metadata?.name ?? "";
  const lbIPs = spec.type === "LoadBalancer" ? ((svc.status?.loadBalancer?.ingress ?? []) as any[]).map((i) => i.ip).filter(isV4) : [];
  const out: ServicePort[] = [];
  for (const p of spec.ports ?? []) {
    const protocol = String(p.protocol ?? "TCP").toLowerCase() as ServicePort["protocol"];
    const portName = p.name ?? "";
    out.push({
      namespace: ns,
      name,
      spn: servicePortName(ns, name, portName),
      portName,
      protocol,
      clusterIPs,
      port: p.port,
      nodePort: spec.type === "NodePort" || spec.type === "LoadBalancer" ? (p.nodePort ?? 0) : 0,
      externalIPs: ((spec.externalIPs ?? []) as string[]).filter(isV4),
      loadBalancerIPs: lbIPs,
      loadBalancerSourceRanges: spec.loadBalancerSourceRanges ?? [],
      externalLocal: spec.externalTrafficPolicy === "Local" && (spec.type === "NodePort" || spec.type === "LoadBalancer" || (spec.externalIPs ?? []).length > 0),
      internalLocal: spec.internalTrafficPolicy === "Local",
      affinitySeconds: spec.sessionAffinity === "ClientIP" ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800) : 0,
      endpoints: endpointsFor(sl, portName, protocol, nodeName),
    });
  }
  return out.sort((a, b) => (a.spn < b.spn ? -1 : a.spn > b.spn ? 1 : a.protocol < b.protocol ? -1 : 1));
}

/** "namespace/name" of a Service. */
export const serviceKey = (s: KubeObject) => `${s.metadata?.namespace ?? "default"}/${s.metadata?.name ?? ""}`;

/** Services in a stable order (by namespace/name). */
export function sortedServices(services: KubeObject[]): KubeObject[] {
  return [...services].sort((a, b) => {
    const x = serviceKey(a);
    const y = serviceKey(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
