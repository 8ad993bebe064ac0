// apps/v1 validation: selectors vs template labels, replica counts, strategies, immutable selectors.
import type { FieldError } from "../types.ts";
import { deepEqual } from "../meta/index.ts";
import { labelSelectorFromSpec, matchesLabels } from "../selectors/labels.ts";
import { forbidden, formatLabelSelectorValue, IMMUTABLE, invalid, invalidRaw, notSupported, required } from "./field.ts";
import { nonNegative, oneOf, validateAnnotations, validateLabels, validateLabelSelector } from "./meta.ts";
import { validatePodSpec } from "./pod.ts";

export const selectorEmpty = (sel: any) => Object.keys(sel?.matchLabels ?? {}).length + (Array.isArray(sel?.matchExpressions) ? sel.matchExpressions.length : 0) === 0;

export function templateMatches(sel: any, labels: Record<string, string> | undefined): boolean {
  try {
    return matchesLabels(labelSelectorFromSpec(sel), labels ?? {});
  } catch {
    return false;
  }
}

/** ValidatePodTemplateSpec: template metadata labels/annotations plus the pod spec. */
/** ValidatePodTemplateSpec (note upstream's paths: `<template>.labels`, without "metadata"). */
export function validatePodTemplate(tpl: any, path: string): FieldError[] {
  if (tpl === undefined || tpl === null) return [required(path)];
  const errs = validateLabels(tpl.metadata?.labels, `${path}.labels`);
  errs.push(...validateAnnotations(tpl.metadata?.annotations, `${path}.annotations`));
  errs.push(...validatePodSpec(tpl.spec, `${path}.spec`));
  if (Array.isArray(tpl.spec?.ephemeralContainers) && tpl.spec.ephemeralContainers.length > 0)
    errs.push(forbidden(`${path}.spec.ephemeralContainers`, "ephemeral containers not allowed in pod template"));
  return errs;
}

function selectorAndTemplate(spec: any, kindWord: string, path = "spec", requireAlways = true): FieldError[] {
  const errs: FieldError[] = [];
  const sel = spec?.selector;
  if (sel === undefined || sel === null) errs.push(required(`${path}.selector`));
  else {
    errs.push(...validateLabelSelector(sel, `${path}.selector`));
    if (selectorEmpty(sel)) errs.push(invalidRaw(`${path}.selector`, formatLabelSelectorValue(sel), `empty selector is invalid for ${kindWord}`));
  }
  const tpl = spec?.template;
  if (tpl === undefined || tpl === null) {
    errs.push(required(`${path}.template`));
    return errs;
  }
  if (sel && !selectorEmpty(sel) && !templateMatches(sel, tpl.metadata?.labels))
    errs.push(invalid(`${path}.template.metadata.labels`, tpl.metadata?.labels ?? {}, "`selector` does not match template `labels`"));
  errs.push(...validatePodTemplate(tpl, `${path}.template`));
  if (requireAlways && tpl.spec?.restartPolicy !== undefined && tpl.spec.restartPolicy !== "Always")
    errs.push(notSupported(`${path}.template.spec.restartPolicy`, tpl.spec.restartPolicy, ["Always"]));
  if (requireAlways && tpl.spec?.activeDeadlineSeconds !== undefined && tpl.spec?.activeDeadlineSeconds !== null)
    errs.push(forbidden(`${path}.template.spec.activeDeadlineSeconds`, "activeDeadlineSeconds in ReplicaSet is not Supported"));
  return errs;
}

/** Go's %#v of an intstr.IntOrString, the value upstream prints for these fields. */
export function formatIntOrString(v: unknown): string {
  if (typeof v === "string") return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(v)}}`;
  return `intstr.IntOrString{Type:0, IntVal:${typeof v === "number" ? v : 0}, StrVal:""}`;
}

const PERCENT_MSG = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/** ValidatePositiveIntOrPercent */
export function positiveIntOrPercent(v: unknown, path: string): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v === "string") return /^[0-9]+%$/.test(v) ? [] : [invalidRaw(path, formatIntOrString(v), PERCENT_MSG)];
  if (typeof v === "number" && v < 0) return [invalid(path, v, "must be greater than or equal to 0")];
  return [];
}
/** IsNotMoreThan100Percent */
export function notMoreThan100(v: unknown, path: string): FieldError[] {
  const m = typeof v === "string" ? /^([0-9]+)%$/.exec(v) : null;
  return m && Number(m[1]) > 100 ? [invalidRaw(path, formatIntOrString(v), "must not be greater than 100%")] : [];
}
/** getIntOrPercentValue */
const intOrPercentValue = (v: unknown): number => {
  if (typeof v === "number") return v;
  const m = typeof v === "string" ? /^([0-9]+)%$/.exec(v) : null;
  return m ? Number(m[1]) : 0;
};

export function validateDeployment(o: any): FieldError[] {
  const spec = o?.spec ?? {};
  const errs = nonNegative(spec.replicas, "spec.replicas");
  errs.push(...selectorAndTemplate(spec, "deployment"));
  const st = spec.strategy ?? {};
  if (st.type === "Recreate") {
    if (st.rollingUpdate) errs.push(forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"));
  } else if (st.type === "RollingUpdate" || st.type === undefined) {
    const ru = st.rollingUpdate ?? {};
    const p = "spec.strategy.rollingUpdate";
    errs.push(...positiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`));
    errs.push(...positiveIntOrPercent(ru.maxSurge, `${p}.maxSurge`));
    if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0)
      errs.push(invalidRaw(`${p}.maxUnavailable`, formatIntOrString(ru.maxUnavailable), "may not be 0 when `maxSurge` is 0"));
    errs.push(...notMoreThan100(ru.maxUnavailable, `${p}.maxUnavailable`));
  } else errs.push(notSupported("spec.strategy.type", st.type, ["Recreate", "RollingUpdate"]));
  errs.push(...nonNegative(spec.minReadySeconds, "spec.minReadySeconds"));
  errs.push(...nonNegative(spec.revisionHistoryLimit, "spec.revisionHistoryLimit"));
  if (typeof spec.progressDeadlineSeconds === "number") {
    errs.push(...nonNegative(spec.progressDeadlineSeconds, "spec.progressDeadlineSeconds"));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0))
      errs.push(invalid("spec.progressDeadlineSeconds", spec.progressDeadlineSeconds, "must be greater than minReadySeconds"));
  }
  return errs;
}

