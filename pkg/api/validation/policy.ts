// policy, autoscaling, scheduling, storage-class, coordination and events validation.
import type { FieldError } from "../types.ts";
import { formatIntOrString, notMoreThan100, positiveIntOrPercent } from "./workloads.ts";
import { deepEqual } from "../meta/index.ts";
import { forbidden, invalid, invalidEach, required, formatLabelSelectorValue, invalidRaw } from "./field.ts";
import { nonNegative, oneOf, validateImmutable, validateLabelSelector } from "./meta.ts";
import { isQualifiedName, isValidPathSegmentName, isDNS1123Subdomain } from "./names.ts";

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);

export function validatePDB(o: any): FieldError[] {
  const spec = o?.spec ?? {};
  const errs: FieldError[] = [];
  if (spec.minAvailable !== undefined && spec.minAvailable !== null && spec.maxUnavailable !== undefined && spec.maxUnavailable !== null)
    errs.push(invalidRaw("spec", `policy.PodDisruptionBudgetSpec{MinAvailable:${formatIntOrString(spec.minAvailable)}, Selector:${spec.selector ? formatLabelSelectorValue(spec.selector) : "(*v1.LabelSelector)(nil)"}, MaxUnavailable:${formatIntOrString(spec.maxUnavailable)}}`, "minAvailable and maxUnavailable cannot be both set"));
  for (const f of ["minAvailable", "maxUnavailable"]) {
    errs.push(...positiveIntOrPercent(spec[f], `spec.${f}`));
    errs.push(...notMoreThan100(spec[f], `spec.${f}`));
  }
  errs.push(...validateLabelSelector(spec.selector, "spec.selector"));
  errs.push(...oneOf(spec.unhealthyPodEvictionPolicy, ["AlwaysAllow", "IfHealthyBudget"], "spec.unhealthyPodEvictionPolicy"));
  return errs;
}

export function validateHPA(o: any): FieldError[] {
  const spec = o?.spec ?? {};
  const errs: FieldError[] = [];
  if (typeof spec.minReplicas === "number" && spec.minReplicas < 1) errs.push(invalid("spec.minReplicas", spec.minReplicas, "must be greater than or equal to 1"));
  const max = typeof spec.maxReplicas === "number" ? spec.maxReplicas : 0;
  if (max < 1) errs.push(invalid("spec.maxReplicas", max, "must be greater than 0"));
  if (typeof spec.minReplicas === "number" && max < spec.minReplicas) errs.push(invalid("spec.maxReplicas", max, "must be greater than or equal to `minReplicas`"));
  const ref = spec.scaleTargetRef ?? {};
  if (!ref.kind) errs.push(required("spec.scaleTargetRef.kind"));
  else errs.push(...invalidEach("spec.scaleTargetRef.kind", ref.kind, isValidPathSegmentName(String(ref.kind))));
  if (!ref.name) errs.push(required("spec.scaleTargetRef.name"));
  else errs.push(...invalidEach("spec.scaleTargetRef.name", ref.name, isValidPathSegmentName(String(ref.name))));
  if (typeof spec.targetCPUUtilizationPercentage === "number" && spec.targetCPUUtilizationPercentage < 1)
    errs.push(invalid("spec.targetCPUUtilizationPercentage", spec.targetCPUUtilizationPercentage, "must be greater than 0"));
  arr(spec.metrics).forEach((m, i) => {
    errs.push(...oneOf(m?.type, ["ContainerResource", "External", "Object", "Pods", "Resource"], `spec.metrics[${i}].type`, true));
    const u = m?.resource?.target?.averageUtilization;
    if (typeof u === "number" && u < 1) errs.push(invalid(`spec.metrics[${i}].resource.target.averageUtilization`, u, "must be greater than 0"));
  });
  return errs;
}

export const HIGHEST_USER_PRIORITY = 1000000000;
const SYSTEM_CLASSES: Record<string, number> = { "system-node-critical": 2000001000, "system-cluster-critical": 2000000000 };

