// syncDaemonSet (upstream pkg/controller/daemon): one pod per eligible node, pinned with node
// affinity; extra, misplaced and failed pods deleted; RollingUpdate bounded by maxUnavailable.
import type { KubeObject } from "../../api/types.ts";
import type { Client, SharedInformer } from "../../client/types.ts";
import type { EventRecorder } from "../shared/events.ts";
import { CONTROLLER_REVISIONS, PODS, isDeleting, isPodAvailable, isPodReady, isTerminal, podFromTemplate, sameJSON, scaledValue } from "../history/podutil.ts";
import { REVISION_HASH_LABEL, ensureRevision, truncateHistory } from "../history/revision.ts";
import { ignoreNotFound } from "../history/controller.ts";
import type { Expectations } from "../history/expectations.ts";
import { nodeEligibility, pinToNode, targetNodeName, withDaemonTolerations } from "./eligibility.ts";
import { claimCandidates, claimObjects, claimPods } from "../history/adopt.ts";

export const DAEMONSETS = { group: "apps", version: "v1", resource: "daemonsets" };
export const DS_KIND = { apiVersion: "apps/v1", kind: "DaemonSet" };

export interface DaemonSetSyncDeps {
  client: Client;
  sets: SharedInformer;
  pods: SharedInformer;
  nodes: SharedInformer;
  revisions: SharedInformer;
  recorder: EventRecorder;
  now: () => Date;
  requeueAfter: (key: string, ms: number) => void;
  expectations: Expectations;
}

export function daemonPod(ds: KubeObject, nodeName: string, hash: string): KubeObject {
  const pod = podFromTemplate(ds.spec.template, ds, DS_KIND);
  pod.metadata!.generateName = `${ds.metadata!.name}-`;
  pod.metadata!.labels = { ...pod.metadata!.labels, [REVISION_HASH_LABEL]: hash, "pod-template-generation": String(ds.metadata!.generation ?? 1) };
  pod.spec.tolerations = withDaemonTolerations(pod.spec.tolerations, !!pod.spec.hostNetwork);
  pinToNode(pod.spec, nodeName);
  return pod;
}

