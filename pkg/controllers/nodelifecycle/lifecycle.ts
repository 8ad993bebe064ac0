// Node lifecycle (upstream pkg/controller/nodelifecycle): a node whose Lease in
// kube-node-lease (or Ready heartbeat) has not moved for nodeMonitorGracePeriod gets its
// conditions set Unknown and its pods marked not ready; Ready False/Unknown nodes carry the
// not-ready/unreachable NoSchedule and NoExecute taints, removed once Ready again.
import type { KubeObject } from "../../api/types.ts";
import { StatusError } from "../../api/errors.ts";
import { INDEX_NODE_NAME } from "../../client/index.ts";
import type { ControllerContext, RunningControllers } from "../types.ts";
import { PODS } from "../replicaset/replicaset.ts";
import { canonical, metaTime } from "../deployment/util.ts";
import { NOT_READY, UNREACHABLE, type Taint } from "./taints.ts";

export const NODES = { group: "", version: "v1", resource: "nodes" };
const LEASES = { group: "coordination.k8s.io", version: "v1", resource: "leases" };
const CONDITION_TYPES = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];

export interface NodeLifecycleOptions {
  /** nodeMonitorPeriod: 5 s upstream. */
  monitorPeriodMs?: number;
}

export function startNodeLifecycle(ctx: ControllerContext, opts: NodeLifecycleOptions = {}): RunningControllers {
  const { client } = ctx;
  const nodes = ctx.informers.forResource(NODES);
  const leases = ctx.informers.forResource(LEASES, { namespace: "kube-node-lease" });
  const pods = ctx.informers.forResource(PODS);
  const recorder = ctx.recorder("node-controller");
  const grace = ctx.config.nodeMonitorGracePeriodMs;
  // Local observation times (upstream's probeTimestamp), so clock skew with the kubelet never matters.
  const health = new Map<string, { seen: string; probe: number }>();

  const observe = (node: KubeObject, nowMs: number): number => {
    const lease = leases.store.get(`kube-node-lease/${node.metadata!.name}`);
    const ready = (node.status?.conditions ?? []).find((c: { type: string }) => c.type === "Ready");
    const seen = `${lease?.spec?.renewTime ?? ""}|${ready?.lastHeartbeatTime ?? ""}|${ready?.status ?? ""}`;
    const h = health.get(node.metadata!.name!);
    if (!h || h.seen !== seen) {
      health.set(node.metadata!.name!, { seen, probe: nowMs });
      return nowMs;
    }
    return h.probe;
  };

  const markUnknown = async (node: KubeObject, now: Date) => {
    const next = structuredClone(node);
    const conds: any[] = next.status?.conditions ?? [];
    let changed = false;
    const ts = metaTime(now);
    if (!conds.some((c) => c.type === "Ready")) {
      conds.push({ type: "Ready", status: "Unknown", reason: "NodeStatusNeverUpdated", message: "Kubelet never posted node status.", lastHeartbeatTime: ts, lastTransitionTime: ts });
      changed = true;
    }
    for (const c of conds) {
      if (!CONDITION_TYPES.includes(c.type) || c.status === "Unknown") continue;
      Object.assign(c, { status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status.", lastTransitionTime: ts });
      changed = true;
    }
    if (!changed) return false;
    next.status = { ...(next.status ?? {}), conditions: conds };
    await client.updateStatus(NODES, next);
    recorder.event(node, "Normal", "NodeNotReady", `Node ${node.metadata!.name} status is now: NodeNotReady`);
    return true;
  };

  const markPodsNotReady = async (nodeName: string, now: Date) => {
    for (const p of pods.store.byIndex(INDEX_NODE_NAME, nodeName)) {
      const ready = (p.status?.conditions ?? []).find((c: { type: string }) => c.type === "Ready");
      if (!ready || ready.status === "False" || p.status?.phase === "Succeeded" || p.status?.phase === "Failed") continue;
      const next = structuredClone(p);
      for (const c of next.status.conditions) if (c.type === "Ready") Object.assign(c, { status: "False", lastTransitionTime: metaTime(now) });
      await client.updateStatus(PODS, next, { namespace: p.metadata!.namespace }).catch((e) => { if (!(e instanceof StatusError && (e.code === 404 || e.code === 409))) throw e; });
    }
  };

  /** The taints a node should carry for its Ready condition (TaintNodesByCondition + NoExecute taint manager). */
  const syncTaints = async (node: KubeObject, now: Date) => {
    const ready = (node.status?.conditions ?? []).find((c: { type: string }) => c.type === "Ready")?.status;
    const key = ready === "False" ? NOT_READY : ready === "Unknown" ? UNREACHABLE : undefined;
    const cur: Taint[] = node.spec?.taints ?? [];
    const ours = new Set([NOT_READY, UNREACHABLE]);
    const keep = cur.filter((t) => !ours.has(t.key) || (t.key === key && (t.effect === "NoSchedule" || t.effect === "NoExecute")));
    if (key) {
      if (!keep.some((t) => t.key === key && t.effect === "NoSchedule")) keep.push({ key, effect: "NoSchedule" });
      if (!keep.some((t) => t.key === key && t.effect === "NoExecute")) keep.push({ key, effect: "NoExecute", timeAdded: metaTime(now) });
    }
    if (canonical(keep) === canonical(cur)) return;
    const next = structuredClone(node);
    next.spec = { ...(next.spec ?? {}), taints: keep.length ? keep : undefined };
    if (!keep.length) delete next.spec.taints;
    await client.update(NODES, next);
  };

  let busy = false;
  const monitor = async () => {
    if (busy || !nodes.hasSynced() || !leases.hasSynced() || !pods.hasSynced()) return;
    busy = true;
    try {
      const now = ctx.config.now();
      const names = new Set<string>();
      for (const node of nodes.store.list()) {
        names.add(node.metadata!.name!);
        try {
          const probe = observe(node, now.getTime());
          if (now.getTime() - probe > grace) {
            if (await markUnknown(node, now)) await markPodsNotReady(node.metadata!.name!, now);
          }
          const fresh = nodes.store.get(node.metadata!.name!);
          if (fresh) await syncTaints(fresh, now);
        } catch (e) {
          if (!(e instanceof StatusError && (e.code === 409 || e.code === 404))) ctx.logger.warn("node monitor failed", { node: node.metadata?.name, err: e instanceof Error ? e.message : String(e) });
        }
      }
      for (const n of health.keys()) if (!names.has(n)) health.delete(n);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void monitor(), opts.monitorPeriodMs ?? 5_000);
  return {
    async stop() {
      clearInterval(timer);
    },
  };
}
