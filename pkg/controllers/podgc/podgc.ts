// Pod garbage collector (upstream pkg/controller/podgc), every period: terminated pods beyond
// the threshold (oldest first), pods bound to nodes that no longer exist (after a quarantine
// and a live check), pods terminating on a not-ready node tainted out-of-service, and
// unscheduled pods stuck terminating are force-deleted.
import type { KubeObject } from "../../api/types.ts";
import { StatusError } from "../../api/errors.ts";
import type { ControllerContext, RunningControllers } from "../types.ts";
import { PODS } from "../replicaset/replicaset.ts";
import { metaTime } from "../deployment/util.ts";

const NODES = { group: "", version: "v1", resource: "nodes" };

export interface PodGCOptions {
  /** gcCheckPeriod: 20 s upstream. */
  periodMs?: number;
  /** How long a node must stay missing before its pods are collected (40 s upstream). */
  quarantineMs?: number;
}

const isTerminated = (p: KubeObject) => p.status?.phase === "Succeeded" || p.status?.phase === "Failed";

export function startPodGC(ctx: ControllerContext, opts: PodGCOptions = {}): RunningControllers {
  const { client } = ctx;
  const pods = ctx.informers.forResource(PODS);
  const nodes = ctx.informers.forResource(NODES);
  const quarantineMs = opts.quarantineMs ?? 40_000;
  // node name → when it was first seen missing
  const missingSince = new Map<string, number>();

  const forceDelete = async (p: KubeObject) => {
    try {
      await client.delete(PODS, p.metadata!.name!, { namespace: p.metadata!.namespace, gracePeriodSeconds: 0, preconditions: { uid: p.metadata!.uid! } });
    } catch (e) {
      if (!(e instanceof StatusError && (e.code === 404 || e.code === 409))) throw e;
    }
  };

  const gcTerminated = async (all: KubeObject[]) => {
    const threshold = ctx.config.terminatedPodGCThreshold;
    if (threshold <= 0) return;
    const done = all.filter(isTerminated);
    const excess = done.length - threshold;
    if (excess <= 0) return;
    done.sort((a, b) => (a.metadata?.creationTimestamp ?? "").localeCompare(b.metadata?.creationTimestamp ?? "") || (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""));
    for (const p of done.slice(0, excess)) await forceDelete(p);
  };

  const nodeExists = async (name: string) => {
    if (nodes.store.get(name)) return true;
    try {
      await client.get(NODES, name);
      return true;
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return false;
      throw e;
    }
  };

  const gcOrphaned = async (all: KubeObject[]) => {
    const now = Date.now();
    const candidates = new Set<string>();
    for (const p of all) {
      const n = p.spec?.nodeName;
      if (n && !nodes.store.get(n)) candidates.add(n);
    }
    for (const n of missingSince.keys()) if (!candidates.has(n)) missingSince.delete(n);
    for (const n of candidates) if (!missingSince.has(n)) missingSince.set(n, now);
    for (const [n, since] of missingSince) {
      if (now - since < quarantineMs || (await nodeExists(n))) continue;
      for (const p of all.filter((x) => x.spec?.nodeName === n)) {
        if (!isTerminated(p)) {
          // Upstream records why the pod ends before deleting it.
          const st = structuredClone(p);
          const conds = (st.status?.conditions ?? []).filter((c: { type: string }) => c.type !== "DisruptionTarget");
          conds.push({ type: "DisruptionTarget", status: "True", reason: "DeletionByPodGC", message: "PodGC: node no longer exists", lastTransitionTime: metaTime(ctx.config.now()) });
          st.status = { ...(st.status ?? {}), phase: "Failed", conditions: conds };
          await client.updateStatus(PODS, st, { namespace: p.metadata!.namespace }).catch(() => {});
        }
        await forceDelete(p);
      }
      missingSince.delete(n);
    }
  };

  /** gcTerminating: the admin declared the node out of service, so its kubelet will never finish them. */
  const gcTerminating = async (all: KubeObject[]) => {
    for (const p of all) {
      if (!p.metadata?.deletionTimestamp || !p.spec?.nodeName) continue;
      const node = nodes.store.get(p.spec.nodeName);
      if (!node) continue;
      const ready = (node.status?.conditions ?? []).find((c: { type: string }) => c.type === "Ready")?.status === "True";
      const outOfService = (node.spec?.taints ?? []).some((t: { key: string; effect: string }) => t.key === "node.kubernetes.io/out-of-service" && t.effect === "NoExecute");
      if (!ready && outOfService) await forceDelete(p);
    }
  };

  const gcUnscheduledTerminating = async (all: KubeObject[]) => {
    for (const p of all) if (p.metadata?.deletionTimestamp && !p.spec?.nodeName) await forceDelete(p);
  };

  let busy = false;
  const tick = async () => {
    if (busy || !pods.hasSynced() || !nodes.hasSynced()) return;
    busy = true;
    try {
      const all = pods.store.list();
      await gcTerminated(all);
      await gcTerminating(all);
      await gcOrphaned(all);
      await gcUnscheduledTerminating(all);
    } catch (e) {
      ctx.logger.warn("pod GC pass failed", { err: e instanceof Error ? e.message : String(e) });
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), opts.periodMs ?? 20_000);
  return {
    async stop() {
      clearInterval(timer);
    },
  };
}
