// The Job controller's starter: jobs and their pods feed one queue of job keys.
import type { KubeObject } from "../../api/types.ts";
import type { ControllerContext, ControllerDescriptor } from "../types.ts";
import { enqueueControllerOwner, enqueueSelf } from "../shared/handlers.ts";
import { startQueueWorker } from "../history/controller.ts";
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
  const sync = createJobSync({
    client: ctx.client,
    jobs,
    pods,
    recorder: ctx.recorder("job-controller"),
    now: ctx.config.now,
    backoffBaseMs: o.backoffBaseMs ?? 10_000,
    backoffMaxMs: o.backoffMaxMs ?? 360_000,
    requeueAfter: (k, ms) => requeue(k, ms),
  });
  const running = startQueueWorker(ctx, { name: "job", workers: o.workers ?? 5, sync }, (q) => {
    const a = jobs.addEventHandler(enqueueSelf(q));
    const b = pods.addEventHandler(enqueueControllerOwner(q, "batch", "Job"));
    return () => {
      a.remove();
      b.remove();
    };
  });
  requeue = (k, ms) => running.queue.addAfter(k, Math.max(0, ms));
  return running;
}

export const jobController: ControllerDescriptor = { name: "job", start: (ctx) => startJobController(ctx) };
