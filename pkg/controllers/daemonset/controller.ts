// The DaemonSet controller's starter: sets, pods and revisions enqueue their set; any node change enqueues every set.
import type { KubeObject } from "../../api/types.ts";
import type { ControllerContext, ControllerDescriptor } from "../types.ts";
import { enqueueControllerOwner, enqueueSelf } from "../shared/handlers.ts";
import { metaNamespaceKey } from "../../client/store.ts";
import { observeOwned, startQueueWorker } from "../history/controller.ts";
import { createExpectations } from "../history/expectations.ts";
import { enqueueOrphanOwners } from "../history/adopt.ts";
import { CONTROLLER_REVISIONS, NODES, PODS } from "../history/podutil.ts";
import { DAEMONSETS, createDaemonSetSync } from "./sync.ts";

export function startDaemonSetController(ctx: ControllerContext, o: { workers?: number } = {}) {
  const sets = ctx.informers.forResource<KubeObject>(DAEMONSETS);
  const pods = ctx.informers.forResource<KubeObject>(PODS);
  const nodes = ctx.informers.forResource<KubeObject>(NODES);
  const revisions = ctx.informers.forResource<KubeObject>(CONTROLLER_REVISIONS);
  let requeue: (k: string, ms: number) => void = () => {};
  const expectations = createExpectations();
  const sync = createDaemonSetSync({ expectations, client: ctx.client, sets, pods, nodes, revisions, recorder: ctx.recorder("daemonset-controller"), now: ctx.config.now, requeueAfter: (k, ms) => requeue(k, ms) });
  const running = startQueueWorker(ctx, { name: "daemonset", workers: o.workers ?? 2, sync }, (q) => {
    const all = () => sets.store.list().forEach((s) => q.add(metaNamespaceKey(s)));
    const hs = [
      pods.addEventHandler(observeOwned(expectations, "DaemonSet")),
      sets.addEventHandler(enqueueSelf(q)),
      pods.addEventHandler(enqueueControllerOwner(q, "apps", "DaemonSet")),
      pods.addEventHandler(enqueueOrphanOwners(q, sets)),
      revisions.addEventHandler(enqueueControllerOwner(q, "apps", "DaemonSet")),
      nodes.addEventHandler({ onAdd: all, onUpdate: (a, b) => (sameNodeShape(a, b) ? undefined : all()), onDelete: all }),
    ];
    return () => hs.forEach((h) => h.remove());
  });
  requeue = (k, ms) => running.queue.addAfter(k, Math.max(0, ms));
  return running;
}

// Heartbeats change only status; labels, taints and spec decide eligibility.
const sameNodeShape = (a: KubeObject, b: KubeObject) => JSON.stringify([a.metadata?.labels, a.spec]) === JSON.stringify([b.metadata?.labels, b.spec]);

export const daemonSetController: ControllerDescriptor = { name: "daemonset", start: (ctx) => startDaemonSetController(ctx) };
