// Test-only builders for Services and EndpointSlices (imported by *.test.ts and the bench).
import type { KubeObject } from "../api/types.ts";

export function svc(ns: string, name: string, spec: Record<string, any>, status?: Record<string, any>): KubeObject {
  return { apiVersion: "v1", kind: "Service", metadata: { namespace: ns, name }, spec: { type: "ClusterIP", ...spec }, ...(status ? { status } : {}) };
}

export interface EP {
  ip: string;
  node?: string;
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
  hostname?: string;
}

export function slice(ns: string, service: string, ports: Array<{ name?: string; port: number; protocol?: string }>, eps: EP[], name = `${service}-abc`): KubeObject {
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: { namespace: ns, name, labels: { "kubernetes.io/service-name": service } },
    addressType: "IPv4",
    ports: ports.map((p) => ({ name: p.name ?? "", port: p.port, protocol: p.protocol ?? "TCP" })),
    endpoints: eps.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: e.ready ?? true, serving: e.serving ?? e.ready ?? true, terminating: e.terminating ?? false },
      nodeName: e.node ?? "node1",
      ...(e.hostname ? { hostname: e.hostname } : {}),
    })),
  };
}
