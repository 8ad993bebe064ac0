// Version conversion for resources that share storage across group-versions (upstream stores one
// version and converts): core/v1 Event <-> events.k8s.io/v1 Event (stored as core/v1), and
// autoscaling/v1 <-> autoscaling/v2 HorizontalPodAutoscaler (stored as autoscaling/v2, with v1
// carrying what it cannot express in upstream's autoscaling.alpha.kubernetes.io annotations).
import type { KubeObject, ResourceInfo } from "../api/types.ts";

const gvOf = (info: ResourceInfo) => (info.group ? `${info.group}/${info.version}` : info.version);

type Convert = (o: KubeObject) => KubeObject;
interface Pair {
  storage: string;
  /** apiVersion -> converters to and from the storage version. */
  versions: Record<string, { toStorage: Convert; fromStorage: Convert }>;
}

const put = (o: Record<string, unknown>, k: string, v: unknown) => {
  if (v !== undefined && v !== null) o[k] = v;
};

// ---- events ----
function eventsToCore(e: KubeObject): KubeObject {
  const o: KubeObject = { apiVersion: "v1", kind: "Event", metadata: e.metadata };
  put(o, "involvedObject", e.regarding ?? {});
  put(o, "related", e.related);
  put(o, "reason", e.reason);
  put(o, "message", e.note);
  put(o, "source", e.deprecatedSource);
  put(o, "firstTimestamp", e.deprecatedFirstTimestamp);
  put(o, "lastTimestamp", e.deprecatedLastTimestamp);
  put(o, "count", e.deprecatedCount);
  put(o, "type", e.type);
  put(o, "eventTime", e.eventTime);
  put(o, "series", e.series);
  put(o, "action", e.action);
  put(o, "reportingComponent", e.reportingController);
  put(o, "reportingInstance", e.reportingInstance);
  return o;
}
function coreToEvents(e: KubeObject): KubeObject {
  const o: KubeObject = { apiVersion: "events.k8s.io/v1", kind: "Event", metadata: e.metadata };
  put(o, "eventTime", e.eventTime ?? null);
  if (o.eventTime === undefined) o.eventTime = null; // required field, null when unset
  put(o, "series", e.series);
  put(o, "reportingController", e.reportingComponent);
  put(o, "reportingInstance", e.reportingInstance);
  put(o, "action", e.action);
  put(o, "reason", e.reason);
  put(o, "regarding", e.involvedObject);
  put(o, "related", e.related);
  put(o, "note", e.message);
  put(o, "type", e.type);
  put(o, "deprecatedSource", e.source);
  put(o, "deprecatedFirstTimestamp", e.firstTimestamp);
  put(o, "deprecatedLastTimestamp", e.lastTimestamp);
  put(o, "deprecatedCount", e.count);
  return o;
}

// ---- horizontal pod autoscalers ----
const A = "autoscaling.alpha.kubernetes.io/";
const isCpuUtilization = (m: any) => m?.type === "Resource" && m.resource?.name === "cpu" && m.resource?.target?.type === "Utilization";

function hpaV2ToV1(h: KubeObject): KubeObject {
  const metadata = structuredClone(h.metadata ?? {});
  const ann: Record<string, string> = { ...(metadata.annotations ?? {}) };
  const spec = h.spec ?? {};
  const metrics: any[] = spec.metrics ?? [];
  const cpu = metrics.find(isCpuUtilization);
  const others = metrics.filter((m) => m !== cpu);
  if (others.length) ann[`${A}metrics`] = JSON.stringify(others);
  if (spec.behavior) ann[`${A}behavior`] = JSON.stringify(spec.behavior);
  const st = h.status ?? {};
  const cur: any[] = st.currentMetrics ?? [];
  const curCpu = cur.find((m) => m?.type === "Resource" && m.resource?.name === "cpu");
  const curOthers = cur.filter((m) => m !== curCpu);
  if (curOthers.length) ann[`${A}current-metrics`] = JSON.stringify(curOthers);
  if (st.conditions?.length) ann[`${A}conditions`] = JSON.stringify(st.conditions);
  if (Object.keys(ann).length) metadata.annotations = ann;
  const o: KubeObject = { apiVersion: "autoscaling/v1", kind: "HorizontalPodAutoscaler", metadata };
  const s: Record<string, unknown> = { scaleTargetRef: spec.scaleTargetRef };
  put(s, "minReplicas", spec.minReplicas);
  put(s, "maxReplicas", spec.maxReplicas);
  put(s, "targetCPUUtilizationPercentage", cpu?.resource?.target?.averageUtilization);
  o.spec = s;
  if (h.status) {
    const os: Record<string, unknown> = {};
    put(os, "observedGeneration", st.observedGeneration);
    put(os, "lastScaleTime", st.lastScaleTime);
    os.currentReplicas = st.currentReplicas ?? 0;
    os.desiredReplicas = st.desiredReplicas ?? 0;
    put(os, "currentCPUUtilizationPercentage", curCpu?.resource?.current?.averageUtilization);
    o.status = os;
  }
  return o;
}