function selectorImmutable(o: any, old: any): FieldError[] {
  if (deepEqual(o?.spec?.selector ?? null, old?.spec?.selector ?? null)) return [];
  return [invalidRaw("spec.selector", formatLabelSelectorValue(o?.spec?.selector), IMMUTABLE)];
}

export const validateDeploymentUpdate = (o: any, old: any) => [...validateDeployment(o), ...selectorImmutable(o, old)];

export function validateReplicaSet(o: any): FieldError[] {
  const spec = o?.spec ?? {};
  const errs = nonNegative(spec.replicas, "spec.replicas");
  errs.push(...nonNegative(spec.minReadySeconds, "spec.minReadySeconds"));
  // Upstream's ReplicaSet check really says "deployment".
  errs.push(...selectorAndTemplate(spec, "deployment"));
  return errs;
}
export const validateReplicaSetUpdate = (o: any, old: any) => [...validateReplicaSet(o), ...selectorImmutable(o, old)];

export function validateReplicationController(o: any): FieldError[] {
  const spec = o?.spec ?? {};
  const errs = nonNegative(spec.replicas, "spec.replicas");
  errs.push(...nonNegative(spec.minReadySeconds, "spec.minReadySeconds"));
  const sel = spec.selector ?? {};
  if (Object.keys(sel).length === 0) errs.push(required("spec.selector"));
  else errs.push(...validateLabels(sel, "spec.selector"));
  const tpl = spec.template;
  if (!tpl) errs.push(required("spec.template"));
  else {
    const labels = tpl.metadata?.labels ?? {};
    if (Object.keys(sel).length && !Object.entries(sel).every(([k, v]) => labels[k] === v))
      errs.push(invalid("spec.template.metadata.labels", labels, "`selector` does not match template `labels`"));
    errs.push(...validatePodTemplate(tpl, "spec.template"));
    if (tpl.spec?.restartPolicy !== undefined && tpl.spec.restartPolicy !== "Always")
      errs.push(notSupported("spec.template.spec.restartPolicy", tpl.spec.restartPolicy, ["Always"]));
  }
  return errs;
}

