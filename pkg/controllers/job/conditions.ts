// Job conditions: Complete/Failed are terminal; SuccessCriteriaMet/FailureTarget precede them (1.31+).
import type { KubeObject } from "../../api/types.ts";
import { rfc3339 } from "../history/podutil.ts";

export interface JobCondition {
  type: string;
  status: "True" | "False";
  reason?: string;
  message?: string;
  lastProbeTime?: string;
  lastTransitionTime?: string;
}

export const findCondition = (job: KubeObject, type: string): JobCondition | undefined => (job.status?.conditions ?? []).find((c: JobCondition) => c.type === type);

export const isTrue = (job: KubeObject, type: string) => findCondition(job, type)?.status === "True";

/** A Job with a true Complete or Failed condition. */
export const isJobFinished = (job: KubeObject) => isTrue(job, "Complete") || isTrue(job, "Failed");

/** Sets a condition; the transition time moves only when the status changes. Returns true if anything changed. */
export function setCondition(status: Record<string, any>, c: Omit<JobCondition, "lastProbeTime" | "lastTransitionTime">, now: Date): boolean {
  const list: JobCondition[] = (status.conditions ??= []);
  const t = rfc3339(now);
  const cur = list.find((x) => x.type === c.type);
  if (!cur) {
    list.push({ ...c, lastProbeTime: t, lastTransitionTime: t });
    return true;
  }
  if (cur.status === c.status && cur.reason === c.reason && cur.message === c.message) return false;
  if (cur.status !== c.status) cur.lastTransitionTime = t;
  cur.status = c.status;
  cur.reason = c.reason;
  cur.message = c.message;
  cur.lastProbeTime = t;
  return true;
}
