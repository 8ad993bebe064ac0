// ttlSecondsAfterFinished (upstream pkg/controller/ttlafterfinished): a finished Job is deleted
// (Foreground, so its pods go first) once its TTL after the finish time has passed.
import type { KubeObject } from "../../api/types.ts";
import type { ControllerContext, ControllerDescriptor } from "../types.ts";
import { enqueueSelf } from "../shared/handlers.ts";
import { splitKey } from "../../client/store.ts";
import { startQueueWorker, ignoreNotFound } from "../history/controller.ts";
import { findCondition, isJobFinished } from "../job/conditions.ts";

const JOBS = { group: "batch", version: "v1", resource: "jobs" };

/** When the job finished: completionTime, else the terminal condition's transition time. */
export function finishTime(job: KubeObject): Date | undefined {
  if (!isJobFinished(job)) return undefined;
  const c = findCondition(job, "Complete")?.status === "True" ? findCondition(job, "Complete") : findCondition(job, "Failed");
  const t = job.status?.completionTime ?? c?.lastTransitionTime;
  return t ? new Date(t) : undefined;
}

/** ms until the job expires (≤ 0: expired), or undefined when it never does. */
export function timeLeft(job: KubeObject, now: Date): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl == null || job.metadata?.deletionTimestamp) return undefined;
  const f = finishTime(job);
  return f ? f.getTime() + ttl * 1000 - now.getTime() : undefined;
}

export function startTTLAfterFinishedController(ctx: ControllerContext, o: { workers?: number } = {}) {
  const jobs = ctx.informers.forResource<KubeObject>(JOBS);
  let requeue: (k: string, ms: number) => void = () => {};
  const sync = async (key: string) => {
    const cached = jobs.store.get(key);
    if (!cached) return;
    const left = timeLeft(cached, ctx.config.now());
    if (left === undefined) return;
    if (left > 0) return requeue(key, left);
    // The cache may be stale: check the latest object before deleting (upstream does too).
    const { namespace, name } = splitKey(key);
    const fresh = await ctx.client.get<KubeObject>(JOBS, name, { namespace }).catch(ignoreNotFound);
    if (!fresh) return;
    const again = timeLeft(fresh, ctx.config.now());
    if (again === undefined) return;
    if (again > 0) return requeue(key, again);
    await ctx.client.delete(JOBS, name, { namespace, propagationPolicy: "Foreground", preconditions: { uid: fresh.metadata!.uid } }).catch(ignoreNotFound);
  };
  const running = startQueueWorker(ctx, { name: "ttl-after-finished", workers: o.workers ?? 2, sync }, (q) => {
    const h = jobs.addEventHandler(enqueueSelf(q, (j) => j.spec?.ttlSecondsAfterFinished != null));
    return () => h.remove();
  });
  requeue = (k, ms) => running.queue.addAfter(k, Math.min(ms, 86_400_000));
  return running;
}

export const ttlAfterFinishedController: ControllerDescriptor = { name: "ttl-after-finished", start: (ctx) => startTTLAfterFinishedController(ctx) };
