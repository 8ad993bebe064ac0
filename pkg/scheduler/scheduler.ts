// The scheduler: informers feed the cache and the queue; one loop takes the most important
// pending pod, runs the cycle over the cache, assumes the chosen node and binds in the
// background (through pods/binding) so the next pod goes at once.
import type { KubeObject } from "../api/types.ts";
import type { Client, InformerFactory, SharedInformer } from "../client/types.ts";
import type { EventRecorder } from "../controllers/shared/events.ts";
import type { Logger } from "../util/log.ts";
import { SchedulerCache } from "./cache.ts";
import { filterNode, findFeasible, fitErrorMessage, prepareCycle, scoreNodes, selectHost, type FrameworkEnv } from "./framework.ts";
import { Nominator } from "./nominator.ts";
import { newPodInfo, podKey, type PodInfo } from "./podinfo.ts";
import { preempt } from "./preemption.ts";
import { SchedulingQueue, type QueuedPod } from "./queue.ts";
import { registerHandlers } from "./handlers.ts";
import { bindPod, markUnschedulable, preemptVictims } from "./actions.ts";
import type { VolumeListers } from "./plugins/volumes.ts";
import { NAMESPACES, NODES, PDBS, PODS, PRIORITY_CLASSES, PVCS, PVS, STORAGE_CLASSES, type Pod } from "./types.ts";

export interface SchedulerOptions {
  client: Client;
  informers: InformerFactory;
  recorder: EventRecorder;
  logger: Logger;
  signal: AbortSignal;
  /** Back-off for failed pods (upstream: 1 s doubling to 10 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Concurrent bindings in flight (the cycle itself is sequential). */
  maxInflightBinds?: number;
  /** How long a bind waits for WaitForFirstConsumer claims to be bound (upstream: 600 s). */
  volumeBindTimeoutMs?: number;
}

export interface Scheduler {
  /** Pods scheduled (bound) so far. */
  readonly scheduled: number;
  pending(): { active: number; backoff: number; unschedulable: number };
  stop(): Promise<void>;
}