/** IsKnownSystemPriorityClass's complaint, or "" for a known system class. */
function systemClassError(name: string, value: unknown, globalDefault: unknown): string {
  if (!(name in SYSTEM_CLASSES)) return `${name} is not a known system priority class`;
  if (value !== SYSTEM_CLASSES[name]) return `value of ${name} PriorityClass must be ${SYSTEM_CLASSES[name]}`;
  if (globalDefault === true) return `globalDefault of ${name} PriorityClass must be false`;
  return "";
}

export function validatePriorityClass(o: any): FieldError[] {
  const errs: FieldError[] = [];
  const name = String(o?.metadata?.name ?? "");
  if (name.startsWith("system-")) {
    const why = systemClassError(name, o?.value, o?.globalDefault);
    if (why) errs.push(forbidden("metadata.name", `priority class names with 'system-' prefix are reserved for system use only. error: ${why}`));
  } else if (typeof o?.value === "number" && o.value > HIGHEST_USER_PRIORITY)
    errs.push(forbidden("value", `maximum allowed value of a user defined priority is ${HIGHEST_USER_PRIORITY}`));
  if (o?.preemptionPolicy !== undefined && o?.preemptionPolicy !== null)
    errs.push(...oneOf(o.preemptionPolicy, ["PreemptLowerPriority", "Never"], "preemptionPolicy", true));
  return errs;
}

/** Updates check only the immutable value and preemption policy. */
export function validatePriorityClassUpdate(o: any, old: any): FieldError[] {
  const errs: FieldError[] = [];
  if (o?.value !== old?.value) errs.push(forbidden("value", "may not be changed in an update."));
  errs.push(...validateImmutable(o?.preemptionPolicy, old?.preemptionPolicy, "preemptionPolicy"));
  return errs;
}

