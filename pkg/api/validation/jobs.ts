// batch/v1 validation: jobs (selector, template, restart policy, immutable fields) and cronjobs (schedule, time zone).
import type { FieldError } from "../types.ts";
import { deepEqual } from "../meta/index.ts";
import { cronError, isValidTimeZone } from "./cron.ts";
import { formatLabelSelectorValue, IMMUTABLE, invalid, invalidRaw, notSupported, required } from "./field.ts";
import { nonNegative, oneOf, validateAnnotations, validateImmutable, validateLabels, validateLabelSelector } from "./meta.ts";
import { selectorEmpty, templateMatches, validatePodTemplate } from "./workloads.ts";

/** JobSpec validation; templates inside CronJobs skip the selector requirement. */
export function validateJobSpec(spec: any, path: string, isTemplate: boolean): FieldError[] {
  const s = spec ?? {};
  const errs: FieldError[] = [];
  for (const f of ["parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished"]) errs.push(...nonNegative(s[f], `${path}.${f}`));
  errs.push(...oneOf(s.completionMode, ["NonIndexed", "Indexed"], `${path}.completionMode`));
  if (s.completionMode === "Indexed" && (s.completions === undefined || s.completions === null))
    errs.push(required(`${path}.completions`, "when completion mode is Indexed"));
  errs.push(...oneOf(s.podReplacementPolicy, ["Failed", "TerminatingOrFailed"], `${path}.podReplacementPolicy`));
  const tpl = s.template;
  if (!isTemplate || s.selector) {
    if (!s.selector) errs.push(required(`${path}.selector`));
    else errs.push(...validateLabelSelector(s.selector, `${path}.selector`));
  }
  if (!tpl) {
    errs.push(required(`${path}.template`));
    return errs;
  }
  if (s.selector && !selectorEmpty(s.selector) && !templateMatches(s.selector, tpl.metadata?.labels))
    errs.push(invalid(`${path}.template.metadata.labels`, tpl.metadata?.labels ?? {}, "`selector` does not match template `labels`"));
  errs.push(...validatePodTemplate(tpl, `${path}.template`));
  const rp = tpl.spec?.restartPolicy;
  if (rp !== "OnFailure" && rp !== "Never") errs.push(notSupported(`${path}.template.spec.restartPolicy`, rp ?? "", ["OnFailure", "Never"]));
  return errs;
}

export const validateJob = (o: any) => validateJobSpec(o?.spec, "spec", false);

export function validateJobUpdate(o: any, old: any): FieldError[] {
  const errs = validateJob(o);
  const n = o?.spec ?? {};
  const p = old?.spec ?? {};
  if (!(n.completionMode === "Indexed" && p.completionMode === "Indexed" && n.completions === n.parallelism))
    errs.push(...validateImmutable(n.completions, p.completions, "spec.completions"));
  if (!deepEqual(n.selector ?? null, p.selector ?? null)) errs.push(invalidRaw("spec.selector", formatLabelSelectorValue(n.selector), IMMUTABLE));
  errs.push(...validateImmutable(n.completionMode, p.completionMode, "spec.completionMode"));
  // A suspended job that never started may change its scheduling directives; otherwise the template is frozen.
  const schedulingOnly = (t: any) => {
    const c = structuredClone(t ?? {});
    if (c.spec) for (const k of ["nodeSelector", "affinity", "tolerations", "schedulingGates"]) delete c.spec[k];
    if (c.metadata) {
      delete c.metadata.labels;
      delete c.metadata.annotations;
    }
    return c;
  };
  const suspendedUnstarted = p.suspend === true && !old?.status?.startTime;
  const same = suspendedUnstarted ? deepEqual(schedulingOnly(n.template), schedulingOnly(p.template)) : deepEqual(n.template ?? null, p.template ?? null);
  if (!same) errs.push(invalid("spec.template", n.template, IMMUTABLE));
  return errs;
}

function validateCronJobSpec(o: any, allowTZInSchedule: boolean): FieldError[] {
  const spec = o?.spec ?? {};
  const errs: FieldError[] = [];
  if (!spec.schedule) errs.push(required("spec.schedule"));
  else {
    const sched = String(spec.schedule);
    const msg = cronError(sched);
    if (msg) errs.push(invalid("spec.schedule", sched, msg));
    // TZ in the schedule is only tolerated on objects that already had it (timeZone is the field for it).
    if (allowTZInSchedule && sched.includes("TZ") && spec.timeZone !== undefined && spec.timeZone !== null)
      errs.push(invalid("spec.schedule", sched, "cannot use both timeZone field and TZ or CRON_TZ in schedule"));
    else if (!allowTZInSchedule && sched.includes("TZ"))
      errs.push(invalid("spec.schedule", sched, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
  }
  if (spec.timeZone !== undefined && spec.timeZone !== null && !isValidTimeZone(String(spec.timeZone)))
    errs.push(invalid("spec.timeZone", spec.timeZone, `unknown time zone ${spec.timeZone}`));
  errs.push(...oneOf(spec.concurrencyPolicy, ["Allow", "Forbid", "Replace"], "spec.concurrencyPolicy", true));
  errs.push(...nonNegative(spec.startingDeadlineSeconds, "spec.startingDeadlineSeconds"));
  errs.push(...nonNegative(spec.successfulJobsHistoryLimit, "spec.successfulJobsHistoryLimit"));
  errs.push(...nonNegative(spec.failedJobsHistoryLimit, "spec.failedJobsHistoryLimit"));
  const jt = spec.jobTemplate;
  if (!jt) errs.push(required("spec.jobTemplate"));
  else {
    errs.push(...validateLabels(jt.metadata?.labels, "spec.jobTemplate.metadata.labels"));
    errs.push(...validateAnnotations(jt.metadata?.annotations, "spec.jobTemplate.metadata.annotations"));
    errs.push(...validateJobSpec(jt.spec, "spec.jobTemplate.spec", true));
    // Jobs created from the template get generated selectors.
    if (jt.spec?.selector) errs.push(invalidRaw("spec.jobTemplate.spec.selector", formatLabelSelectorValue(jt.spec.selector), "`selector` will be auto-generated"));
    if (jt.spec?.manualSelector === true) errs.push(notSupported("spec.jobTemplate.spec.manualSelector", true, ["nil", "false"]));
  }
  return errs;
}

export function validateCronJob(o: any): FieldError[] {
  const errs: FieldError[] = [];
  // Job names get an 11-character suffix; the result must stay a DNS-1035 label.
  const name = String(o?.metadata?.name ?? "");
  if (name.length > 52) errs.push(invalid("metadata.name", name, "must be no more than 52 characters"));
  return errs.concat(validateCronJobSpec(o, false));
}

/** Updates skip the name-length rule and keep tolerating a TZ the stored schedule already had. */
export const validateCronJobUpdate = (o: any, old: any): FieldError[] => validateCronJobSpec(o, String(old?.spec?.schedule ?? "").includes("TZ"));
