// Quota admission as pure functions for the API server (upstream plugin/pkg/admission/resourcequota):
// a create is refused when it would push any quota past its hard limit, with upstream's message.
import type { KubeObject } from "../types.ts";
import { parseQuantity } from "../validation/quantity.ts";
import { formatUsage, matchesScopes, objectUsage, podResources, type Usage } from "./usage.ts";

const KIND_RESOURCE: Record<string, [string, string]> = {
  Pod: ["", "pods"], Service: ["", "services"], PersistentVolumeClaim: ["", "persistentvolumeclaims"], ConfigMap: ["", "configmaps"], Secret: ["", "secrets"],
  ReplicationController: ["", "replicationcontrollers"], ResourceQuota: ["", "resourcequotas"], Deployment: ["apps", "deployments"], ReplicaSet: ["apps", "replicasets"],
  StatefulSet: ["apps", "statefulsets"], DaemonSet: ["apps", "daemonsets"], Job: ["batch", "jobs"], CronJob: ["batch", "cronjobs"],
};

/** Group and resource of an object from its apiVersion/kind (well-known kinds, else a lower-case plural). */
export function resourceOf(obj: KubeObject): { group: string; resource: string } {
  const k = KIND_RESOURCE[obj.kind ?? ""];
  if (k) return { group: k[0], resource: k[1] };
  const g = obj.apiVersion?.includes("/") ? obj.apiVersion.split("/")[0]! : "";
  const lower = String(obj.kind ?? "").toLowerCase();
  return { group: g, resource: lower.endsWith("s") ? `${lower}es` : lower.endsWith("y") ? `${lower.slice(0, -1)}ies` : `${lower}s` };
}

const pretty = (u: Usage) => Object.keys(u).sort().map((k) => `${k}=${formatUsage(k, u[k]!)}`).join(",");

/** Compute resources a quota constrains that some container does not set (pods only). */
function missingSpecs(quota: KubeObject, pod: KubeObject): string | undefined {
  const hard = quota.status?.hard ?? quota.spec?.hard ?? {};
  const parts: string[] = [];
  for (const key of Object.keys(hard).sort()) {
    const m = /^(requests|limits)\.(cpu|memory)$/.exec(key) ?? (/^(cpu|memory)$/.test(key) ? [key, "requests", key] : null);
    if (!m) continue;
    const kind = m[1] as "requests" | "limits";
    const missing = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].filter((c: any) => c.resources?.[kind]?.[m[2]!] === undefined).map((c: any) => c.name);
    if (missing.length) parts.push(`${key} for: ${missing.join(",")}`);
  }
  return parts.length ? `failed quota: ${quota.metadata?.name}: must specify ${parts.join("; ")}` : undefined;
}

/**
 * The message to refuse a create with, or undefined to admit it. `quotas` are the namespace's
 * ResourceQuotas (their status.used as the current usage); `usage` defaults to the object's own.
 * The API server wraps it: `pods "x" is forbidden: exceeded quota: …`.
 */
export function checkQuota(quotas: KubeObject[], obj: KubeObject, usage?: Usage): string | undefined {
  const { group, resource } = resourceOf(obj);
  const requested = Object.fromEntries(Object.entries(usage ?? objectUsage(group, resource, obj)).filter(([, v]) => v > 0));
  for (const quota of [...quotas].sort((a, b) => String(a.metadata?.name).localeCompare(String(b.metadata?.name)))) {
    if (!matchesScopes(quota, group, resource, obj)) continue;
    const hard: Record<string, string> = quota.status?.hard ?? {};
    const specHard: Record<string, string> = quota.spec?.hard ?? {};
    const constrained = Object.keys(specHard).filter((k) => k in requested || (group === "" && resource === "pods" && /^(requests|limits)\.(cpu|memory)$|^(cpu|memory)$/.test(k)));
    if (!constrained.length) continue;
    if (!quota.status?.hard) return `status unknown for quota: ${quota.metadata?.name}, resources: ${constrained.sort().join(",")}`;
    if (group === "" && resource === "pods") {
      const miss = missingSpecs(quota, obj);
      if (miss) return miss;
    }
    const used: Record<string, string> = quota.status?.used ?? {};
    const exceeded = constrained.filter((k) => k in requested && (parseQuantity(used[k] ?? 0) ?? 0) + requested[k]! > (parseQuantity(hard[k]) ?? Infinity) + 1e-9);
    if (exceeded.length) {
      const pick = (src: Record<string, number>) => Object.fromEntries(exceeded.map((k) => [k, src[k] ?? 0]));
      const num = (src: Record<string, string>) => Object.fromEntries(Object.entries(src).map(([k, v]) => [k, parseQuantity(v) ?? 0]));
      return `exceeded quota: ${quota.metadata?.name}, requested: ${pretty(pick(requested))}, used: ${pretty(pick(num(used)))}, limited: ${pretty(pick(num(hard)))}`;
    }
  }
  return undefined;
}

/** status.used after admitting `obj` (the API server writes it back so rapid creates are counted). */
export function usedAfter(quota: KubeObject, obj: KubeObject, usage?: Usage): Record<string, string> {
  const { group, resource } = resourceOf(obj);
  const requested = usage ?? objectUsage(group, resource, obj);
  const used: Record<string, string> = { ...(quota.status?.used ?? {}) };
  if (!matchesScopes(quota, group, resource, obj)) return used;
  for (const k of Object.keys(quota.status?.hard ?? quota.spec?.hard ?? {})) if (k in requested) used[k] = formatUsage(k, (parseQuantity(used[k] ?? 0) ?? 0) + requested[k]!);
  return used;
}

export { podResources };

/** For an update: only what grows counts against the quota (upstream evaluates the delta). */
export function updateUsage(oldObj: KubeObject, newObj: KubeObject): Usage {
  const { group, resource } = resourceOf(newObj);
  const before = objectUsage(group, resource, oldObj);
  const after = objectUsage(group, resource, newObj);
  const delta: Usage = {};
  for (const [k, v] of Object.entries(after)) if (v - (before[k] ?? 0) > 0) delta[k] = v - (before[k] ?? 0);
  return delta;
}
