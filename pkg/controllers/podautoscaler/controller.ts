// HorizontalPodAutoscaler v2 (upstream pkg/controller/podautoscaler/horizontal.go): every sync
// period, read the target's scale, compute replicas per Resource metric from metrics.k8s.io,
// stabilize and rate-limit, write the `scale` subresource, and report status and conditions.
import type { KubeObject } from "../../api/types.ts";
import type { GVR } from "../../client/types.ts";
import type { ControllerContext, ControllerDescriptor } from "../types.ts";
import { INDEX_NAMESPACE, metaNamespaceKey } from "../../client/store.ts";
import { parseLabelSelector, matchesLabels } from "../../api/selectors/labels.ts";
import { parseQuantity } from "../../api/validation/quantity.ts";
import { startQueueWorker } from "../history/controller.ts";
import { PODS, rfc3339, sameJSON } from "../history/podutil.ts";
import { formatUsage } from "../../api/admission/usage.ts";
import { resourceReplicas } from "./replicas.ts";
import { limitByPolicies, stabilize, type Recommendation, type ScaleEvent } from "./behavior.ts";

export const HPAS: GVR = { group: "autoscaling", version: "v2", resource: "horizontalpodautoscalers" };
const POD_METRICS: GVR = { group: "metrics.k8s.io", version: "v1beta1", resource: "pods" };

/** metrics.k8s.io PodMetrics items for pods matching a selector. */
export type MetricsReader = (namespace: string, labelSelector: string) => Promise<KubeObject[]>;

export interface HPAControllerOptions {
  workers?: number;
  /** Defaults to listing metrics.k8s.io/v1beta1 pods through the client. */
  metrics?: MetricsReader;
  tolerance?: number;
}

class UnsupportedMetric extends Error {}

const KINDS: Record<string, string> = { Deployment: "deployments", ReplicaSet: "replicasets", StatefulSet: "statefulsets", ReplicationController: "replicationcontrollers" };

function targetGVR(ref: { apiVersion?: string; kind: string }): GVR {
  const [group, version] = (ref.apiVersion ?? "apps/v1").includes("/") ? (ref.apiVersion ?? "apps/v1").split("/") : ["", ref.apiVersion ?? "v1"];
  return { group: group!, version: version!, resource: KINDS[ref.kind] ?? `${ref.kind.toLowerCase()}s` };
}

const setCond = (list: any[], type: string, status: string, reason: string, message: string, now: Date) => {
  const prev = list.find((c) => c.type === type);
  const c = { type, status, reason, message, lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : rfc3339(now) };
  return [...list.filter((x) => x.type !== type), c];
};

