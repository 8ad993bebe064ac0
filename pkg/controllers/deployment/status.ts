// Deployment status (upstream sync.go calculateStatus and progress.go syncRolloutStatus):
// counts from the ReplicaSets, Available and Progressing conditions, the progress deadline.
import type { KubeObject } from "../../api/types.ts";
import { getCondition, maxUnavailable, newCondition, removeCondition, replicasOf, setCondition, type Condition } from "./util.ts";

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: Condition[];
  collisionCount?: number;
}

const sum = (rss: KubeObject[], f: (rs: KubeObject) => number) => rss.reduce((n, rs) => n + (f(rs) || 0), 0);

export function calculateStatus(all: KubeObject[], newRS: KubeObject | undefined, d: KubeObject, now: Date): DeploymentStatus {
  const available = sum(all, (rs) => rs.status?.availableReplicas);
  const total = sum(all, (rs) => rs.spec?.replicas ?? 1);
  const st: DeploymentStatus = {
    observedGeneration: d.metadata?.generation,
    replicas: sum(all, (rs) => rs.status?.replicas),
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sum(all, (rs) => rs.status?.readyReplicas),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
    conditions: structuredClone(d.status?.conditions ?? []),
  };
  if (d.status?.collisionCount !== undefined) st.collisionCount = d.status.collisionCount;
  if (available >= replicasOf(d) - maxUnavailable(d)) setCondition(st, newCondition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", now));
  else setCondition(st, newCondition("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now));
  return st;
}

/** Go's omitempty: zero counts are absent from the stored status. */
export function compactStatus(st: DeploymentStatus): DeploymentStatus {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(st)) {
    if (v === undefined || v === 0 || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out as DeploymentStatus;
}

export const progressDeadline = (d: KubeObject): number | undefined => {
  const s = d.spec?.progressDeadlineSeconds ?? 600;
  return s >= 2147483647 ? undefined : s;
};

export function deploymentComplete(d: KubeObject, st: DeploymentStatus): boolean {
  const r = replicasOf(d);
  return (st.updatedReplicas ?? 0) === r && (st.replicas ?? 0) === r && (st.availableReplicas ?? 0) === r && (st.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
}

export function deploymentProgressing(d: KubeObject, st: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (st.replicas ?? 0) - (st.updatedReplicas ?? 0);
  return (st.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld || (st.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (st.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

export function deploymentTimedOut(d: KubeObject, st: DeploymentStatus, now: Date): boolean {
  const c = getCondition(st, "Progressing");
  const deadline = progressDeadline(d);
  if (!c || deadline === undefined) return false;
  if (c.reason === "NewReplicaSetAvailable") return false;
  if (c.reason === "ProgressDeadlineExceeded") return true;
  return Date.parse(c.lastUpdateTime) + deadline * 1000 < now.getTime();
}

/** The status after a rollout step, with the Progressing condition moved as upstream does. */
export function rolloutStatus(all: KubeObject[], newRS: KubeObject | undefined, d: KubeObject, now: Date): DeploymentStatus {
  const st = calculateStatus(all, newRS, d, now);
  if (progressDeadline(d) === undefined) removeCondition(st, "Progressing");
  const cur = getCondition(st, "Progressing");
  const complete = st.replicas === st.updatedReplicas && cur?.reason === "NewReplicaSetAvailable";
  if (progressDeadline(d) !== undefined && !complete) {
    if (deploymentComplete(d, st)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata!.name}" has successfully progressed.` : "Deployment has successfully progressed.";
      setCondition(st, newCondition("Progressing", "True", "NewReplicaSetAvailable", msg, now));
    } else if (deploymentProgressing(d, st)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata!.name}" is progressing.` : "Deployment is progressing.";
      const c = newCondition("Progressing", "True", "ReplicaSetUpdated", msg, now);
      if (cur?.status === "True") c.lastTransitionTime = cur.lastTransitionTime;
      if (cur) removeCondition(st, "Progressing");
      setCondition(st, c);
    } else if (deploymentTimedOut(d, st, now)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata!.name}" has timed out progressing.` : "Deployment has timed out progressing.";
      setCondition(st, newCondition("Progressing", "False", "ProgressDeadlineExceeded", msg, now));
    }
  }
  // A ReplicaSet that fails to create pods surfaces as the deployment's ReplicaFailure.
  const failed = all.map((rs) => getCondition(rs.status, "ReplicaFailure")).find((c) => c?.status === "True");
  if (failed) setCondition(st, { ...newCondition("ReplicaFailure", "True", failed.reason, failed.message, now) });
  else removeCondition(st, "ReplicaFailure");
  return st;
}

/** When a still-progressing deployment must be looked at again for its deadline (ms), if ever. */
export function stuckRequeueMs(d: KubeObject, st: DeploymentStatus, now: Date): number | undefined {
  const c = getCondition(st, "Progressing");
  const deadline = progressDeadline(d);
  if (!c || deadline === undefined || deploymentComplete(d, st) || c.reason === "ProgressDeadlineExceeded") return undefined;
  return Math.max(0, Date.parse(c.lastUpdateTime) + deadline * 1000 - now.getTime()) + 1000;
}