export function createDaemonSetSync(d: DaemonSetSyncDeps) {
  return async function syncDaemonSet(key: string): Promise<void> {
    const cached = d.sets.store.get(key);
    if (!cached) return d.expectations.forget(key);
    const ds = structuredClone(cached);
    ds.apiVersion ??= "apps/v1";
    ds.kind ??= "DaemonSet";
    if (ds.metadata!.deletionTimestamp) return;
    const uid = ds.metadata!.uid!;
    const ns = ds.metadata!.namespace!;
    const oldStatus = structuredClone(ds.status ?? {});
    const status: Record<string, any> = structuredClone(ds.status ?? {});
    const revisions = (await claimObjects(d.client, CONTROLLER_REVISIONS, ds, DS_KIND, ds.spec.selector, claimCandidates(d.revisions, ns, uid))).owned;
    const ens = await ensureRevision(d.client, ds, DS_KIND, revisions, ds.spec.template?.metadata?.labels ?? {}, status.collisionCount ?? 0);
    const hash = ens.revision.metadata!.labels![REVISION_HASH_LABEL]!;
    const allRevs = ens.created ? [...revisions, ens.revision] : revisions;

    const pods = (await claimPods(d.client, ds, DS_KIND, ds.spec.selector, claimCandidates(d.pods, ns, uid))).owned;
    const byNode = new Map<string, KubeObject[]>();
    for (const p of pods) {
      const n = targetNodeName(p);
      if (n) byNode.set(n, [...(byNode.get(n) ?? []), p]);
    }
    const nodes = d.nodes.store.list();
    const nodeNames = new Set(nodes.map((n) => n.metadata!.name!));
    const now = d.now();
    const minReady: number = ds.spec.minReadySeconds ?? 0;
    const toDelete: KubeObject[] = [];
    const toCreate: string[] = [];
    // (desired: nodes that should run a daemon pod)
    const rolling = (ds.spec.updateStrategy?.type ?? "RollingUpdate") === "RollingUpdate";
    const byAge = (a: KubeObject, b: KubeObject) => String(a.metadata!.creationTimestamp).localeCompare(String(b.metadata!.creationTimestamp));
    const isNew = (p: KubeObject) => p.metadata!.labels?.[REVISION_HASH_LABEL] === hash;
    let desired = 0;
    for (const node of nodes) if (nodeEligibility(ds.spec.template.spec ?? {}, node).shouldRun) desired++;
    const ru = ds.spec.updateStrategy?.rollingUpdate ?? {};
    const maxSurge = rolling ? scaledValue(ru.maxSurge ?? 0, desired, true) : 0;
    let maxUnavailable = rolling ? scaledValue(ru.maxUnavailable ?? 1, desired, true) : 0;
    if (rolling && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
    // Per node: the pods kept (one, or one old plus one new while surging).
    const kept = new Map<string, { old?: KubeObject; cur?: KubeObject }>();
    for (const node of nodes) {
      const name = node.metadata!.name!;
      const e = nodeEligibility(ds.spec.template.spec ?? {}, node);
      const here = (byNode.get(name) ?? []).filter((p) => !isDeleting(p));
      if (!e.shouldContinueRunning) {
        toDelete.push(...here);
        continue;
      }
      const failed = here.filter(isTerminal);
      toDelete.push(...failed);
      for (const f of failed) d.recorder.event(ds, "Warning", "FailedDaemonPod", `Found failed daemon pod ${ns}/${f.metadata!.name} on node ${name}, will try to kill it`);
      const alive = here.filter((p) => !isTerminal(p)).sort(byAge);
      if (!alive.length) {
        if (e.shouldRun && !(byNode.get(name) ?? []).some((p) => !failed.includes(p))) {
          if (failed.length) d.requeueAfter(key, 1000);
          else toCreate.push(name);
        }
        continue;
      }
      if (maxSurge > 0) {
        // Surging: one pod of the update revision and one older one may share a node.
        const cur = alive.find(isNew);
        const old = alive.find((p) => !isNew(p));
        toDelete.push(...alive.filter((p) => p !== cur && p !== old));
        kept.set(name, { cur, old });
      } else {
        toDelete.push(...alive.slice(1));
        kept.set(name, isNew(alive[0]!) ? { cur: alive[0] } : { old: alive[0] });
      }
    }
    // Pods pinned to nodes that no longer exist.
    for (const [n, ps] of byNode) if (!nodeNames.has(n)) toDelete.push(...ps.filter((p) => !isDeleting(p)));

    if (rolling) {
      const avail = (p?: KubeObject) => !!p && isPodAvailable(p, minReady, now);
      const eligible = nodes.filter((n) => nodeEligibility(ds.spec.template.spec ?? {}, n).shouldRun).map((n) => n.metadata!.name!);
      if (maxSurge > 0) {
        // maxSurge: start the new pod beside the old one, delete the old once the new is available.
        let surging = eligible.filter((n) => kept.get(n)?.cur && kept.get(n)?.old).length;
        for (const n of eligible) {
          const k = kept.get(n);
          if (!k?.old) continue;
          if (k.cur) {
            if (avail(k.cur)) toDelete.push(k.old);
          } else if (!avail(k.old)) toDelete.push(k.old);
          else if (surging < maxSurge) {
            toCreate.push(n);
            surging++;
          }
        }
      } else {
        // maxUnavailable: replace old pods while at most that many nodes lack an available pod.
        let unavailable = eligible.filter((n) => !avail(kept.get(n)?.cur ?? kept.get(n)?.old)).length;
        for (const n of eligible) {
          const old = kept.get(n)?.old;
          if (!old) continue;
          if (!avail(old)) toDelete.push(old);
          else if (unavailable < maxUnavailable) {
            toDelete.push(old);
            unavailable++;
          }
        }
      }
    }

    // Act only once the cache shows our previous creates and deletes.
    if (!d.expectations.satisfied(key, pods)) {
      toDelete.length = 0;
      toCreate.length = 0;
    }
    for (const p of new Set(toDelete)) {
      d.expectations.expectDeleted(key, [p.metadata!.uid!]);
      await d.client.delete(PODS, p.metadata!.name!, { namespace: ns }).catch(ignoreNotFound);
      d.recorder.event(ds, "Normal", "SuccessfulDelete", `Deleted pod: ${p.metadata!.name}`);
    }
    for (const n of toCreate) {
      const made = await d.client.create<KubeObject>(PODS, daemonPod(ds, n, hash), { namespace: ns }).catch((e) => {
        d.recorder.event(ds, "Warning", "FailedCreate", `Error creating: ${(e as Error).message}`);
        throw e;
      });
      d.expectations.expectCreated(key, [made.metadata!.uid!]);
      d.recorder.event(ds, "Normal", "SuccessfulCreate", `Created pod: ${made.metadata!.name}`);
    }

    // Status from the pods as seen now (before our writes land in the cache).
    let current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0;
    for (const node of nodes) {
      const name = node.metadata!.name!;
      const e = nodeEligibility(ds.spec.template.spec ?? {}, node);
      const here = (byNode.get(name) ?? []).filter((p) => !isDeleting(p) && !isTerminal(p));
      if (!here.length) continue;
      if (!e.shouldRun) {
        misscheduled++;
        continue;
      }
      current++;
      const p = [...here].sort(byAge)[0]!;
      if (isPodReady(p)) ready++;
      if (isPodAvailable(p, minReady, now)) available++;
      if (p.metadata!.labels?.[REVISION_HASH_LABEL] === hash) updated++;
    }
    Object.assign(status, {
      observedGeneration: ds.metadata!.generation,
      desiredNumberScheduled: desired,
      currentNumberScheduled: current,
      numberMisscheduled: misscheduled,
      numberReady: ready,
      numberAvailable: available,
      numberUnavailable: Math.max(0, desired - available),
      updatedNumberScheduled: updated,
    });
    if (ens.collisionCount) status.collisionCount = ens.collisionCount;
    if (!status.numberAvailable) delete status.numberAvailable;
    if (!status.numberUnavailable) delete status.numberUnavailable;
    if (!status.updatedNumberScheduled) delete status.updatedNumberScheduled;
    if (minReady > 0 && ready > available) d.requeueAfter(key, minReady * 1000);
    if (!sameJSON(status, oldStatus)) await d.client.updateStatus(DAEMONSETS, { ...ds, status });
    const keep = new Set<string>([ens.revision.metadata!.name!]);
    for (const p of pods) {
      const r = allRevs.find((x) => x.metadata!.labels?.[REVISION_HASH_LABEL] === p.metadata!.labels?.[REVISION_HASH_LABEL]);
      if (r) keep.add(r.metadata!.name!);
    }
    await truncateHistory(d.client, allRevs, keep, ds.spec.revisionHistoryLimit ?? 10);
  };
}
