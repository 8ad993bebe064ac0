// syncJob (upstream pkg/controller/job): count finished pods through the tracking finalizer and
// uncountedTerminatedPods, decide success/failure, then create or delete pods toward parallelism.
import type { KubeObject } from "../../api/types.ts";
import type { Client, SharedInformer } from "../../client/types.ts";
import type { EventRecorder } from "../shared/events.ts";
import { PODS, isDeleting, isPodActive, isPodReady, isTerminal, rfc3339, sameJSON } from "../history/podutil.ts";
import { ignoreNotFound } from "../history/controller.ts";
import type { Expectations } from "../history/expectations.ts";
import { findCondition, isJobFinished, setCondition } from "./conditions.ts";
import { matchPodFailurePolicy } from "./failurepolicy.ts";
import { formatIndexes, matchSuccessPolicy, parseIndexes, podIndex } from "./indexes.ts";
import { JOB_KIND, JOB_TRACKING_FINALIZER, hasTrackingFinalizer, jobPod } from "./pods.ts";
import { claimCandidates, claimPods } from "../history/adopt.ts";
import { failsIndex, nextFailureCounts } from "./perindex.ts";

export const JOBS = { group: "batch", version: "v1", resource: "jobs" };
/** Queue keys for pods whose Job may be gone ("orphan:ns/pod"; namespaces never contain ':'). */
export const ORPHAN_PREFIX = "orphan:";

export interface JobSyncDeps {
  client: Client;
  jobs: SharedInformer;
  pods: SharedInformer;
  recorder: EventRecorder;
  now: () => Date;
  /** Pod re-creation back-off after failures: base·2^(n-1), capped (10 s and 6 min upstream). */
  backoffBaseMs: number;
  backoffMaxMs: number;
  requeueAfter: (key: string, ms: number) => void;
  expectations: Expectations;
}

interface BackoffRecord {
  failures: number;
  lastFailure: number;
}