export function validateStatefulSet(o: any): FieldError[] {
  const spec = o?.spec ?? {};
  const errs: FieldError[] = [];
  const pmp = spec.podManagementPolicy;
  if (!pmp) errs.push(required("spec.podManagementPolicy"));
  else if (pmp !== "OrderedReady" && pmp !== "Parallel") errs.push(invalid("spec.podManagementPolicy", pmp, "must be 'OrderedReady' or 'Parallel'"));
  const us = spec.updateStrategy ?? {};
  if (!us.type) errs.push(required("spec.updateStrategy"));
  else if (us.type === "OnDelete") {
    if (us.rollingUpdate) errs.push(invalid("spec.updateStrategy.rollingUpdate", us.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
  } else if (us.type === "RollingUpdate") {
    const ru = us.rollingUpdate;
    if (ru) {
      const p = "spec.updateStrategy.rollingUpdate";
      errs.push(...nonNegative(ru.partition, `${p}.partition`));
      if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) {
        errs.push(...positiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`));
        if (intOrPercentValue(ru.maxUnavailable) === 0) errs.push(invalidRaw(`${p}.maxUnavailable`, formatIntOrString(ru.maxUnavailable), "cannot be 0"));
        errs.push(...notMoreThan100(ru.maxUnavailable, `${p}.maxUnavailable`));
      }
    }
  } else errs.push(invalid("spec.updateStrategy", us, "must be 'RollingUpdate' or 'OnDelete'"));
  const pol = spec.persistentVolumeClaimRetentionPolicy;
  if (pol) {
    errs.push(...oneOf(pol.whenDeleted, ["Retain", "Delete"], "spec.persistentVolumeClaimRetentionPolicy.whenDeleted", true));
    errs.push(...oneOf(pol.whenScaled, ["Retain", "Delete"], "spec.persistentVolumeClaimRetentionPolicy.whenScaled", true));
  }
  errs.push(...nonNegative(spec.replicas, "spec.replicas"));
  errs.push(...nonNegative(spec.minReadySeconds, "spec.minReadySeconds"));
  if (spec.ordinals) errs.push(...nonNegative(spec.ordinals.start, "spec.ordinals.start"));
  const sel = spec.selector;
  if (sel === undefined || sel === null) errs.push(required("spec.selector"));
  else {
    errs.push(...validateLabelSelector(sel, "spec.selector"));
    if (selectorEmpty(sel)) errs.push(invalidRaw("spec.selector", formatLabelSelectorValue(sel), "empty selector is invalid for statefulset"));
  }
  // Upstream checks only the template's labels and annotations here, not its pod spec.
  const tpl = spec.template ?? {};
  if (sel && !selectorEmpty(sel) && !templateMatches(sel, tpl.metadata?.labels))
    errs.push(invalid("spec.template.metadata.labels", tpl.metadata?.labels ?? {}, "`selector` does not match template `labels`"));
  errs.push(...validateLabels(tpl.metadata?.labels, "spec.template.labels"));
  errs.push(...validateAnnotations(tpl.metadata?.annotations, "spec.template.annotations"));
  if ((tpl.spec?.restartPolicy ?? "") !== "Always") errs.push(notSupported("spec.template.spec.restartPolicy", tpl.spec?.restartPolicy ?? "", ["Always"]));
  if (tpl.spec?.activeDeadlineSeconds !== undefined && tpl.spec?.activeDeadlineSeconds !== null)
    errs.push(forbidden("spec.template.spec.activeDeadlineSeconds", "activeDeadlineSeconds in StatefulSet is not Supported"));
  return errs;
}

const STS_MUTABLE = ["replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"];
export function validateStatefulSetUpdate(o: any, old: any): FieldError[] {
  const errs = validateStatefulSet(o);
  const strip = (s: any) => Object.fromEntries(Object.entries(s ?? {}).filter(([k]) => !STS_MUTABLE.includes(k)));
  if (!deepEqual(strip(o?.spec), strip(old?.spec)))
    errs.push(
      forbidden(
        "spec",
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ),
    );
  return errs;
}

export function validateDaemonSet(o: any): FieldError[] {
  const spec = o?.spec ?? {};
  const sel = spec.selector;
  const errs = validateLabelSelector(sel, "spec.selector");
  const tpl = spec.template ?? {};
  // A missing selector selects nothing, so it never matches the template either.
  if (!templateMatches(sel ?? null, tpl.metadata?.labels))
    errs.push(invalid("spec.template.metadata.labels", tpl.metadata?.labels ?? {}, "`selector` does not match template `labels`"));
  if (sel && selectorEmpty(sel)) errs.push(invalidRaw("spec.selector", formatLabelSelectorValue(sel), "empty selector is invalid for daemonset"));
  errs.push(...validatePodTemplate(tpl, "spec.template"));
  if ((tpl.spec?.restartPolicy ?? "") !== "Always") errs.push(notSupported("spec.template.spec.restartPolicy", tpl.spec?.restartPolicy ?? "", ["Always"]));
  if (tpl.spec?.activeDeadlineSeconds !== undefined && tpl.spec?.activeDeadlineSeconds !== null)
    errs.push(forbidden("spec.template.spec.activeDeadlineSeconds", "activeDeadlineSeconds in DaemonSet is not Supported"));
  errs.push(...nonNegative(spec.minReadySeconds, "spec.minReadySeconds"));
  const us = spec.updateStrategy ?? {};
  if (us.type === "RollingUpdate") {
    const ru = us.rollingUpdate;
    const p = "spec.updateStrategy.rollingUpdate";
    if (!ru) errs.push(required(p));
    else {
      errs.push(...positiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`));
      errs.push(...positiveIntOrPercent(ru.maxSurge, `${p}.maxSurge`));
      errs.push(...notMoreThan100(ru.maxUnavailable, `${p}.maxUnavailable`));
      errs.push(...notMoreThan100(ru.maxSurge, `${p}.maxSurge`));
      const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
      const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
      if (hasUnavailable && hasSurge) errs.push(invalidRaw(`${p}.maxSurge`, formatIntOrString(ru.maxSurge), "may not be set when maxUnavailable is non-zero"));
      else if (!hasUnavailable && !hasSurge) errs.push(required(`${p}.maxUnavailable`, "cannot be 0 when maxSurge is 0"));
    }
  } else if (us.type !== "OnDelete") errs.push(notSupported("spec.updateStrategy", us, ["RollingUpdate", "OnDelete"]));
  errs.push(...nonNegative(spec.revisionHistoryLimit, "spec.revisionHistoryLimit"));
  return errs;
}

export const validateDaemonSetUpdate = (o: any, old: any) => [...validateDaemonSet(o), ...selectorImmutable(o, old)];
