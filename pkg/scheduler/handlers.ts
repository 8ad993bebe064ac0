// Informer events → cache and queue (upstream's eventhandlers.go): assigned pods update the
// cache, pending pods for this scheduler enter the queue, and changes that may make room
// move parked pods back for another try.
import type { KubeObject } from "../api/types.ts";
import type { SharedInformer } from "../client/types.ts";
import type { SchedulerCache } from "./cache.ts";
import type { Nominator } from "./nominator.ts";
import { newPodInfo, podKey } from "./podinfo.ts";
import type { SchedulingQueue } from "./queue.ts";
import { DEFAULT_SCHEDULER, type Node, type Pod } from "./types.ts";

export interface HandlerDeps {
  inf: {
    pods: SharedInformer<Pod>;
    nodes: SharedInformer<KubeObject>;
    pvcs: SharedInformer<KubeObject>;
    pvs: SharedInformer<KubeObject>;
    classes: SharedInformer<KubeObject>;
  };
  cache: SchedulerCache;
  queue: SchedulingQueue;
  nominator: Nominator;
  priorityOf: (pod: Pod) => number;
}

const assigned = (p: Pod) => !!p.spec?.nodeName;
const terminal = (p: Pod) => p.status?.phase === "Succeeded" || p.status?.phase === "Failed";
const ours = (p: Pod) => (p.spec?.schedulerName ?? DEFAULT_SCHEDULER) === DEFAULT_SCHEDULER;
const gated = (p: Pod) => (p.spec?.schedulingGates ?? []).length > 0;
const pending = (p: Pod) => !assigned(p) && ours(p) && !p.metadata?.deletionTimestamp && !gated(p) && !terminal(p);

/** What in a node can make a pod fit where it did not. */
const nodeSchedulingFacts = (n: Node) => JSON.stringify([n.metadata?.labels, n.spec?.taints, n.spec?.unschedulable, n.status?.allocatable]);

export function registerHandlers(d: HandlerDeps): Array<{ remove(): void }> {
  const { cache, queue, nominator } = d;
  const affinityRelated = (q: { unschedulablePlugins: Set<string> }) =>
    q.unschedulablePlugins.has("InterPodAffinity") || q.unschedulablePlugins.has("PodTopologySpread") || q.unschedulablePlugins.size === 0;

  const trackNomination = (p: Pod) => {
    const n = p.status?.nominatedNodeName;
    if (n) nominator.set(newPodInfo(p), n, d.priorityOf(p));
    else nominator.delete(podKey(p));
  };

  const podHandler = d.inf.pods.addEventHandler({
    onAdd(p) {
      if (assigned(p)) {
        if (terminal(p)) return;
        cache.addOrUpdatePod(p);
        queue.moveAllToActiveOrBackoff(affinityRelated);
      } else if (pending(p)) {
        queue.add(p);
        trackNomination(p);
      }
    },
    onUpdate(old, p) {
      if (assigned(p)) {
        if (!assigned(old)) {
          queue.delete(p);
          nominator.delete(podKey(p));
        }
        if (terminal(p)) {
          if (cache.hasPod(podKey(p))) {
            cache.removePod(p);
            queue.moveAllToActiveOrBackoff();
          }
          return;
        }
        const was = cache.hasPod(podKey(p)) && !cache.isAssumed(podKey(p));
        cache.addOrUpdatePod(p);
        if (!was) queue.moveAllToActiveOrBackoff(affinityRelated);
        else if (JSON.stringify(old.metadata?.labels) !== JSON.stringify(p.metadata?.labels)) queue.moveAllToActiveOrBackoff(affinityRelated);
      } else if (pending(p)) {
        queue.update(p);
        trackNomination(p);
      } else {
        queue.delete(p);
        nominator.delete(podKey(p));
      }
    },
    onDelete(p) {
      if (assigned(p)) {
        cache.removePod(p);
        queue.moveAllToActiveOrBackoff();
      } else {
        queue.delete(p);
        nominator.delete(podKey(p));
      }
    },
  });

  const nodeHandler = d.inf.nodes.addEventHandler({
    onAdd(n) {
      cache.addOrUpdateNode(n as Node);
      queue.moveAllToActiveOrBackoff();
    },
    onUpdate(old, n) {
      cache.addOrUpdateNode(n as Node);
      if (nodeSchedulingFacts(old as Node) !== nodeSchedulingFacts(n as Node)) queue.moveAllToActiveOrBackoff();
    },
    onDelete(n) {
      cache.removeNode(n.metadata?.name ?? "");
    },
  });

  const volumeRelated = (q: { unschedulablePlugins: Set<string> }) => q.unschedulablePlugins.has("VolumeBinding");
  const volumeHandlers = [d.inf.pvcs, d.inf.pvs, d.inf.classes].map((i) =>
    i.addEventHandler({
      onAdd: () => queue.moveAllToActiveOrBackoff(volumeRelated),
      onUpdate: () => queue.moveAllToActiveOrBackoff(volumeRelated),
    }),
  );
  return [podHandler, nodeHandler, ...volumeHandlers];
}