export function createJobSync(d: JobSyncDeps) {
  const backoff = new Map<string, BackoffRecord>();

  const removeFinalizer = (pod: KubeObject) =>
    d.client
      .patch(PODS, pod.metadata!.name!, "merge", { metadata: { finalizers: (pod.metadata!.finalizers ?? []).filter((f: string) => f !== JOB_TRACKING_FINALIZER) } }, { namespace: pod.metadata!.namespace })
      .catch(ignoreNotFound);

  const deletePod = async (job: KubeObject, pod: KubeObject) => {
    d.expectations.expectDeleted(`${job.metadata!.namespace}/${job.metadata!.name}`, [pod.metadata!.uid!]);
    await d.client.delete(PODS, pod.metadata!.name!, { namespace: pod.metadata!.namespace }).catch(ignoreNotFound);
    d.recorder.event(job, "Normal", "SuccessfulDelete", `Deleted pod: ${pod.metadata!.name}`);
  };

  /** A pod keeping our finalizer while its Job is gone (or replaced): release it (syncOrphanPod). */
  async function syncOrphanPod(podKey: string): Promise<void> {
    const pod = d.pods.store.get(podKey);
    if (!pod || !hasTrackingFinalizer(pod)) return;
    const ref = pod.metadata!.ownerReferences?.find((r) => r.controller && r.kind === "Job");
    if (ref) {
      const job = await d.client.get<KubeObject>(JOBS, ref.name, { namespace: pod.metadata!.namespace }).catch(ignoreNotFound);
      if (job && job.metadata!.uid === ref.uid) return;
    }
    await removeFinalizer(pod);
  }

  return async function syncJob(key: string): Promise<void> {
    if (key.startsWith(ORPHAN_PREFIX)) return syncOrphanPod(key.slice(ORPHAN_PREFIX.length));
    const cached = d.jobs.store.get(key);
    if (!cached) {
      backoff.delete(key);
      d.expectations.forget(key);
      return;
    }
    // spec.managedBy: another controller owns this Job (upstream JobManagedBy).
    const managedBy = cached.spec?.managedBy;
    if (managedBy && managedBy !== "kubernetes.io/job-controller") return;
    const job = structuredClone(cached);
    job.apiVersion ??= "batch/v1";
    job.kind ??= "Job";
    const uid = job.metadata!.uid!;
    const spec0 = job.spec ?? {};
    const pods = (await claimPods(d.client, job, JOB_KIND, spec0.selector, claimCandidates(d.pods, job.metadata!.namespace!, uid))).owned;
    // Finished or being deleted: only release the pods (upstream counts nothing more then).
    if (isJobFinished(job) || job.metadata!.deletionTimestamp) {
      await Promise.all(pods.filter(hasTrackingFinalizer).map(removeFinalizer));
      return;
    }
    const now = d.now();
    const spec = job.spec ?? {};
    const indexed = spec.completionMode === "Indexed";
    const completions: number | undefined = spec.completions ?? undefined;
    const parallelism: number = spec.parallelism ?? 1;
    const oldStatus = structuredClone(job.status ?? {});
    const status: Record<string, any> = structuredClone(job.status ?? {});
    status.uncountedTerminatedPods ??= {};
    const unc = status.uncountedTerminatedPods;
    const inUncounted = new Set<string>([...(unc.succeeded ?? []), ...(unc.failed ?? [])]);
    const failureTargetCond = findCondition(job, "FailureTarget");
    const successCond = findCondition(job, "SuccessCriteriaMet");
    const finishing = failureTargetCond?.status === "True" || successCond?.status === "True";

    // 1. Pods that finished (or are going away) while still carrying our finalizer.
    // A terminating pod counts as failed at once unless only Failed pods are replaced (upstream onlyReplaceFailedPods).
    const onlyFailed = spec.podReplacementPolicy === "Failed" || !!spec.podFailurePolicy;
    const newlyFinished = pods.filter((p) => hasTrackingFinalizer(p) && !inUncounted.has(p.metadata!.uid!) && (isTerminal(p) || (isDeleting(p) && !onlyFailed) || finishing));
    let policyFailure: string | undefined;
    for (const p of newlyFinished) {
      const ok = p.status?.phase === "Succeeded";
      const list: string[] = ok ? (unc.succeeded ??= []) : (unc.failed ??= []);
      list.push(p.metadata!.uid!);
      if (!ok && isTerminal(p) && !policyFailure) {
        const m = matchPodFailurePolicy(spec.podFailurePolicy, p);
        if (m?.action === "FailJob") policyFailure = m.message;
      }
    }
    const stale = pods.filter((p) => inUncounted.has(p.metadata!.uid!) && hasTrackingFinalizer(p));
    if (stale.length) await Promise.all(stale.map(removeFinalizer));
    if (newlyFinished.length) {
      const upd = await d.client.updateStatus<KubeObject>(JOBS, { ...job, status });
      job.metadata = upd.metadata;
      await Promise.all(newlyFinished.map(removeFinalizer));
    }
    // 2. Move uncounted pods into the counters.
    const byUID = new Map(pods.map((p) => [p.metadata!.uid!, p]));
    const completed = parseIndexes(status.completedIndexes, completions ?? 0);
    const perIndex = indexed && spec.backoffLimitPerIndex != null;
    const failedIdx = parseIndexes(status.failedIndexes, completions ?? 0);
    let newFailures = 0;
    let newSuccesses = 0;
    for (const u of unc.succeeded ?? []) {
      const p = byUID.get(u);
      if (indexed) {
        const i = p ? podIndex(p, completions ?? 0) : undefined;
        if (i !== undefined) completed.add(i);
      } else status.succeeded = (status.succeeded ?? 0) + 1;
      newSuccesses++;
    }
    for (const u of unc.failed ?? []) {
      const p = byUID.get(u);
      if (p && isTerminal(p) && matchPodFailurePolicy(spec.podFailurePolicy, p)?.action === "Ignore") continue;
      if (perIndex && p && failsIndex(job, p)) {
        const i = podIndex(p, completions ?? 0);
        if (i !== undefined && !completed.has(i)) failedIdx.add(i);
      }
      status.failed = (status.failed ?? 0) + 1;
      newFailures++;
    }
    status.uncountedTerminatedPods = {};
    if (indexed) {
      status.completedIndexes = formatIndexes(completed);
      status.succeeded = completed.size;
      if (perIndex) status.failedIndexes = formatIndexes(failedIdx);
    }
    const rec = backoff.get(key) ?? { failures: 0, lastFailure: 0 };
    if (newSuccesses) rec.failures = 0;
    if (newFailures) {
      rec.failures += newFailures;
      rec.lastFailure = now.getTime();
    }
    backoff.set(key, rec);

    const active = pods.filter((p) => isPodActive(p) && !inUncounted.has(p.metadata!.uid!));
    const terminating = pods.filter((p) => isDeleting(p) && !isTerminal(p)).length;
    const succeeded: number = status.succeeded ?? 0;
    const failed: number = status.failed ?? 0;

    // 3. Decide: suspended, failed, succeeded, or keep running.
    if (spec.suspend) {
      if (setCondition(status, { type: "Suspended", status: "True", reason: "JobSuspended", message: "Job suspended" }, now)) d.recorder.event(job, "Normal", "Suspended", "Job suspended");
      for (const p of active) await deletePod(job, p);
      active.length = 0;
    } else {
      if (findCondition(job, "Suspended")?.status === "True") {
        setCondition(status, { type: "Suspended", status: "False", reason: "JobResumed", message: "Job resumed" }, now);
        d.recorder.event(job, "Normal", "Resumed", "Job resumed");
        status.startTime = rfc3339(now);
      }
      status.startTime ??= rfc3339(now);
    }
    let failure = failureTargetCond?.status === "True" ? { reason: failureTargetCond.reason!, message: failureTargetCond.message! } : undefined;
    const COMPLETIONS = { reason: "CompletionsReached", message: "Reached expected number of succeeded pods" };
    let success: { reason: string; message: string } | undefined = successCond?.status === "True" ? { reason: successCond.reason ?? COMPLETIONS.reason, message: successCond.message ?? COMPLETIONS.message } : undefined;
    if (!failure && !success && !spec.suspend) {
      const deadline = spec.activeDeadlineSeconds != null && status.startTime ? Date.parse(status.startTime) + spec.activeDeadlineSeconds * 1000 : undefined;
      if (policyFailure) failure = { reason: "PodFailurePolicy", message: policyFailure };
      else if (perIndex && spec.maxFailedIndexes != null && failedIdx.size > spec.maxFailedIndexes) failure = { reason: "MaxFailedIndexesExceeded", message: "Job has exceeded the specified maximal number of failed indexes" };
      else if (perIndex && failedIdx.size > 0 && completed.size + failedIdx.size >= (completions ?? 0)) failure = { reason: "FailedIndexes", message: "Job has failed indexes" };
      else if (failed > (spec.backoffLimit ?? 6)) failure = { reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" };
      else if (deadline !== undefined && now.getTime() >= deadline) failure = { reason: "DeadlineExceeded", message: "Job was active longer than specified deadline" };
      else if (indexed && matchSuccessPolicy(spec.successPolicy, completed, completions ?? 0) !== undefined) success = { reason: "SuccessPolicy", message: `Matched rules at index ${matchSuccessPolicy(spec.successPolicy, completed, completions ?? 0)}` };
      else if (completions != null ? succeeded >= completions : succeeded > 0 && active.length === 0) success = COMPLETIONS;
      if (failure) setCondition(status, { type: "FailureTarget", status: "True", ...failure }, now);
      if (success) setCondition(status, { type: "SuccessCriteriaMet", status: "True", ...success }, now);
      if (!failure && !success && deadline !== undefined) d.requeueAfter(key, deadline - now.getTime() + 10);
    }
    if (failure || success) {
      for (const p of active) await deletePod(job, p);
      if (active.length === 0 && terminating === 0) {
        if (failure) {
          setCondition(status, { type: "Failed", status: "True", ...failure }, now);
          d.recorder.event(job, "Warning", failure.reason, failure.message);
        } else {
          setCondition(status, { type: "Complete", status: "True", ...success! }, now);
          status.completionTime = rfc3339(now);
          d.recorder.event(job, "Normal", "Completed", "Job completed");
        }
      }
      active.length = 0;
    } else if (!spec.suspend && d.expectations.satisfied(key, pods)) {
      // Only count and change pods once the cache has seen our previous creates and deletes.
      await reconcileActive(job, pods, active, indexed ? new Set([...completed, ...failedIdx]) : undefined, succeeded, key, rec, perIndex);
    }

    status.active = active.length;
    status.ready = active.filter(isPodReady).length;
    status.terminating = terminating;
    if (!status.succeeded) delete status.succeeded;
    if (!status.failed) delete status.failed;
    if (!status.active) delete status.active;
    if (indexed && status.completedIndexes === "") delete status.completedIndexes;
    if (!sameJSON(status, oldStatus) || newlyFinished.length) await d.client.updateStatus(JOBS, { ...job, status });
  };

  // Creates or deletes pods toward the wanted active count; `active` is updated in place.
  // `completed` (Indexed) holds the indexes that need no more pods: succeeded or failed.
  async function reconcileActive(job: KubeObject, pods: KubeObject[], active: KubeObject[], completed: Set<number> | undefined, succeeded: number, key: string, rec: BackoffRecord, perIndex: boolean) {
    const spec = job.spec;
    const parallelism: number = spec.parallelism ?? 1;
    const completions: number | undefined = spec.completions ?? undefined;
    const toCreate: (number | undefined)[] = [];
    const waitFor = spec.podReplacementPolicy === "Failed" ? pods.filter((p) => isDeleting(p) && !isTerminal(p)) : [];
    if (completed) {
      const byIndex = new Map<number, KubeObject[]>();
      for (const p of active) {
        const i = podIndex(p, completions ?? 0);
        if (i === undefined || completed.has(i)) {
          await deletePod(job, p);
          continue;
        }
        byIndex.set(i, [...(byIndex.get(i) ?? []), p]);
      }
      // One active pod per index; extras go.
      for (const ps of byIndex.values()) for (const extra of ps.slice(1)) await deletePod(job, extra);
      active.splice(0, active.length, ...[...byIndex.values()].map((ps) => ps[0]!));
      // podReplacementPolicy Failed: a terminating pod still holds its index.
      const held = new Set(waitFor.map((p) => podIndex(p, completions ?? 0)));
      for (let i = 0; i < (completions ?? 0) && active.length + toCreate.length + held.size < parallelism; i++) if (!completed.has(i) && !byIndex.has(i) && !held.has(i)) toCreate.push(i);
    } else {
      let want = parallelism;
      if (completions != null) want = Math.min(parallelism, completions - succeeded);
      else if (succeeded > 0) want = active.length;
      want = Math.max(0, want);
      if (active.length > want) {
        // Prefer removing pods that are not ready (upstream's ActivePods ordering, simplified).
        const order = [...active].sort((a, b) => Number(isPodReady(a)) - Number(isPodReady(b)));
        const victims = order.slice(0, active.length - want);
        for (const p of victims) await deletePod(job, p);
        active.splice(0, active.length, ...active.filter((p) => !victims.includes(p)));
      }
      for (let i = active.length + waitFor.length; i < want; i++) toCreate.push(undefined);
    }
    if (!toCreate.length) return;
    if (rec.failures > 0) {
      const delay = Math.min(d.backoffBaseMs * 2 ** (rec.failures - 1), d.backoffMaxMs);
      const wait = rec.lastFailure + delay - d.now().getTime();
      if (wait > 0) {
        d.requeueAfter(key, wait);
        return;
      }
    }
    for (const idx of toCreate) {
      const counts = perIndex && idx !== undefined ? nextFailureCounts(job, pods, idx) : undefined;
      const created = await d.client.create<KubeObject>(PODS, jobPod(job, idx, counts), { namespace: job.metadata!.namespace }).catch((e) => {
        d.recorder.event(job, "Warning", "FailedCreate", `Error creating: ${(e as Error).message}`);
        throw e;
      });
      d.expectations.expectCreated(key, [created.metadata!.uid!]);
      d.recorder.event(job, "Normal", "SuccessfulCreate", `Created pod: ${created.metadata!.name}`);
      active.push(created);
    }
  }
}
