// The kube-system/kube-dns Service (no selector) with an EndpointSlice and Endpoints pointing
// at kubun's own DNS listener, so the proxy routes the cluster DNS IP to it like any Service.
import type { KubeObject } from "../api/types.ts";
import type { Client } from "../client/types.ts";
import { StatusError } from "../api/errors.ts";

export const MANAGED_BY = "dns.kubun.io";
const SERVICES = { group: "", version: "v1", resource: "services" };
const SLICES = { group: "discovery.k8s.io", version: "v1", resource: "endpointslices" };
const ENDPOINTS = { group: "", version: "v1", resource: "endpoints" };
const NS = "kube-system";

export interface DnsTarget {
  clusterDNS: string;
  nodeName: string;
  /** Where the DNS server listens (the proxy DNATs the cluster DNS IP here). */
  ip: string;
  port: number;
}

export function kubeDnsService(t: DnsTarget): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: "kube-dns",
      namespace: NS,
      labels: { "k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS" },
      annotations: { "prometheus.io/port": "9153", "prometheus.io/scrape": "true" },
    },
    spec: {
      type: "ClusterIP",
      clusterIP: t.clusterDNS,
      clusterIPs: [t.clusterDNS],
      ports: [
        { name: "dns", port: 53, protocol: "UDP", targetPort: t.port },
        { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: t.port },
      ],
    },
  };
}

export function kubeDnsSlice(t: DnsTarget): KubeObject {
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      name: "kube-dns-kubun",
      namespace: NS,
      // our own managed-by: the EndpointSlice controller leaves slices it does not manage alone
      labels: { "kubernetes.io/service-name": "kube-dns", "endpointslice.kubernetes.io/managed-by": MANAGED_BY, "k8s-app": "kube-dns" },
    },
    addressType: "IPv4",
    endpoints: [{ addresses: [t.ip], conditions: { ready: true, serving: true, terminating: false }, nodeName: t.nodeName }],
    ports: [
      { name: "dns", port: t.port, protocol: "UDP" },
      { name: "dns-tcp", port: t.port, protocol: "TCP" },
    ],
  };
}

export function kubeDnsEndpoints(t: DnsTarget): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Endpoints",
    metadata: { name: "kube-dns", namespace: NS, labels: { "k8s-app": "kube-dns", "endpointslice.kubernetes.io/skip-mirror": "true" } },
    subsets: [
      {
        addresses: [{ ip: t.ip, nodeName: t.nodeName }],
        ports: [
          { name: "dns", port: t.port, protocol: "UDP" },
          { name: "dns-tcp", port: t.port, protocol: "TCP" },
        ],
      },
    ],
  };
}

const isNotFound = (e: unknown) => e instanceof StatusError && e.status.code === 404;

async function upsert(client: Client, gvr: typeof SERVICES, want: KubeObject, same: (cur: KubeObject) => boolean, merge: (cur: KubeObject) => KubeObject) {
  let cur: KubeObject | undefined;
  try {
    cur = await client.get(gvr, want.metadata!.name!, { namespace: NS });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  if (!cur) {
    await client.create(gvr, want, { namespace: NS, fieldManager: "kubun-dns" });
    return;
  }
  if (!same(cur)) await client.update(gvr, merge(cur), { namespace: NS, fieldManager: "kubun-dns" });
}

/** Creates or repairs the Service, its EndpointSlice and its Endpoints. */
export async function ensureKubeDns(client: Client, t: DnsTarget): Promise<void> {
  const svc = kubeDnsService(t);
  await upsert(
    client,
    SERVICES,
    svc,
    (c) => JSON.stringify(c.spec?.ports?.map((p: any) => [p.name, p.port, p.protocol, p.targetPort])) === JSON.stringify(svc.spec.ports.map((p: any) => [p.name, p.port, p.protocol, p.targetPort])),
    (c) => ({ ...c, spec: { ...c.spec, ports: svc.spec.ports } }),
  );
  const sl = kubeDnsSlice(t);
  await upsert(
    client,
    SLICES,
    sl,
    (c) => JSON.stringify([c.endpoints, c.ports]) === JSON.stringify([sl.endpoints, sl.ports]),
    (c) => ({ ...c, metadata: { ...c.metadata, labels: sl.metadata!.labels }, endpoints: sl.endpoints, ports: sl.ports }),
  );
  const ep = kubeDnsEndpoints(t);
  await upsert(client, ENDPOINTS, ep, (c) => JSON.stringify(c.subsets) === JSON.stringify(ep.subsets), (c) => ({ ...c, subsets: ep.subsets }));
}
