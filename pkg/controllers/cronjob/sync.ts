// syncCronJob (upstream pkg/controller/cronjob, v2): reconcile status.active with the Jobs it owns,
// start the most recent missed schedule (respecting startingDeadlineSeconds, suspend and the
// concurrency policy), prune finished Jobs beyond the history limits, requeue for the next time.
import type { KubeObject } from "../../api/types.ts";
import type { Client, SharedInformer } from "../../client/types.ts";
import { INDEX_OWNER_UID } from "../../client/store.ts";
import type { EventRecorder } from "../shared/events.ts";
import { controllerUID, ownerRefTo, rfc3339, sameJSON } from "../history/podutil.ts";
import { ignoreNotFound } from "../history/controller.ts";
import { findCondition, isJobFinished } from "../job/conditions.ts";
import { formatInZone, mostRecentScheduleTime, parseSchedule } from "./schedule.ts";

export const CRONJOBS = { group: "batch", version: "v1", resource: "cronjobs" };
const JOBS = { group: "batch", version: "v1", resource: "jobs" };
export const SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";

export interface CronJobSyncDeps {
  client: Client;
  cronjobs: SharedInformer;
  jobs: SharedInformer;
  recorder: EventRecorder;
  now: () => Date;
  requeueAfter: (key: string, ms: number) => void;
}

/** `<cronjob>-<minutes since the epoch>` (getJobName). */
export const jobNameFor = (cj: KubeObject, t: Date) => `${cj.metadata!.name}-${Math.floor(t.getTime() / 60000)}`;

function jobFromTemplate(cj: KubeObject, scheduled: Date, timeZone: string): KubeObject {
  const t = structuredClone(cj.spec.jobTemplate ?? {});
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: jobNameFor(cj, scheduled),
      namespace: cj.metadata!.namespace,
      labels: { ...(t.metadata?.labels ?? {}) },
      annotations: { ...(t.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP]: formatInZone(scheduled, timeZone) },
      ownerReferences: [ownerRefTo(cj, { apiVersion: "batch/v1", kind: "CronJob" })],
    },
    spec: t.spec ?? {},
  };
}

const refOf = (j: KubeObject) => ({ kind: "Job", namespace: j.metadata!.namespace, name: j.metadata!.name, uid: j.metadata!.uid, apiVersion: "batch/v1", resourceVersion: j.metadata!.resourceVersion });

