// The Job controller's starter: jobs and their pods feed one queue of job keys.
import type { KubeObject } from "../../api/types.ts";
import type { ControllerContext, ControllerDescriptor } from "../types.ts";
import { enqueueControllerOwner, enqueueSelf } from "../shared/handlers.ts";
import { observeOwned, startQueueWorker } from "../history/controller.ts";
import { createExpectations } from "../history/expectations.ts";
import { PODS } from "../history/podutil.ts";
import { JOBS, createJobSync } from "./sync.ts";

export interface JobControllerOptions {
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  workers?: number;
}

export function startJobController(ctx: ControllerContext, o: JobControllerOptions = {}) {
  const jobs = ctx.informers.forResource<KubeObject>(JOBS);
  const pods = ctx.informers.forResource<KubeObject>(PODS);
  let requeue: (k: string, ms: number) => void = () => {};
  const expectations = createExpectations();
  const sync = createJobSync({
    client: ctx.client,
    jobs,
    pods,
    recorder: ctx.recorder("job-controller"),
    now: ctx.config.now,
    backoffBaseMs: o.backoffBaseMs ?? 10_000,
    backoffMaxMs: o.backoffMaxMs ?? 360_000,
    requeueAfter: (k, ms) => requeue(k, ms),
    expectations,
  });
  const running = startQueueWorker(ctx, { name: "job", workers: o.workers ?? 5, sync }, (q) => {
    // Expectations first, so the sync the second handler queues sees them observed.
    const hs = [pods.addEventHandler(observeOwned(expectations, "Job")), jobs.addEventHandler(enqueueSelf(q)), pods.addEventHandler(enqueueControllerOwner(q, "batch", "Job"))];
    return () => hs.forEach((h) => h.remove());
  });
  requeue = (k, ms) => running.queue.addAfter(k, Math.max(0, ms));
  return running;
}

export const jobController: ControllerDescriptor = { name: "job", start: (ctx) => startJobController(ctx) };
