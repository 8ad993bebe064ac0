// Test-only builders for pods, namespaces and NetworkPolicies.
import type { KubeObject } from "../api/types.ts";

export const pod = (ns: string, name: string, ip: string, labels: Record<string, string>, ports: Array<{ name: string; containerPort: number }> = [], node = "node1"): KubeObject => ({
  metadata: { namespace: ns, name, labels },
  spec: { nodeName: node, containers: [{ name: "c", ports }] },
  status: { phase: "Running", podIP: ip },
});
export const ns = (name: string, labels: Record<string, string> = {}): KubeObject => ({ metadata: { name, labels: { "kubernetes.io/metadata.name": name, ...labels } } });
export const policy = (namespace: string, name: string, spec: Record<string, any>): KubeObject => ({ metadata: { namespace, name }, spec });
