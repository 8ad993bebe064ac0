// Replica calculation for Resource metrics (upstream pkg/controller/podautoscaler/replica_calculator.go):
// utilisation over ready pods with metrics, tolerance 0.1, and the conservative treatment of
// pods without metrics (assumed at target on scale-down, idle on scale-up) and unready pods.
import type { KubeObject } from "../../api/types.ts";
import { parseQuantity } from "../../api/validation/quantity.ts";
import { isPodReady } from "../history/podutil.ts";

export const TOLERANCE = 0.1;

export interface PodMetric {
  name: string;
  /** Summed container usage of one resource (cores for cpu, bytes for memory). */
  value: number;
}

export interface ResourceTarget {
  resource: string;
  /** ContainerResource metrics: only this container's request counts. */
  container?: string;
  /** Percent of request, or… */
  averageUtilization?: number;
  /** …an absolute average per pod (in the resource's units). */
  averageValue?: number;
}

export interface ReplicaResult {
  replicas: number;
  /** Percent of request (utilisation targets only). */
  utilization?: number;
  /** Average usage per pod with metrics. */
  averageValue: number;
}

const request = (pod: KubeObject, resource: string, container?: string): number | undefined => {
  let sum = 0;
  for (const c of (pod.spec?.containers ?? []).filter((x: any) => !container || x.name === container)) {
    const r = parseQuantity(c.resources?.requests?.[resource]);
    if (r === undefined) return undefined;
    sum += r;
  }
  return sum;
};

/** Throws an Error with upstream's message when a request is missing or nothing can be measured. */
export function resourceReplicas(current: number, target: ResourceTarget, pods: KubeObject[], metrics: Map<string, number>, tolerance = TOLERANCE): ReplicaResult {
  if (!pods.length) throw new Error("no pods returned by selector while calculating replica count");
  const live = pods.filter((p) => !p.metadata?.deletionTimestamp && p.status?.phase !== "Failed");
  const withMetrics: KubeObject[] = [];
  const missing: KubeObject[] = [];
  const unready: KubeObject[] = [];
  for (const p of live) {
    if (!metrics.has(p.metadata!.name!)) missing.push(p);
    else if (p.status?.phase === "Pending" || (target.resource === "cpu" && !isPodReady(p))) unready.push(p);
    else withMetrics.push(p);
  }
  if (!withMetrics.length) throw new Error(`did not receive metrics for targeted pods (pods might be unready)`);
  let usage = 0;
  let requests = 0;
  for (const p of withMetrics) {
    usage += metrics.get(p.metadata!.name!)!;
    if (target.averageUtilization !== undefined) {
      const r = request(p, target.resource, target.container);
      if (r === undefined) throw new Error(`missing request for ${target.resource} in container ${p.spec?.containers?.find((c: any) => c.resources?.requests?.[target.resource] === undefined)?.name} of Pod ${p.metadata!.name}`);
      requests += r;
    }
  }
  const avg = usage / withMetrics.length;
  const ratioOf = (u: number, n: number, req: number) => (target.averageUtilization !== undefined ? (u * 100) / req / target.averageUtilization : u / n / target.averageValue!);
  const utilization = target.averageUtilization !== undefined ? Math.floor((usage * 100) / requests) : undefined;
  let ratio = ratioOf(usage, withMetrics.length, requests);
  const perPodRequest = withMetrics.length ? requests / withMetrics.length : 0;
  const rebalance = (missing.length > 0 || (ratio > 1 && unready.length > 0));
  if (!rebalance) {
    if (Math.abs(1 - ratio) <= tolerance) return { replicas: current, utilization, averageValue: avg };
    return { replicas: Math.ceil(ratio * withMetrics.length), utilization, averageValue: avg };
  }
  // Missing pods: at the target when scaling down, idle when scaling up; unready pods idle on scale-up.
  let u = usage;
  let req = requests;
  let n = withMetrics.length;
  for (const p of missing) {
    const r = request(p, target.resource, target.container) ?? perPodRequest;
    if (ratio < 1) u += target.averageUtilization !== undefined ? (r * target.averageUtilization) / 100 : target.averageValue!;
    req += r;
    n++;
  }
  if (ratio > 1) for (const p of unready) {
    req += request(p, target.resource, target.container) ?? perPodRequest;
    n++;
  }
  const newRatio = ratioOf(u, n, req);
  if (Math.abs(1 - newRatio) <= tolerance || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) return { replicas: current, utilization, averageValue: avg };
  ratio = newRatio;
  const next = Math.ceil(ratio * n);
  // Never move against the direction the measured pods asked for.
  if ((ratio > 1 && next < current) || (ratio < 1 && next > current)) return { replicas: current, utilization, averageValue: avg };
  return { replicas: next, utilization, averageValue: avg };
}