export function createCronJobSync(d: CronJobSyncDeps) {
  return async function syncCronJob(key: string): Promise<void> {
    const cached = d.cronjobs.store.get(key);
    if (!cached) return;
    const cj = structuredClone(cached);
    cj.apiVersion ??= "batch/v1";
    cj.kind ??= "CronJob";
    const ns = cj.metadata!.namespace!;
    const uid = cj.metadata!.uid!;
    const now = d.now();
    const status: Record<string, any> = structuredClone(cj.status ?? {});
    const oldStatus = structuredClone(status);
    const jobs = d.jobs.store.byIndex(INDEX_OWNER_UID, uid).filter((j) => controllerUID(j) === uid);
    const byUID = new Map(jobs.map((j) => [j.metadata!.uid!, j]));

    // 1. status.active ↔ owned Jobs.
    let active: any[] = [...(status.active ?? [])];
    for (const j of jobs) {
      const inList = active.some((r) => r.uid === j.metadata!.uid);
      if (!isJobFinished(j)) {
        if (!inList) active.push(refOf(j));
        continue;
      }
      if (inList) {
        active = active.filter((r) => r.uid !== j.metadata!.uid);
        const c = findCondition(j, "Complete")?.status === "True" ? "Complete" : "Failed";
        d.recorder.event(cj, "Normal", "SawCompletedJob", `Saw completed job: ${j.metadata!.name}, condition: ${c}`);
      }
      if (findCondition(j, "Complete")?.status === "True" && j.status?.completionTime) {
        if (!status.lastSuccessfulTime || Date.parse(j.status.completionTime) > Date.parse(status.lastSuccessfulTime)) status.lastSuccessfulTime = j.status.completionTime;
      }
    }
    for (const r of active.filter((r) => !byUID.has(r.uid))) {
      // Not in the cache: it may just have been created; only drop it if the server agrees.
      const j = await d.client.get<KubeObject>(JOBS, r.name, { namespace: ns }).catch(ignoreNotFound);
      if (!j || j.metadata!.uid !== r.uid) {
        active = active.filter((x) => x.uid !== r.uid);
        d.recorder.event(cj, "Normal", "MissingJob", `Active job went missing: ${r.name}`);
      }
    }
    status.active = active;

    // 2. History limits.
    const finished = jobs.filter(isJobFinished);
    const prune = async (list: KubeObject[], limit: number) => {
      const sorted = list.sort((a, b) => Date.parse(a.status?.startTime ?? a.metadata!.creationTimestamp) - Date.parse(b.status?.startTime ?? b.metadata!.creationTimestamp));
      for (const j of sorted.slice(0, Math.max(0, sorted.length - limit))) {
        await d.client.delete(JOBS, j.metadata!.name!, { namespace: ns, propagationPolicy: "Background" }).catch(ignoreNotFound);
        d.recorder.event(cj, "Normal", "SuccessfulDelete", `Deleted job ${j.metadata!.name}`);
      }
    };
    await prune(finished.filter((j) => findCondition(j, "Complete")?.status === "True"), cj.spec.successfulJobsHistoryLimit ?? 3);
    await prune(finished.filter((j) => findCondition(j, "Failed")?.status === "True"), cj.spec.failedJobsHistoryLimit ?? 1);

    // 3. Schedule.
    const write = async () => {
      if (!status.active.length) delete status.active;
      if (!sameJSON(status, oldStatus)) await d.client.updateStatus(CRONJOBS, { ...cj, status });
    };
    if (cj.metadata!.deletionTimestamp || cj.spec.suspend) return write();
    let sched;
    try {
      sched = parseSchedule(cj.spec.schedule ?? "", cj.spec.timeZone);
    } catch (e) {
      const msg = (e as Error).message;
      if (msg.startsWith("unknown time zone")) d.recorder.event(cj, "Warning", "UnknownTimeZone", `invalid timeZone: ${JSON.stringify(cj.spec.timeZone)}: ${msg}`);
      else d.recorder.event(cj, "Warning", "UnparseableSchedule", `unparseable schedule: ${JSON.stringify(cj.spec.schedule)} : ${msg}`);
      return write();
    }
    const earliest = new Date(status.lastScheduleTime ?? cj.metadata!.creationTimestamp ?? now.toISOString());
    const mr = mostRecentScheduleTime(sched, earliest, now, cj.spec.startingDeadlineSeconds);
    if (mr.next) d.requeueAfter(key, mr.next.getTime() - now.getTime() + 100);
    if (mr.missed > 100) d.recorder.event(cj, "Warning", "TooManyMissedTimes", `too many missed start times: ${mr.missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`);
    const t = mr.time;
    if (!t) return write();
    const deadline = cj.spec.startingDeadlineSeconds;
    if (deadline != null && t.getTime() + deadline * 1000 < now.getTime()) {
      d.recorder.event(cj, "Warning", "MissSchedule", `Missed scheduled time to start a job: ${t.toUTCString()}`);
      return write();
    }
    const name = jobNameFor(cj, t);
    if (status.active.some((r: any) => r.name === name) || jobs.some((j) => j.metadata!.name === name)) return write();
    const policy = cj.spec.concurrencyPolicy ?? "Allow";
    if (policy === "Forbid" && status.active.length) {
      d.recorder.event(cj, "Normal", "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid");
      return write();
    }
    if (policy === "Replace") {
      for (const r of status.active) {
        await d.client.delete(JOBS, r.name, { namespace: ns, propagationPolicy: "Background" }).catch(ignoreNotFound);
        d.recorder.event(cj, "Normal", "SuccessfulDelete", `Deleted job ${r.name}`);
      }
      status.active = [];
    }
    let made: KubeObject;
    try {
      made = await d.client.create<KubeObject>(JOBS, jobFromTemplate(cj, t, sched.timeZone), { namespace: ns });
      d.recorder.event(cj, "Normal", "SuccessfulCreate", `Created job ${made.metadata!.name}`);
    } catch (e: any) {
      if (e?.code !== 409) {
        d.recorder.event(cj, "Warning", "FailedCreate", `Error creating job: ${e?.message ?? e}`);
        throw e;
      }
      made = await d.client.get<KubeObject>(JOBS, name, { namespace: ns });
      if (controllerUID(made) !== uid) return write();
    }
    if (!status.active.some((r: any) => r.uid === made.metadata!.uid)) status.active.push(refOf(made));
    status.lastScheduleTime = rfc3339(t);
    return write();
  };
}
