// The Job controller's starter: jobs and their pods feed one queue of job keys.
import type { KubeObject } from "../../api/types.ts";
import type { ControllerContext, ControllerDescriptor } from "../types.ts";
import { enqueueControllerOwner, enqueueSelf } from "../shared/handlers.ts";
import { observeOwned, startQueueWorker } from "../history/controller.ts";
import { createExpectations } from "../history/expectations.ts";
import { enqueueOrphanOwners } from "../history/adopt.ts";
import { PODS } from "../history/podutil.ts";
import { JOBS, ORPHAN_PREFIX, createJobSync } from "./sync.ts";
import { hasTrackingFinalizer } from "./pods.ts";
import { INDEX_OWNER_UID, metaNamespaceKey } from "../../client/store.ts";
import type { EventHandler } from "../../client/types.ts";

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
    // Pods holding our finalizer without a live Job get it removed (their Job was deleted).
    const orphanCheck = (p: KubeObject) => {
      if (!hasTrackingFinalizer(p)) return;
      const ref = p.metadata?.ownerReferences?.find((r) => r.controller && r.kind === "Job");
      const job = ref ? jobs.store.get(`${p.metadata?.namespace}/${ref.name}`) : undefined;
      if (!job || job.metadata?.uid !== ref?.uid) q.add(ORPHAN_PREFIX + metaNamespaceKey(p));
    };
    const orphans: EventHandler = { onAdd: orphanCheck, onUpdate: (_o, p) => orphanCheck(p) };
    const hs = [
      pods.addEventHandler(observeOwned(expectations, "Job")),
      jobs.addEventHandler(enqueueSelf(q)),
      jobs.addEventHandler({ onDelete: (j) => pods.store.byIndex(INDEX_OWNER_UID, j.metadata?.uid ?? "").forEach(orphanCheck) }),
      pods.addEventHandler(enqueueControllerOwner(q, "batch", "Job")),
      pods.addEventHandler(orphans),
      pods.addEventHandler(enqueueOrphanOwners(q, jobs)),
    ];
    return () => hs.forEach((h) => h.remove());
  });
  requeue = (k, ms) => running.queue.addAfter(k, Math.max(0, ms));
  return running;
}

export const jobController: ControllerDescriptor = { name: "job", start: (ctx) => startJobController(ctx) };
