// A lookup index over Services, EndpointSlices and Pods for the cluster zone, rebuilt
// (cheaply, from the informer caches) whenever one of them changes.
import type { KubeObject } from "../api/types.ts";

export interface EndpointRecord {
  ip: string;
  /** hostname from the slice, else the dashed IP (CoreDNS's endpoint name). */
  name: string;
  ready: boolean;
  ports: Array<{ name: string; port: number; protocol: string }>;
}

export interface ServiceRecord {
  namespace: string;
  name: string;
  type: string;
  headless: boolean;
  clusterIPs: string[];
  externalName?: string;
  ports: Array<{ name: string; port: number; protocol: string }>;
  publishNotReady: boolean;
  endpoints: EndpointRecord[];
}

export interface ZoneIndex {
  /** "ns/name" */
  services: Map<string, ServiceRecord>;
  namespaces: Set<string>;
  /** reverse: IP → PTR target (without the trailing dot) */
  ptr: Map<string, string>;
}

export const dashed = (ip: string) => (ip.includes(":") ? ip.replaceAll(":", "-") : ip.replaceAll(".", "-"));

export function buildZone(domain: string, services: KubeObject[], slices: KubeObject[], pods: KubeObject[] = []): ZoneIndex {
  const idx: ZoneIndex = { services: new Map(), namespaces: new Set(), ptr: new Map() };
  const slicesBySvc = new Map<string, KubeObject[]>();
  for (const s of slices) {
    const svc = s.metadata?.labels?.["kubernetes.io/service-name"];
    if (!svc) continue;
    const k = `${s.metadata?.namespace}/${svc}`;
    (slicesBySvc.get(k) ?? slicesBySvc.set(k, []).get(k)!).push(s);
  }
  // pods first so service and endpoint names win for the same IP
  for (const p of pods) {
    const ns = p.metadata?.namespace;
    if (p.spec?.hostNetwork) continue;
    for (const { ip } of (p.status?.podIPs as Array<{ ip: string }> | undefined) ?? (p.status?.podIP ? [{ ip: p.status.podIP }] : []))
      if (ip && ns) idx.ptr.set(ip, `${dashed(ip)}.${ns}.pod.${domain}`);
  }
  for (const s of services) {
    const ns = s.metadata?.namespace ?? "default";
    const name = s.metadata?.name ?? "";
    const spec = s.spec ?? {};
    idx.namespaces.add(ns);
    const clusterIPs = ((spec.clusterIPs as string[] | undefined) ?? (spec.clusterIP ? [spec.clusterIP] : [])).filter((ip) => ip && ip !== "None");
    const rec: ServiceRecord = {
      namespace: ns,
      name,
      type: spec.type ?? "ClusterIP",
      headless: spec.type !== "ExternalName" && clusterIPs.length === 0,
      clusterIPs,
      externalName: spec.type === "ExternalName" ? spec.externalName : undefined,
      ports: ((spec.ports ?? []) as any[]).map((p) => ({ name: p.name ?? "", port: p.port, protocol: p.protocol ?? "TCP" })),
      publishNotReady: spec.publishNotReadyAddresses === true,
      endpoints: [],
    };
    const seen = new Set<string>();
    for (const sl of slicesBySvc.get(`${ns}/${name}`) ?? []) {
      const ports = ((sl.ports ?? []) as any[]).map((p) => ({ name: p.name ?? "", port: p.port, protocol: p.protocol ?? "TCP" }));
      for (const e of sl.endpoints ?? []) {
        const ready = e.conditions?.ready !== false;
        for (const ip of e.addresses ?? []) {
          if (seen.has(ip)) continue;
          seen.add(ip);
          rec.endpoints.push({ ip, name: e.hostname ?? dashed(ip), ready, ports });
        }
      }
    }
    idx.services.set(`${ns}/${name}`, rec);
  }
  for (const rec of idx.services.values()) {
    const fqdn = `${rec.name}.${rec.namespace}.svc.${domain}`;
    for (const ip of rec.clusterIPs) idx.ptr.set(ip, fqdn);
    if (rec.headless) for (const e of rec.endpoints) if (e.ready || rec.publishNotReady) idx.ptr.set(e.ip, `${e.name}.${fqdn}`);
  }
  return idx;
}
