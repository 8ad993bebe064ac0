// What one object uses against a quota (upstream pkg/quota/v1/evaluator/core): pods count
// compute requests/limits, services their node ports and load balancers, claims their storage,
// everything else an object count (`count/<resource>[.<group>]`).
import type { KubeObject } from "../types.ts";
import { canonicalQuantity, parseQuantity } from "../validation/quantity.ts";

export type Usage = Record<string, number>;

const q = (v: unknown) => parseQuantity(v) ?? 0;
const add = (u: Usage, k: string, v: number) => {
  u[k] = (u[k] ?? 0) + v;
};

/** Effective pod requests or limits: max(sum of containers, each init container) + overhead. */
export function podResources(spec: any, kind: "requests" | "limits"): Usage {
  const sum: Usage = {};
  for (const c of spec?.containers ?? []) for (const [r, v] of Object.entries(c.resources?.[kind] ?? {})) add(sum, r, q(v));
  for (const c of spec?.initContainers ?? []) {
    const sidecar = c.restartPolicy === "Always";
    for (const [r, v] of Object.entries(c.resources?.[kind] ?? {})) {
      if (sidecar) add(sum, r, q(v));
      else sum[r] = Math.max(sum[r] ?? 0, q(v));
    }
  }
  for (const [r, v] of Object.entries(spec?.overhead ?? {})) add(sum, r, q(v));
  return sum;
}

const isTerminalPod = (p: KubeObject) => p.status?.phase === "Succeeded" || p.status?.phase === "Failed";

export function podUsage(pod: KubeObject): Usage {
  if (isTerminalPod(pod)) return {};
  const u: Usage = { pods: 1, "count/pods": 1 };
  const req = podResources(pod.spec, "requests");
  const lim = podResources(pod.spec, "limits");
  for (const [r, v] of Object.entries(req)) {
    add(u, `requests.${r}`, v);
    if (r === "cpu" || r === "memory" || r === "ephemeral-storage") add(u, r, v);
  }
  for (const [r, v] of Object.entries(lim)) add(u, `limits.${r}`, v);
  return u;
}

export function serviceUsage(svc: KubeObject): Usage {
  const u: Usage = { services: 1, "count/services": 1 };
  const type = svc.spec?.type ?? "ClusterIP";
  if (type === "NodePort" || type === "LoadBalancer") u["services.nodeports"] = (svc.spec?.ports ?? []).length;
  if (type === "LoadBalancer") u["services.loadbalancers"] = 1;
  return u;
}

export function pvcUsage(pvc: KubeObject): Usage {
  const storage = q(pvc.status?.capacity?.storage ?? 0) > q(pvc.spec?.resources?.requests?.storage ?? 0) ? q(pvc.status.capacity.storage) : q(pvc.spec?.resources?.requests?.storage ?? 0);
  const u: Usage = { persistentvolumeclaims: 1, "count/persistentvolumeclaims": 1, "requests.storage": storage };
  const cls = pvc.spec?.storageClassName;
  if (cls) {
    u[`${cls}.storageclass.storage.k8s.io/persistentvolumeclaims`] = 1;
    u[`${cls}.storageclass.storage.k8s.io/requests.storage`] = storage;
  }
  return u;
}

// Legacy names for object counts (quota predates count/<resource>).
const LEGACY: Record<string, string> = { configmaps: "configmaps", secrets: "secrets", replicationcontrollers: "replicationcontrollers", resourcequotas: "resourcequotas" };

/** Usage of one object of `resource` in `group`. */
export function objectUsage(group: string, resource: string, obj: KubeObject): Usage {
  if (group === "" && resource === "pods") return podUsage(obj);
  if (group === "" && resource === "services") return serviceUsage(obj);
  if (group === "" && resource === "persistentvolumeclaims") return pvcUsage(obj);
  const u: Usage = { [group ? `count/${resource}.${group}` : `count/${resource}`]: 1 };
  if (group === "" && LEGACY[resource]) u[LEGACY[resource]] = 1;
  return u;
}

/** The resource names this quota key counts (`count/deployments.apps` → apps/deployments). */
export function countTarget(key: string): { group: string; resource: string } | undefined {
  if (key.startsWith("count/")) {
    const rest = key.slice(6);
    const i = rest.indexOf(".");
    return i < 0 ? { group: "", resource: rest } : { group: rest.slice(i + 1), resource: rest.slice(0, i) };
  }
  if (LEGACY[key]) return { group: "", resource: key };
  if (key === "pods" || key.startsWith("requests.") || key.startsWith("limits.") || key === "cpu" || key === "memory" || key === "ephemeral-storage") return { group: "", resource: "pods" };
  if (key.startsWith("services")) return { group: "", resource: "services" };
  if (key === "persistentvolumeclaims" || key.includes("storageclass.storage.k8s.io/") || key === "requests.storage") return { group: "", resource: "persistentvolumeclaims" };
  return undefined;
}

/** Quantity text as upstream prints it: cpu-like in milli units, bytes with binary suffixes, counts plain. */
export function formatUsage(key: string, v: number): string {
  if (/cpu/.test(key)) return canonicalQuantity(`${Math.round(v * 1000)}m`);
  if (/memory|storage/.test(key)) {
    const n = Math.round(v);
    return n % 1024 === 0 && n !== 0 ? canonicalQuantity(`${n / 1024}Ki`) : canonicalQuantity(String(n));
  }
  return canonicalQuantity(String(Math.round(v)));
}

/** Pod scopes: Terminating/NotTerminating/BestEffort/NotBestEffort and scopeSelector PriorityClass. */
export function matchesScopes(quota: KubeObject, group: string, resource: string, obj: KubeObject): boolean {
  const scopes: { scopeName: string; operator: string; values?: string[] }[] = [
    ...(quota.spec?.scopes ?? []).map((s: string) => ({ scopeName: s, operator: "Exists" })),
    ...(quota.spec?.scopeSelector?.matchExpressions ?? []),
  ];
  if (!scopes.length) return true;
  if (!(group === "" && resource === "pods")) return false;
  const spec = obj.spec ?? {};
  const req = podResources(spec, "requests");
  const lim = podResources(spec, "limits");
  const bestEffort = !["cpu", "memory"].some((r) => r in req || r in lim);
  return scopes.every((s) => {
    switch (s.scopeName) {
      case "Terminating":
        return spec.activeDeadlineSeconds != null;
      case "NotTerminating":
        return spec.activeDeadlineSeconds == null;
      case "BestEffort":
        return bestEffort;
      case "NotBestEffort":
        return !bestEffort;
      case "PriorityClass": {
        const pc = spec.priorityClassName;
        if (s.operator === "Exists") return !!pc;
        if (s.operator === "DoesNotExist") return !pc;
        if (s.operator === "In") return !!pc && (s.values ?? []).includes(pc);
        if (s.operator === "NotIn") return !pc || !(s.values ?? []).includes(pc);
        return false;
      }
    }
    return false;
  });
}
