// The StatefulSet controller's starter: sets, their pods, claims and revisions feed one queue.
import type { KubeObject } from "../../api/types.ts";
import type { ControllerContext, ControllerDescriptor } from "../types.ts";
import { enqueueControllerOwner, enqueueSelf } from "../shared/handlers.ts";
import { startQueueWorker } from "../history/controller.ts";
import { enqueueOrphanOwners } from "../history/adopt.ts";
import { CONTROLLER_REVISIONS, PODS, PVCS } from "../history/podutil.ts";
import { STATEFULSETS, createStatefulSetSync } from "./sync.ts";

export function startStatefulSetController(ctx: ControllerContext, o: { workers?: number } = {}) {
  const sets = ctx.informers.forResource<KubeObject>(STATEFULSETS);
  const pods = ctx.informers.forResource<KubeObject>(PODS);
  const revisions = ctx.informers.forResource<KubeObject>(CONTROLLER_REVISIONS);
  const pvcs = ctx.informers.forResource<KubeObject>(PVCS);
  let requeue: (k: string, ms: number) => void = () => {};
  const sync = createStatefulSetSync({ client: ctx.client, sets, pods, revisions, pvcs, recorder: ctx.recorder("statefulset-controller"), now: ctx.config.now, requeueAfter: (k, ms) => requeue(k, ms) });
  const running = startQueueWorker(ctx, { name: "statefulset", workers: o.workers ?? 5, sync }, (q) => {
    const hs = [sets.addEventHandler(enqueueSelf(q)), pods.addEventHandler(enqueueControllerOwner(q, "apps", "StatefulSet")), revisions.addEventHandler(enqueueControllerOwner(q, "apps", "StatefulSet")), pods.addEventHandler(enqueueOrphanOwners(q, sets))];
    return () => hs.forEach((h) => h.remove());
  });
  requeue = (k, ms) => running.queue.addAfter(k, Math.max(0, ms));
  return running;
}

export const statefulSetController: ControllerDescriptor = { name: "statefulset", start: (ctx) => startStatefulSetController(ctx) };