function parseAnn(ann: Record<string, string>, key: string): any {
  const raw = ann[key];
  delete ann[key];
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function hpaV1ToV2(h: KubeObject): KubeObject {
  const metadata = structuredClone(h.metadata ?? {});
  const ann: Record<string, string> = { ...(metadata.annotations ?? {}) };
  const others: any[] = parseAnn(ann, `${A}metrics`) ?? [];
  const behavior = parseAnn(ann, `${A}behavior`);
  const curOthers: any[] = parseAnn(ann, `${A}current-metrics`) ?? [];
  const conditions = parseAnn(ann, `${A}conditions`);
  if (Object.keys(ann).length) metadata.annotations = ann;
  else delete metadata.annotations;
  const spec = h.spec ?? {};
  const metrics = [...others];
  if (spec.targetCPUUtilizationPercentage !== undefined && spec.targetCPUUtilizationPercentage !== null)
    metrics.unshift({ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: spec.targetCPUUtilizationPercentage } } });
  const s: Record<string, unknown> = { scaleTargetRef: spec.scaleTargetRef };
  put(s, "minReplicas", spec.minReplicas);
  put(s, "maxReplicas", spec.maxReplicas);
  if (metrics.length) s.metrics = metrics;
  put(s, "behavior", behavior);
  const o: KubeObject = { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata, spec: s };
  if (h.status) {
    const st = h.status;
    const os: Record<string, unknown> = {};
    put(os, "observedGeneration", st.observedGeneration);
    put(os, "lastScaleTime", st.lastScaleTime);
    os.currentReplicas = st.currentReplicas ?? 0;
    os.desiredReplicas = st.desiredReplicas ?? 0;
    const cur = [...curOthers];
    if (st.currentCPUUtilizationPercentage !== undefined && st.currentCPUUtilizationPercentage !== null)
      cur.unshift({ type: "Resource", resource: { name: "cpu", current: { averageUtilization: st.currentCPUUtilizationPercentage } } });
    if (cur.length) os.currentMetrics = cur;
    put(os, "conditions", conditions);
    o.status = os;
  }
  return o;
}

const identity: Convert = (o) => o;
const PAIRS: Record<string, Pair> = {
  events: {
    storage: "v1",
    versions: { v1: { toStorage: identity, fromStorage: identity }, "events.k8s.io/v1": { toStorage: eventsToCore, fromStorage: coreToEvents } },
  },
  "horizontalpodautoscalers.autoscaling": {
    storage: "autoscaling/v2",
    versions: { "autoscaling/v2": { toStorage: identity, fromStorage: identity }, "autoscaling/v1": { toStorage: hpaV1ToV2, fromStorage: hpaV2ToV1 } },
  },
};

function pairFor(info: ResourceInfo): { to: Convert; from: Convert; storage: string } | undefined {
  const p = info.storageGroupResource ? PAIRS[info.storageGroupResource] : undefined;
  const c = p?.versions[gvOf(info)];
  return p && c ? { to: c.toStorage, from: c.fromStorage, storage: p.storage } : undefined;
}

/** The object as the endpoint's version (stored objects may be in another version). */
export function fromStorage(info: ResourceInfo, obj: KubeObject): KubeObject {
  const p = pairFor(info);
  if (!p || obj.apiVersion === gvOf(info)) return obj;
  if (obj.apiVersion !== p.storage) return obj; // unknown stored version: leave untouched
  return p.from(obj);
}

/** The object in the storage version. */
export function toStorage(info: ResourceInfo, obj: KubeObject): KubeObject {
  const p = pairFor(info);
  if (!p || obj.apiVersion === p.storage) return obj;
  return p.to(obj);
}