export function startScheduler(o: SchedulerOptions): Scheduler {
  const inf = {
    pods: o.informers.forResource<Pod>(PODS),
    nodes: o.informers.forResource(NODES),
    namespaces: o.informers.forResource(NAMESPACES),
    pvcs: o.informers.forResource(PVCS),
    pvs: o.informers.forResource(PVS),
    classes: o.informers.forResource(STORAGE_CLASSES),
    priorities: o.informers.forResource(PRIORITY_CLASSES),
    pdbs: o.informers.forResource(PDBS),
  };
  const cache = new SchedulerCache();
  const nominator = new Nominator();
  const priorityOf = (pod: Pod): number => resolvePriority(pod, inf.priorities);
  const queue = new SchedulingQueue({ priorityOf, initialBackoffMs: o.initialBackoffMs, maxBackoffMs: o.maxBackoffMs });
  const volumes: VolumeListers = {
    pvc: (ns, name) => inf.pvcs.store.get(`${ns}/${name}`),
    pv: (name) => inf.pvs.store.get(name),
    pvs: () => inf.pvs.store.list(),
    storageClass: (name) => inf.classes.store.get(name),
    defaultStorageClass: () => inf.classes.store.list().find((c) => c.metadata?.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true"),
  };
  const env: FrameworkEnv = {
    nsLabels: (ns) => inf.namespaces.store.get(ns)?.metadata?.labels as Record<string, string> | undefined,
    volumes,
    nominated: (node, pi, priority) => nominator.requestsOn(node, pi.key, priority),
  };
  const removers = registerHandlers({ inf, cache, queue, nominator, priorityOf });
  const log = o.logger;
  const maxInflight = o.maxInflightBinds ?? 32;
  let inflight = 0;
  let slotWaiter: (() => void) | undefined;
  let scheduled = 0;
  const binds = new Set<Promise<void>>();
  const actx = { client: o.client, recorder: o.recorder, logger: log, pvcs: inf.pvcs, signal: o.signal, volumeBindTimeoutMs: o.volumeBindTimeoutMs ?? 600_000 };

  async function scheduleOne(q: QueuedPod) {
    const cur = inf.pods.store.get(q.key) as Pod | undefined;
    if (!cur || cur.spec.nodeName || cur.metadata?.deletionTimestamp || cache.isAssumed(q.key) || cur.metadata?.uid !== q.pod.metadata?.uid) {
      queue.done(q.key);
      return;
    }
    const pod = cur;
    const pi = newPodInfo(pod);
    const priority = priorityOf(pod);
    const nodes = cache.nodeList();
    if (!nodes.length) {
      await markUnschedulable(actx, pod, "no nodes available to schedule pods");
      queue.requeueUnschedulable(q, new Set());
      return;
    }
    const cycle = prepareCycle(pi, priority, nodes, env);
    // A nominated node (after preemption) is tried first and taken if it fits (upstream).
    const nominatedNi = pod.status?.nominatedNodeName ? cache.nodes.get(pod.status.nominatedNodeName) : undefined;
    const { feasible, diagnosis } = nominatedNi && !filterNode(cycle, nominatedNi, env) ? { feasible: [nominatedNi], diagnosis: undefined } : findFeasible(cycle, env);
    if (!feasible.length && diagnosis) {
      const out = preempt(cycle, diagnosis, env, (e: PodInfo) => priorityOf(e.pod), nodes, inf.pdbs.store.list());
      let nominatedNode: string | null | undefined;
      if (out.node) {
        nominatedNode = out.node;
        nominator.set(pi, out.node, priority);
        const lower = nominator.lowerOn(out.node, priority);
        for (const l of lower) nominator.delete(l.key);
        await preemptVictims(actx, pod, out.node, out.victims, lower);
      } else if (pod.status?.nominatedNodeName) {
        nominatedNode = null;
        nominator.delete(pi.key);
      }
      const msg = fitErrorMessage(nodes.length, diagnosis, out.message);
      log.v(2, "unschedulable", { pod: q.key, msg });
      await markUnschedulable(actx, pod, msg, nominatedNode);
      queue.requeueUnschedulable(q, diagnosis.plugins);
      return;
    }
    const host = feasible.length === 1 ? feasible[0]! : selectHost(feasible, scoreNodes(cycle, feasible, env));
    cache.assumePod(pod, host.name);
    nominator.delete(pi.key);
    const volumeState = cycle.volume;
    inflight++;
    const p = bindPod(actx, pod, host.name, volumeState, volumes, host.node)
      .then(() => {
        scheduled++;
        queue.done(q.key);
      })
      .catch((e) => {
        cache.forgetPod(q.key);
        queue.moveAllToActiveOrBackoff();
        log.v(1, "binding failed", { pod: q.key, node: host.name, err: e instanceof Error ? e.message : String(e) });
        const gone = (e as { code?: number }).code === 404;
        if (gone) queue.done(q.key);
        else {
          // Upstream reports binding-cycle errors as FailedScheduling too, then retries after back-off.
          o.recorder.event(pod, "Warning", "FailedScheduling", e instanceof Error ? e.message : String(e), { apiVersion: "v1", kind: "Pod" });
          queue.requeueError(q);
        }
      })
      .finally(() => {
        inflight--;
        binds.delete(p);
        const w = slotWaiter;
        slotWaiter = undefined;
        w?.();
      });
    binds.add(p);
    if (inflight >= maxInflight) await new Promise<void>((r) => (slotWaiter = r));
  }

  const loop = (async () => {
    if (!(await o.informers.waitForCacheSync(o.signal))) return;
    log.v(1, "scheduler started", { nodes: cache.nodes.size });
    let lastYield = performance.now();
    for (;;) {
      const q = await queue.pop();
      if (!q || o.signal.aborted) return;
      try {
        await scheduleOne(q);
      } catch (e) {
        log.warn("scheduling attempt failed", { pod: q.key, err: e instanceof Error ? e.message : String(e) });
        queue.requeueError(q);
      }
      // The cycle is synchronous work: let informer events and bindings run now and then.
      if (performance.now() - lastYield > 10) {
        await new Promise((r) => setImmediate(r));
        lastYield = performance.now();
      }
    }
  })();

  const onAbort = () => queue.close();
  o.signal.addEventListener("abort", onAbort, { once: true });

  return {
    get scheduled() {
      return scheduled;
    },
    pending: () => queue.pendingCounts(),
    async stop() {
      o.signal.removeEventListener("abort", onAbort);
      queue.close();
      for (const r of removers) r.remove();
      await loop;
      await Promise.allSettled([...binds]);
      await o.recorder.flush();
    },
  };
}

/** spec.priority if admission set it, else the PriorityClass's value, else the global default, else 0. */
export function resolvePriority(pod: Pod, classes: SharedInformer<KubeObject>): number {
  if (typeof pod.spec.priority === "number") return pod.spec.priority;
  const name = pod.spec.priorityClassName;
  if (name) {
    const pc = classes.store.get(name);
    if (pc && typeof pc.value === "number") return pc.value;
  }
  for (const pc of classes.store.list()) if (pc.globalDefault === true && typeof pc.value === "number") return pc.value;
  return 0;
}

export { podKey };
