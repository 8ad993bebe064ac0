// syncStatefulSet (upstream pkg/controller/statefulset): revisions first, then replicas in
// ordinal order (OrderedReady waits for each to be Running and Ready), condemned pods from the
// highest ordinal, then a rolling update from the highest ordinal down to the partition.
import type { KubeObject } from "../../api/types.ts";
import type { Client, SharedInformer } from "../../client/types.ts";
import type { EventRecorder } from "../shared/events.ts";
import { CONTROLLER_REVISIONS, PODS, PVCS, isDeleting, isPodAvailable, isPodReady, isTerminal, sameJSON } from "../history/podutil.ts";
import { REVISION_HASH_LABEL, ensureRevision, truncateHistory } from "../history/revision.ts";
import { ignoreAlreadyExists, ignoreNotFound } from "../history/controller.ts";
import { STS_KIND, ordinalOf, statefulClaim, statefulPod } from "./pods.ts";
import { claimCandidates, claimObjects, claimPods } from "../history/adopt.ts";

export const STATEFULSETS = { group: "apps", version: "v1", resource: "statefulsets" };

export interface StatefulSetSyncDeps {
  client: Client;
  sets: SharedInformer;
  pods: SharedInformer;
  revisions: SharedInformer;
  pvcs: SharedInformer;
  recorder: EventRecorder;
  now: () => Date;
  requeueAfter: (key: string, ms: number) => void;
}

const revisionOf = (pod: KubeObject) => pod.metadata?.labels?.[REVISION_HASH_LABEL] ?? "";
const runningAndReady = (p: KubeObject) => p.status?.phase === "Running" && isPodReady(p);

