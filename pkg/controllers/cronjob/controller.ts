// The CronJob controller's starter: cronjobs and their Jobs feed one queue; each sync requeues
// itself for the next schedule time. `pollMs` adds a periodic resync (tests moving a fake clock).
import type { KubeObject } from "../../api/types.ts";
import type { ControllerContext, ControllerDescriptor } from "../types.ts";
import { enqueueControllerOwner, enqueueSelf } from "../shared/handlers.ts";
import { metaNamespaceKey } from "../../client/store.ts";
import { startQueueWorker } from "../history/controller.ts";
import { CRONJOBS, createCronJobSync } from "./sync.ts";

export interface CronJobControllerOptions {
  workers?: number;
  pollMs?: number;
}

export function startCronJobController(ctx: ControllerContext, o: CronJobControllerOptions = {}) {
  const cronjobs = ctx.informers.forResource<KubeObject>(CRONJOBS);
  const jobs = ctx.informers.forResource<KubeObject>({ group: "batch", version: "v1", resource: "jobs" });
  let requeue: (k: string, ms: number) => void = () => {};
  const sync = createCronJobSync({ client: ctx.client, cronjobs, jobs, recorder: ctx.recorder("cronjob-controller"), now: ctx.config.now, requeueAfter: (k, ms) => requeue(k, ms) });
  let timer: ReturnType<typeof setInterval> | undefined;
  const running = startQueueWorker(ctx, { name: "cronjob", workers: o.workers ?? 2, sync }, (q) => {
    const hs = [cronjobs.addEventHandler(enqueueSelf(q)), jobs.addEventHandler(enqueueControllerOwner(q, "batch", "CronJob"))];
    if (o.pollMs) timer = setInterval(() => cronjobs.store.list().forEach((c) => q.add(metaNamespaceKey(c))), o.pollMs);
    return () => {
      if (timer) clearInterval(timer);
      hs.forEach((h) => h.remove());
    };
  });
  // Delays beyond ~24 days overflow timers; a daily re-check is enough then.
  requeue = (k, ms) => running.queue.addAfter(k, Math.min(Math.max(0, ms), 86_400_000));
  return running;
}

export const cronJobController: ControllerDescriptor = { name: "cronjob", start: (ctx) => startCronJobController(ctx) };
