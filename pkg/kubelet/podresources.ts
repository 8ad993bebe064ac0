// Pod-level cgroup settings (upstream's ResourceConfigForPod): CPU shares from the sum of requests,
// a CPU quota and a memory limit only when every container sets that limit. Sidecars count with the
// app containers; a regular init container counts when it asks for more than they do together.
import type { CgroupResources } from "../runtime/types.ts";
import { resourcesFromKubernetes } from "../runtime/cgroups/resources.ts";
import { parseQuantity } from "../api/validation/quantity.ts";

const milli = (q: unknown) => Math.round((parseQuantity(q) ?? 0) * 1000);
const bytes = (q: unknown) => parseQuantity(q) ?? 0;

export function podResources(spec: any): CgroupResources {
  const long = [...(spec.initContainers ?? []).filter((c: any) => c.restartPolicy === "Always"), ...(spec.containers ?? [])];
  // a request left out defaults to the limit (API defaulting), so read it that way
  const get = (c: any, kind: "requests" | "limits", r: "cpu" | "memory") => (kind === "requests" ? c.resources?.requests?.[r] ?? c.resources?.limits?.[r] : c.resources?.limits?.[r]);
  const sum = (list: any[], kind: "requests" | "limits", r: "cpu" | "memory") => list.reduce((n, c) => n + (r === "cpu" ? milli(get(c, kind, r)) : bytes(get(c, kind, r))), 0);
  const all = (list: any[], r: "cpu" | "memory") => list.length > 0 && list.every((c) => c.resources?.limits?.[r] !== undefined);
  const inits = (spec.initContainers ?? []).filter((c: any) => c.restartPolicy !== "Always");
  const maxInit = (kind: "requests" | "limits", r: "cpu" | "memory") => Math.max(0, ...inits.map((c: any) => (r === "cpu" ? milli(get(c, kind, r)) : bytes(get(c, kind, r)))));
  const every = [...long, ...inits];
  const cpuReq = Math.max(sum(long, "requests", "cpu"), maxInit("requests", "cpu"));
  return resourcesFromKubernetes({
    cpuRequestMilli: cpuReq,
    cpuLimitMilli: all(every, "cpu") ? Math.max(sum(long, "limits", "cpu"), maxInit("limits", "cpu")) : undefined,
    memoryLimitBytes: all(every, "memory") ? Math.max(sum(long, "limits", "memory"), maxInit("limits", "memory")) : undefined,
  });
}