export function createStatefulSetSync(d: StatefulSetSyncDeps) {
  return async function syncStatefulSet(key: string): Promise<void> {
    const cached = d.sets.store.get(key);
    if (!cached) return;
    const set = structuredClone(cached);
    set.apiVersion ??= "apps/v1";
    set.kind ??= "StatefulSet";
    if (set.metadata!.deletionTimestamp) return;
    const uid = set.metadata!.uid!;
    const ns = set.metadata!.namespace!;
    const name = set.metadata!.name!;
    const spec = set.spec;
    const replicas: number = spec.replicas ?? 1;
    // spec.ordinals.start: the set's ordinals are [start, start+replicas).
    const start: number = spec.ordinals?.start ?? 0;
    const inRange = (o: number) => o >= start && o < start + replicas;
    const status: Record<string, any> = structuredClone(set.status ?? {});
    const oldStatus = structuredClone(status);

    // Revisions: the update revision is the current template; current is what status says.
    const revisions = (await claimObjects(d.client, CONTROLLER_REVISIONS, set, STS_KIND, spec.selector, claimCandidates(d.revisions, ns, uid))).owned;
    const ens = await ensureRevision(d.client, set, STS_KIND, revisions, spec.template?.metadata?.labels ?? {}, status.collisionCount ?? 0);
    const updateRev = ens.revision;
    const allRevs = ens.created ? [...revisions, updateRev] : revisions.map((r) => (r.metadata!.name === updateRev.metadata!.name ? updateRev : r));
    const currentRev = allRevs.find((r) => r.metadata!.name === status.currentRevision) ?? updateRev;
    const hashOf = (r: KubeObject) => r.metadata!.labels![REVISION_HASH_LABEL] ?? r.metadata!.name!.slice(name.length + 1);
    const updateHash = hashOf(updateRev);
    const currentHash = hashOf(currentRev);
    const templateOf = (r: KubeObject) => r.data?.spec?.template ?? spec.template;

    const claimed = await claimPods(d.client, set, STS_KIND, spec.selector, claimCandidates(d.pods, ns, uid), (p) => ordinalOf(set, p) >= 0);
    const pods = claimed.owned;
    const byOrdinal = new Map<number, KubeObject>();
    for (const p of pods) {
      const o = ordinalOf(set, p);
      if (o >= 0) byOrdinal.set(o, p);
    }
    const monotonic = spec.podManagementPolicy !== "Parallel";
    const rolling = (spec.updateStrategy?.type ?? "RollingUpdate") === "RollingUpdate";
    const partition: number = rolling ? spec.updateStrategy?.rollingUpdate?.partition ?? 0 : 0;
    const retention = spec.persistentVolumeClaimRetentionPolicy ?? {};

    const ensureClaims = async (ordinal: number, pod: string) => {
      for (const t of spec.volumeClaimTemplates ?? []) {
        const claim = statefulClaim(set, t, ordinal);
        if (d.pvcs.store.get(`${ns}/${claim.metadata!.name}`)) continue;
        if (retention.whenDeleted === "Delete") claim.metadata!.ownerReferences = [{ apiVersion: "apps/v1", kind: "StatefulSet", name, uid, controller: true, blockOwnerDeletion: true }];
        const made = await d.client.create(PVCS, claim, { namespace: ns }).catch(ignoreAlreadyExists);
        if (made) d.recorder.event(set, "Normal", "SuccessfulCreate", `create Claim ${claim.metadata!.name} Pod ${pod} in StatefulSet ${name} success`);
      }
    };
    const createPod = async (ordinal: number) => {
      // RollingUpdate: ordinals below the partition keep the current revision; otherwise (and for OnDelete) the update revision.
      const useCurrent = rolling && ordinal - start < partition;
      const rev = useCurrent ? currentRev : updateRev;
      const pod = statefulPod(set, templateOf(rev), ordinal, hashOf(rev));
      await ensureClaims(ordinal, pod.metadata!.name!);
      // AlreadyExists means a stale cache or someone else's pod: fail the sync so it is retried with back-off.
      const made = await d.client.create<KubeObject>(PODS, pod, { namespace: ns }).catch((e) => {
        d.recorder.event(set, "Warning", "FailedCreate", `create Pod ${pod.metadata!.name} in StatefulSet ${name} failed error: ${(e as Error).message}`);
        throw e;
      });
      if (made) {
        d.recorder.event(set, "Normal", "SuccessfulCreate", `create Pod ${pod.metadata!.name} in StatefulSet ${name} successful`);
        byOrdinal.set(ordinal, made);
      }
    };
    const deletePod = async (pod: KubeObject) => {
      await d.client.delete(PODS, pod.metadata!.name!, { namespace: ns }).catch(ignoreNotFound);
      d.recorder.event(set, "Normal", "SuccessfulDelete", `delete Pod ${pod.metadata!.name} in StatefulSet ${name} successful`);
    };

    const run = async () => {
      // Replicas in ordinal order: create missing ones, replace failed ones.
      for (let o = start; o < start + replicas; o++) {
        const p = byOrdinal.get(o);
        if (p && isTerminal(p) && !isDeleting(p)) {
          d.recorder.event(set, "Warning", "RecreatingFailedPod", `StatefulSet ${ns}/${name} is recreating failed Pod ${p.metadata!.name}`);
          await deletePod(p);
          if (monotonic) return;
          continue;
        }
        if (!p) {
          await createPod(o);
          if (monotonic) return;
          continue;
        }
        if (monotonic && (isDeleting(p) || !runningAndReady(p))) return;
      }
      // Condemned: ordinals outside the range, highest first.
      const condemned = [...byOrdinal.keys()].filter((o) => !inRange(o)).sort((a, b) => b - a);
      for (const o of condemned) {
        const p = byOrdinal.get(o)!;
        if (isDeleting(p)) {
          if (monotonic) return;
          continue;
        }
        if (monotonic && [...byOrdinal.entries()].some(([x, q]) => x !== o && !runningAndReady(q))) return;
        if (retention.whenScaled === "Delete") await orphanClaimsTo(p, o);
        await deletePod(p);
        if (monotonic) return;
      }
      // Rolling update: the highest ordinal not on the update revision, one at a time.
      if (!rolling) return;
      for (let o = start + replicas - 1; o >= start + partition; o--) {
        const p = byOrdinal.get(o);
        if (!p) return;
        if (revisionOf(p) !== updateHash && !isDeleting(p)) {
          await deletePod(p);
          return;
        }
        if (!runningAndReady(p)) return;
      }
    };
    // whenScaled: Delete → the claim is owned by its pod, so it goes with it (upstream's way).
    const orphanClaimsTo = async (pod: KubeObject, ordinal: number) => {
      for (const t of spec.volumeClaimTemplates ?? []) {
        const cname = statefulClaim(set, t, ordinal).metadata!.name!;
        const c = d.pvcs.store.get(`${ns}/${cname}`);
        if (!c) continue;
        const refs = (c.metadata!.ownerReferences ?? []).filter((r) => r.uid !== uid);
        refs.push({ apiVersion: "v1", kind: "Pod", name: pod.metadata!.name!, uid: pod.metadata!.uid!, controller: true, blockOwnerDeletion: true });
        await d.client.patch(PVCS, cname, "merge", { metadata: { ownerReferences: refs } }, { namespace: ns }).catch(ignoreNotFound);
      }
    };
    await run();

    // Status.
    const now = d.now();
    const live = [...byOrdinal.values()];
    const minReady: number = spec.minReadySeconds ?? 0;
    status.observedGeneration = set.metadata!.generation;
    // As upstream computeReplicaStatus: ready means Running and Ready; revisions count non-terminating pods.
    const created = live.filter((p) => !!p.status?.phase);
    const settled = created.filter((p) => !isDeleting(p));
    status.replicas = created.length;
    status.readyReplicas = created.filter(runningAndReady).length;
    status.availableReplicas = created.filter((p) => runningAndReady(p) && isPodAvailable(p, minReady, now)).length;
    status.currentReplicas = settled.filter((p) => revisionOf(p) === currentHash).length;
    status.updatedReplicas = settled.filter((p) => revisionOf(p) === updateHash).length;
    status.currentRevision = currentRev.metadata!.name;
    status.updateRevision = updateRev.metadata!.name;
    status.collisionCount = ens.collisionCount;
    // A finished rolling update makes the update revision current.
    if (rolling && status.updatedReplicas === replicas && status.readyReplicas === replicas && status.replicas === replicas) {
      status.currentRevision = status.updateRevision;
      status.currentReplicas = status.updatedReplicas;
    }
    if (minReady > 0 && status.readyReplicas > status.availableReplicas) d.requeueAfter(key, minReady * 1000);
    if (!sameJSON(status, oldStatus)) await d.client.updateStatus(STATEFULSETS, { ...set, status });
    const keep = new Set([status.currentRevision, status.updateRevision]);
    for (const p of live) {
      const r = allRevs.find((x) => hashOf(x) === revisionOf(p));
      if (r) keep.add(r.metadata!.name!);
    }
    await truncateHistory(d.client, allRevs, keep, spec.revisionHistoryLimit ?? 10);
  };
}