export function validateStorageClass(o: any): FieldError[] {
  const errs: FieldError[] = [];
  if (!o?.provisioner) errs.push(required("provisioner"));
  else errs.push(...invalidEach("provisioner", o.provisioner, isQualifiedName(String(o.provisioner).toLowerCase())));
  errs.push(...oneOf(o?.reclaimPolicy, ["Delete", "Retain"], "reclaimPolicy"));
  errs.push(...oneOf(o?.volumeBindingMode, ["Immediate", "WaitForFirstConsumer"], "volumeBindingMode"));
  return errs;
}
export function validateStorageClassUpdate(o: any, old: any): FieldError[] {
  const errs = validateStorageClass(o);
  if (!deepEqual(o?.parameters ?? null, old?.parameters ?? null)) errs.push(forbidden("parameters", "updates to parameters are forbidden."));
  if (o?.provisioner !== old?.provisioner) errs.push(forbidden("provisioner", "updates to provisioner are forbidden."));
  if ((o?.reclaimPolicy ?? "") !== (old?.reclaimPolicy ?? "")) errs.push(forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."));
  errs.push(...validateImmutable(o?.volumeBindingMode, old?.volumeBindingMode, "volumeBindingMode"));
  return errs;
}

export function validateLease(o: any): FieldError[] {
  const spec = o?.spec ?? {};
  const errs: FieldError[] = [];
  if (spec.leaseDurationSeconds !== undefined && spec.leaseDurationSeconds !== null && spec.leaseDurationSeconds <= 0)
    errs.push(invalid("spec.leaseDurationSeconds", spec.leaseDurationSeconds, "must be greater than 0"));
  errs.push(...nonNegative(spec.leaseTransitions, "spec.leaseTransitions"));
  return errs;
}

/** The internal (core) view of an event: events.k8s.io/v1 fields mapped to their core/v1 names, as upstream validates them. */
function coreEventView(o: any, eventsV1: boolean): any {
  // Objects already in the core shape (shared storage) are taken as they are.
  // core/v1 spells ReportingController "reportingComponent" on the wire.
  if (!eventsV1 || (o && "involvedObject" in o && !("regarding" in o))) return { ...(o ?? {}), reportingController: o?.reportingController ?? o?.reportingComponent };
  return {
    metadata: o?.metadata,
    involvedObject: o?.regarding ?? {},
    message: o?.note,
    source: o?.deprecatedSource ?? {},
    firstTimestamp: o?.deprecatedFirstTimestamp,
    lastTimestamp: o?.deprecatedLastTimestamp,
    count: o?.deprecatedCount,
    eventTime: o?.eventTime,
    series: o?.series,
    reportingController: o?.reportingController,
    reportingInstance: o?.reportingInstance,
    action: o?.action,
    reason: o?.reason,
    type: o?.type,
  };
}

/** legacyValidateEvent: what every event must pass, whichever API version wrote it. */
function legacyValidateEvent(e: any): FieldError[] {
  const errs: FieldError[] = [];
  const ns = e.metadata?.namespace ?? "";
  const ions = e.involvedObject?.namespace ?? "";
  if (!e.eventTime) {
    // Old-style events: the namespaces must agree ("default" tolerated for cluster-scoped objects).
    if (!ions) {
      if (ns !== "" && ns !== "default") errs.push(invalid("involvedObject.namespace", ions, "does not match event.namespace"));
    } else if (ns !== ions) errs.push(invalid("involvedObject.namespace", ions, "does not match event.namespace"));
  } else {
    if (!ions && ns !== "default" && ns !== "kube-system") errs.push(invalid("involvedObject.namespace", ions, "does not match event.namespace"));
    if (!e.reportingController) errs.push(required("reportingController"));
    errs.push(...invalidEach("reportingController", e.reportingController ?? "", isQualifiedName(String(e.reportingController ?? ""))));
    if (!e.reportingInstance) errs.push(required("reportingInstance"));
    if (String(e.reportingInstance ?? "").length > 128) errs.push(invalid("reportingInstance", "", "can have at most 128 characters"));
    if (!e.action) errs.push(required("action"));
    if (String(e.action ?? "").length > 128) errs.push(invalid("action", "", "can have at most 128 characters"));
    if (!e.reason) errs.push(required("reason"));
    if (String(e.reason ?? "").length > 128) errs.push(invalid("reason", "", "can have at most 128 characters"));
    if (String(e.message ?? "").length > 1024) errs.push(invalid("message", "", "can have at most 1024 characters"));
  }
  errs.push(...invalidEach("namespace", ns, isDNS1123Subdomain(ns)));
  return errs;
}

/** core/v1 events get only the legacy checks (upstream keeps them lax for old clients). */
export const validateCoreEvent = (o: any): FieldError[] => legacyValidateEvent(coreEventView(o, false));

/** events.k8s.io/v1: legacy checks plus the strict rules of the new API. */
export function validateEventsV1(o: any): FieldError[] {
  const e = coreEventView(o, true);
  const errs = legacyValidateEvent(e);
  if (e.series) {
    if ((e.series.count ?? 0) < 2) errs.push(invalid("series.count", "", "should be at least 2"));
    if (!e.series.lastObservedTime) errs.push(required("series.lastObservedTime"));
  }
  if (!e.eventTime) errs.push(required("eventTime"));
  if (e.type !== "Normal" && e.type !== "Warning") errs.push(invalid("type", "", `has invalid value: ${e.type ?? ""}`));
  if (e.firstTimestamp) errs.push(invalid("firstTimestamp", "", "needs to be unset"));
  if (e.lastTimestamp) errs.push(invalid("lastTimestamp", "", "needs to be unset"));
  if (e.count) errs.push(invalid("count", "", "needs to be unset"));
  if (e.source?.component || e.source?.host) errs.push(invalid("source", "", "needs to be unset"));
  return errs;
}

/** events.k8s.io/v1 updates: what an event describes cannot change. */
export function validateEventsV1Update(o: any, old: any): FieldError[] {
  const errs = legacyValidateEvent(coreEventView(o, true));
  const n = coreEventView(o, true);
  const p = coreEventView(old, true);
  for (const f of ["involvedObject", "reason", "message", "source", "firstTimestamp", "lastTimestamp", "count", "reportingController", "action", "reportingInstance", "eventTime", "type"])
    errs.push(...validateImmutable(n[f], p[f], f));
  return errs;
}

