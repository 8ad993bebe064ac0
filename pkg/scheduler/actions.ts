// The scheduler's writes: binding (after WaitForFirstConsumer claims are provisioned),
// the PodScheduled=False condition with FailedScheduling events, and preemption.
import type { KubeObject } from "../api/types.ts";
import type { Client, SharedInformer } from "../client/types.ts";
import type { EventRecorder } from "../controllers/shared/events.ts";
import type { Logger } from "../util/log.ts";
import type { PodInfo } from "./podinfo.ts";
import { findStaticPV, SELECTED_NODE, type VolumeListers, type VolumeState } from "./plugins/volumes.ts";
import { NodeInfo } from "./nodeinfo.ts";
import { DEFAULT_SCHEDULER, PODS, PVCS, PVS, type Node, type Pod } from "./types.ts";

export interface ActionContext {
  client: Client;
  recorder: EventRecorder;
  logger: Logger;
  pvcs: SharedInformer<KubeObject>;
  signal: AbortSignal;
  volumeBindTimeoutMs: number;
}

const POD_REF = { apiVersion: "v1", kind: "Pod" };
const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

async function prebindVolumes(a: ActionContext, pod: Pod, node: string, vs: VolumeState, volumes: VolumeListers, nodeObj?: Node) {
  const ns = pod.metadata?.namespace ?? "default";
  const waiting: string[] = [];
  for (const c of vs.claims) {
    if (!c.delayed) continue;
    const name = c.pvc.metadata!.name!;
    if (c.staticOnly && nodeObj) {
      const pv = findStaticPV(c, new NodeInfo(nodeObj), volumes);
      if (pv) {
        const claimRef = { kind: "PersistentVolumeClaim", apiVersion: "v1", namespace: ns, name, uid: c.pvc.metadata?.uid };
        await a.client.patch(PVS, pv.metadata!.name!, "merge", { spec: { claimRef } }, { fieldManager: DEFAULT_SCHEDULER });
      }
    } else if (c.pvc.metadata?.annotations?.[SELECTED_NODE] !== node) {
      await a.client.patch(PVCS, name, "merge", { metadata: { annotations: { [SELECTED_NODE]: node } } }, { namespace: ns, fieldManager: DEFAULT_SCHEDULER });
    }
    waiting.push(`${ns}/${name}`);
  }
  // Bind the pod only once its claims are bound (upstream's PreBind wait).
  const end = Date.now() + a.volumeBindTimeoutMs;
  for (const key of waiting) {
    for (;;) {
      const pvc = a.pvcs.store.get(key);
      if (pvc?.spec?.volumeName && pvc.status?.phase === "Bound") break;
      if (!pvc) throw new Error(`persistentvolumeclaim ${key} was deleted while binding`);
      if (Date.now() > end || a.signal.aborted) throw new Error(`timed out waiting for persistentvolumeclaim ${key} to be bound`);
      await Bun.sleep(50);
    }
  }
}

export async function bindPod(a: ActionContext, pod: Pod, node: string, vs: VolumeState, volumes: VolumeListers, nodeObj?: Node): Promise<void> {
  if (vs.claims.some((c) => c.delayed)) await prebindVolumes(a, pod, node, vs, volumes, nodeObj);
  const ns = pod.metadata?.namespace ?? "default";
  const name = pod.metadata?.name ?? "";
  const binding = { apiVersion: "v1", kind: "Binding", metadata: { name, namespace: ns, uid: pod.metadata?.uid }, target: { apiVersion: "v1", kind: "Node", name: node } };
  await a.client.create(PODS, binding as KubeObject, { namespace: ns, name, subresource: "binding" });
  a.recorder.event(pod, "Normal", "Scheduled", `Successfully assigned ${ns}/${name} to ${node}`, POD_REF);
}

/**
 * FailedScheduling event and PodScheduled=False/Unschedulable (patched only when it changes).
 * nominatedNode: a node name to set, null to clear, undefined to leave as is.
 */
export async function markUnschedulable(a: ActionContext, pod: Pod, message: string, nominatedNode?: string | null): Promise<void> {
  a.recorder.event(pod, "Warning", "FailedScheduling", message, POD_REF);
  const prev = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
  const condChanged = !prev || prev.status !== "False" || prev.reason !== "Unschedulable" || prev.message !== message;
  const nomChanged = nominatedNode !== undefined && (pod.status?.nominatedNodeName ?? null) !== nominatedNode;
  if (!condChanged && !nomChanged) return;
  const status: Record<string, unknown> = {};
  if (condChanged)
    status.conditions = [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message, lastProbeTime: null, lastTransitionTime: prev?.status === "False" ? prev.lastTransitionTime : now() }];
  if (nomChanged) status.nominatedNodeName = nominatedNode;
  try {
    await a.client.patch(PODS, pod.metadata!.name!, "strategic", { status }, { namespace: pod.metadata?.namespace, subresource: "status", fieldManager: DEFAULT_SCHEDULER });
  } catch (e) {
    // The pod may be gone; the event still tells the story.
    if ((e as { code?: number }).code !== 404) throw e;
  }
}

/** Victims get DisruptionTarget, a graceful delete and a Preempted event; lower nominations are cleared. */
export async function preemptVictims(a: ActionContext, preemptor: Pod, node: string, victims: PodInfo[], clearNominated: PodInfo[]): Promise<void> {
  const schedulerName = preemptor.spec.schedulerName ?? DEFAULT_SCHEDULER;
  for (const v of victims) {
    const ns = v.pod.metadata?.namespace;
    const name = v.pod.metadata!.name!;
    const cond = { type: "DisruptionTarget", status: "True", reason: "PreemptionByScheduler", message: `${schedulerName}: preempting to accommodate a higher priority pod`, lastProbeTime: null, lastTransitionTime: now() };
    try {
      await a.client.patch(PODS, name, "strategic", { status: { conditions: [cond] } }, { namespace: ns, subresource: "status", fieldManager: DEFAULT_SCHEDULER });
      await a.client.delete(PODS, name, { namespace: ns, preconditions: { uid: v.pod.metadata?.uid } });
    } catch (e) {
      if ((e as { code?: number }).code !== 404) throw e;
      continue;
    }
    a.recorder.event(v.pod, "Normal", "Preempted", `Preempted by pod ${preemptor.metadata?.uid} on node ${node}`, POD_REF);
  }
  for (const l of clearNominated) {
    await a.client
      .patch(PODS, l.pod.metadata!.name!, "strategic", { status: { nominatedNodeName: null } }, { namespace: l.pod.metadata?.namespace, subresource: "status" })
      .catch(() => {});
  }
}