export function startHPAController(ctx: ControllerContext, o: HPAControllerOptions = {}) {
  const hpas = ctx.informers.forResource<KubeObject>(HPAS);
  const pods = ctx.informers.forResource<KubeObject>(PODS);
  const recorder = ctx.recorder("horizontal-pod-autoscaler");
  const readMetrics: MetricsReader = o.metrics ?? (async (ns, sel) => (await ctx.client.list<KubeObject>(POD_METRICS, { namespace: ns, labelSelector: sel })).items);
  const recommendations = new Map<string, Recommendation[]>();
  const scaleEvents = new Map<string, ScaleEvent[]>();

  const sync = async (key: string) => {
    const cached = hpas.store.get(key);
    if (!cached) {
      recommendations.delete(key);
      scaleEvents.delete(key);
      return;
    }
    const hpa = structuredClone(cached);
    hpa.apiVersion = "autoscaling/v2";
    hpa.kind = "HorizontalPodAutoscaler";
    const ns = hpa.metadata!.namespace!;
    const now = ctx.config.now();
    const t = now.getTime();
    const status: Record<string, any> = structuredClone(hpa.status ?? {});
    const old = structuredClone(status);
    let conds: any[] = status.conditions ?? [];
    const ref = hpa.spec.scaleTargetRef;
    const gvr = targetGVR(ref);
    const write = async () => {
      status.conditions = conds;
      status.observedGeneration = hpa.metadata!.generation;
      if (!sameJSON(status, old)) await ctx.client.updateStatus(HPAS, { ...hpa, status });
    };
    let scale: KubeObject;
    try {
      scale = await ctx.client.get<KubeObject>(gvr, ref.name, { namespace: ns, subresource: "scale" });
    } catch (e) {
      conds = setCond(conds, "AbleToScale", "False", "FailedGetScale", `the HPA controller was unable to get the target's current scale: ${(e as Error).message}`, now);
      recorder.event(hpa, "Warning", "FailedGetScale", (e as Error).message);
      return write();
    }
    const current: number = scale.spec?.replicas ?? 0;
    status.currentReplicas = scale.status?.replicas ?? current;
    const minR: number = hpa.spec.minReplicas ?? 1;
    const maxR: number = hpa.spec.maxReplicas;
    if (current === 0 && minR !== 0) {
      status.desiredReplicas = 0;
      conds = setCond(conds, "ScalingActive", "False", "ScalingDisabled", "scaling is disabled since the replica count of the target is zero", now);
      return write();
    }
    // Replicas each metric asks for; the largest wins.
    const selector = parseLabelSelector(scale.status?.selector ?? "");
    const targetPods = pods.store.byIndex(INDEX_NAMESPACE, ns).filter((p) => matchesLabels(selector, p.metadata?.labels ?? {}));
    let proposal = 0;
    let reasonMetric = "";
    const currentMetrics: any[] = [];
    try {
      const items = await readMetrics(ns, scale.status?.selector ?? "");
      for (const m of hpa.spec.metrics ?? [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } }]) {
        // Resource and ContainerResource metrics come from metrics.k8s.io; other sources are not served.
        const src = m.type === "Resource" ? m.resource : m.type === "ContainerResource" ? m.containerResource : undefined;
        if (!src) throw new UnsupportedMetric(`the HPA was unable to compute the replica count: unsupported metric source type "${m.type}"`);
        const res: string = src.name;
        const container: string | undefined = m.type === "ContainerResource" ? src.container : undefined;
        const tgt = src.target ?? {};
        const values = new Map<string, number>();
        for (const pm of items) values.set(String(pm.metadata?.name), (pm.containers ?? []).filter((c: any) => !container || c.name === container).reduce((a: number, c: any) => a + (parseQuantity(c.usage?.[res]) ?? 0), 0));
        const r = resourceReplicas(current, { resource: res, container, averageUtilization: tgt.type === "Utilization" ? tgt.averageUtilization ?? 80 : undefined, averageValue: tgt.type === "AverageValue" ? parseQuantity(tgt.averageValue) ?? 0 : undefined }, targetPods, values, o.tolerance);
        const cur = { ...(r.utilization !== undefined ? { averageUtilization: r.utilization } : {}), averageValue: formatUsage(res, r.averageValue) };
        currentMetrics.push(container ? { type: "ContainerResource", containerResource: { name: res, container, current: cur } } : { type: "Resource", resource: { name: res, current: cur } });
        if (r.replicas > proposal || !reasonMetric) {
          proposal = r.replicas;
          reasonMetric = tgt.type === "Utilization" ? `${res} resource utilization (percentage of request)` : `${res} resource`;
        }
      }
    } catch (e) {
      if (e instanceof UnsupportedMetric) {
        conds = setCond(conds, "ScalingActive", "False", "InvalidMetricSourceType", e.message, now);
        recorder.event(hpa, "Warning", "InvalidMetricSourceType", e.message);
        status.desiredReplicas = status.desiredReplicas ?? current;
        return write();
      }
      conds = setCond(conds, "ScalingActive", "False", "FailedGetResourceMetric", `the HPA was unable to compute the replica count: ${(e as Error).message}`, now);
      conds = setCond(conds, "AbleToScale", "True", "SucceededGetScale", "the HPA controller was able to get the target's current scale", now);
      recorder.event(hpa, "Warning", "FailedGetResourceMetric", (e as Error).message);
      status.desiredReplicas = status.desiredReplicas ?? current;
      return write();
    }
    status.currentMetrics = currentMetrics.length ? currentMetrics : undefined;
    if (!status.currentMetrics) delete status.currentMetrics;
    conds = setCond(conds, "ScalingActive", "True", "ValidMetricFound", `the HPA was able to successfully calculate a replica count from ${reasonMetric}`, now);

    // Behavior: stabilization, policies, then min/max.
    const hist = (recommendations.get(key) ?? []).filter((r) => r.at > t - 3_600_000);
    const stabilized = stabilize(current, proposal, hist, t, hpa.spec.behavior);
    hist.push({ at: t, replicas: proposal });
    recommendations.set(key, hist);
    const events = (scaleEvents.get(key) ?? []).filter((e) => e.at > t - 3_600_000);
    let desired = limitByPolicies(current, stabilized, events, t, hpa.spec.behavior);
    if (desired > maxR) {
      desired = maxR;
      conds = setCond(conds, "ScalingLimited", "True", "TooManyReplicas", "the desired replica count is more than the maximum replica count", now);
    } else if (desired < minR) {
      desired = minR;
      conds = setCond(conds, "ScalingLimited", "True", "TooFewReplicas", "the desired replica count is less than the minimum replica count", now);
    } else conds = setCond(conds, "ScalingLimited", "False", "DesiredWithinRange", "the desired count is within the acceptable range", now);

    if (desired !== current) {
      scale.spec = { ...scale.spec, replicas: desired };
      await ctx.client.update(gvr, scale, { namespace: ns, subresource: "scale" });
      events.push({ at: t, delta: desired - current });
      const why = desired > current ? `${reasonMetric} above target` : "All metrics below target";
      recorder.event(hpa, "Normal", "SuccessfulRescale", `New size: ${desired}; reason: ${why}`);
      conds = setCond(conds, "AbleToScale", "True", "SucceededRescale", `the HPA controller was able to update the target scale to ${desired}`, now);
      status.lastScaleTime = rfc3339(now);
    } else if (stabilized !== proposal && proposal < current) conds = setCond(conds, "AbleToScale", "True", "ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation", now);
    else conds = setCond(conds, "AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size", now);
    scaleEvents.set(key, events);
    status.desiredReplicas = desired;
    return write();
  };

  let timer: ReturnType<typeof setInterval> | undefined;
  return startQueueWorker(ctx, { name: "horizontal-pod-autoscaler", workers: o.workers ?? 2, sync }, (q) => {
    const h = hpas.addEventHandler({ onAdd: (x) => q.add(metaNamespaceKey(x)), onDelete: (x) => q.add(metaNamespaceKey(x)), onUpdate: (a, b) => (sameJSON(a.spec, b.spec) ? undefined : q.add(metaNamespaceKey(b))) });
    timer = setInterval(() => hpas.store.list().forEach((x) => q.add(metaNamespaceKey(x))), ctx.config.hpaSyncPeriodMs);
    return () => {
      clearInterval(timer);
      h.remove();
    };
  });
}

export const hpaController: ControllerDescriptor = { name: "horizontal-pod-autoscaling", start: (ctx) => startHPAController(ctx) };
