// ReplicaSet and ReplicationController controller (upstream pkg/controller/replicaset):
// keeps `replicas` active pods matching the selector, adopting orphans and releasing pods
// that no longer match, creating in slow-start batches and deleting the least valuable pods.
import type { KubeObject } from "../../api/types.ts";
import { StatusError } from "../../api/errors.ts";
import { labelSelectorFromSpec, matchesLabels, type LabelSelector } from "../../api/selectors/index.ts";
import { createWorkQueue, INDEX_NAMESPACE, metaNamespaceKey, splitKey } from "../../client/index.ts";
import type { GVR } from "../../client/types.ts";
import { controllerRef } from "../shared/handlers.ts";
import { runController } from "../shared/runner.ts";
import type { ControllerContext, RunningControllers } from "../types.ts";
import { createExpectations } from "./expectations.ts";
import { deletionOrder, isPodActive, isPodAvailable, isPodReady } from "./podutil.ts";

export const PODS: GVR = { group: "", version: "v1", resource: "pods" };
const BURST_REPLICAS = 500;

export interface ReplicaKind {
  name: string;
  component: string;
  gvr: GVR;
  apiVersion: string;
  kind: string;
  selector(o: KubeObject): LabelSelector;
}

export const REPLICA_SET: ReplicaKind = {
  name: "replicaset",
  component: "replicaset-controller",
  gvr: { group: "apps", version: "v1", resource: "replicasets" },
  apiVersion: "apps/v1",
  kind: "ReplicaSet",
  selector: (o) => labelSelectorFromSpec(o.spec?.selector),
};

export const REPLICATION_CONTROLLER: ReplicaKind = {
  name: "replicationcontroller",
  component: "replication-controller",
  gvr: { group: "", version: "v1", resource: "replicationcontrollers" },
  apiVersion: "v1",
  kind: "ReplicationController",
  selector: (o) => (o.spec?.selector && Object.keys(o.spec.selector).length ? labelSelectorFromSpec({ matchLabels: o.spec.selector }) : { requirements: [], nothing: true }),
};

const ignoreNotFound = (e: unknown) => {
  if (!(e instanceof StatusError && e.code === 404)) throw e;
};

export function startReplicaController(ctx: ControllerContext, k: ReplicaKind, opts: { workers?: number } = {}): RunningControllers {
  const { client } = ctx;
  const queue = createWorkQueue<string>();
  const owners = ctx.informers.forResource(k.gvr);
  const pods = ctx.informers.forResource(PODS);
  const exp = createExpectations();
  const recorder = ctx.recorder(k.component);

  const ownerOf = (p: KubeObject) => {
    const ref = controllerRef(p);
    if (!ref || ref.kind !== k.kind || ref.apiVersion.split("/")[0] !== k.apiVersion.split("/")[0]) return undefined;
    const o = owners.store.get(`${p.metadata!.namespace}/${ref.name}`);
    return o && o.metadata?.uid === ref.uid ? o : undefined;
  };
  const matchingOwners = (p: KubeObject) =>
    owners.store.byIndex(INDEX_NAMESPACE, p.metadata!.namespace!).filter((o) => matchesLabels(k.selector(o), p.metadata?.labels));
  const enqueueFor = (p: KubeObject) => {
    const ref = controllerRef(p);
    if (ref) {
      const o = ownerOf(p);
      if (o) queue.add(metaNamespaceKey(o));
      return;
    }
    for (const o of matchingOwners(p)) queue.add(metaNamespaceKey(o));
  };

  owners.addEventHandler({
    onAdd: (o) => queue.add(metaNamespaceKey(o)),
    onUpdate: (_old, o) => queue.add(metaNamespaceKey(o)),
    onDelete: (o) => {
      exp.delete(metaNamespaceKey(o));
      queue.add(metaNamespaceKey(o));
    },
  });
  pods.addEventHandler({
    onAdd(p) {
      const o = ownerOf(p);
      if (o) exp.creationObserved(metaNamespaceKey(o));
      if (p.metadata?.deletionTimestamp && o) exp.deletionObserved(metaNamespaceKey(o), metaNamespaceKey(p));
      enqueueFor(p);
    },
    onUpdate(old, cur) {
      const o = ownerOf(cur);
      if (o && cur.metadata?.deletionTimestamp && !old.metadata?.deletionTimestamp) exp.deletionObserved(metaNamespaceKey(o), metaNamespaceKey(cur));
      const oldRef = controllerRef(old);
      if (oldRef && oldRef.uid !== controllerRef(cur)?.uid) enqueueFor(old);
      enqueueFor(cur);
      // A pod that just became ready becomes available after minReadySeconds.
      if (o && !isPodReady(old) && isPodReady(cur) && (o.spec?.minReadySeconds ?? 0) > 0) queue.addAfter(metaNamespaceKey(o), o.spec.minReadySeconds * 1000 + 50);
    },
    onDelete(p) {
      const o = ownerOf(p);
      if (o) exp.deletionObserved(metaNamespaceKey(o), metaNamespaceKey(p));
      enqueueFor(p);
    },
  });

  const podFromTemplate = (o: KubeObject): KubeObject => {
    const t = o.spec?.template ?? {};
    const meta: Record<string, unknown> = {
      generateName: `${o.metadata!.name}-`,
      namespace: o.metadata!.namespace,
      labels: { ...(t.metadata?.labels ?? {}) },
      ownerReferences: [{ apiVersion: k.apiVersion, kind: k.kind, name: o.metadata!.name!, uid: o.metadata!.uid!, controller: true, blockOwnerDeletion: true }],
    };
    if (t.metadata?.annotations) meta.annotations = { ...t.metadata.annotations };
    if (t.metadata?.finalizers) meta.finalizers = [...t.metadata.finalizers];
    return { apiVersion: "v1", kind: "Pod", metadata: meta, spec: structuredClone(t.spec ?? {}) };
  };

  /** Adopts matching orphans and releases owned pods that stopped matching (ClaimPods). */
  const claim = async (o: KubeObject, all: KubeObject[]): Promise<KubeObject[]> => {
    const sel = k.selector(o);
    const uid = o.metadata!.uid!;
    const owned: KubeObject[] = [];
    for (const p of all) {
      const ref = controllerRef(p);
      const matches = matchesLabels(sel, p.metadata?.labels);
      if (ref?.uid === uid) {
        if (matches || o.metadata?.deletionTimestamp) owned.push(p);
        else {
          const refs = (p.metadata?.ownerReferences ?? []).filter((r) => r.uid !== uid);
          await client.patch(PODS, p.metadata!.name!, "merge", { metadata: { ownerReferences: refs.length ? refs : null, uid: p.metadata!.uid } }, { namespace: p.metadata!.namespace }).catch(ignoreNotFound);
        }
      } else if (!ref && matches && !o.metadata?.deletionTimestamp && !p.metadata?.deletionTimestamp) {
        const refs = [...(p.metadata?.ownerReferences ?? []), podFromTemplate(o).metadata!.ownerReferences![0]!];
        try {
          owned.push(await client.patch(PODS, p.metadata!.name!, "merge", { metadata: { ownerReferences: refs, uid: p.metadata!.uid } }, { namespace: p.metadata!.namespace }));
        } catch (e) {
          ignoreNotFound(e);
        }
      }
    }
    return owned;
  };

  const manage = async (o: KubeObject, key: string, active: KubeObject[]): Promise<void> => {
    const want = o.spec?.replicas ?? 1;
    const diff = active.length - want;
    if (diff < 0) {
      let n = Math.min(-diff, BURST_REPLICAS);
      exp.expectCreations(key, n);
      let batch = 1;
      let err: unknown;
      while (n > 0 && !err) {
        const size = Math.min(batch, n);
        const results = await Promise.allSettled(Array.from({ length: size }, () => client.create(PODS, podFromTemplate(o), { namespace: o.metadata!.namespace })));
        for (const r of results) {
          if (r.status === "fulfilled") recorder.event(o, "Normal", "SuccessfulCreate", `Created pod: ${r.value.metadata!.name}`);
          else {
            exp.lowerCreations(key, 1);
            err = r.reason;
            recorder.event(o, "Warning", "FailedCreate", `Error creating: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`);
          }
        }
        n -= size;
        batch *= 2;
      }
      if (err) {
        exp.lowerCreations(key, n); // batches never sent
        throw err;
      }
    } else if (diff > 0) {
      const victims = deletionOrder(active).slice(0, Math.min(diff, BURST_REPLICAS));
      exp.expectDeletions(key, victims.map(metaNamespaceKey));
      const results = await Promise.allSettled(victims.map((p) => client.delete(PODS, p.metadata!.name!, { namespace: p.metadata!.namespace, preconditions: { uid: p.metadata!.uid! } })));
      let err: unknown;
      results.forEach((r, i) => {
        const p = victims[i]!;
        if (r.status === "fulfilled") recorder.event(o, "Normal", "SuccessfulDelete", `Deleted pod: ${p.metadata!.name}`);
        else if (r.reason instanceof StatusError && (r.reason.code === 404 || r.reason.code === 409)) exp.deletionObserved(key, metaNamespaceKey(p));
        else {
          exp.deletionObserved(key, metaNamespaceKey(p));
          err = r.reason;
          recorder.event(o, "Warning", "FailedDelete", `Error deleting: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`);
        }
      });
      if (err) throw err;
    }
  };

  const sync = async (key: string) => {
    const o = owners.store.get(key);
    if (!o) {
      exp.delete(key);
      return;
    }
    const { namespace } = splitKey(key);
    const needsSync = exp.satisfied(key);
    const candidates = pods.store.byIndex(INDEX_NAMESPACE, namespace).filter(isPodActive);
    const active = await claim(o, candidates);
    let failure: { reason: string; message: string } | undefined;
    let syncErr: unknown;
    if (needsSync && !o.metadata?.deletionTimestamp) {
      try {
        await manage(o, key, active);
      } catch (e) {
        syncErr = e;
        const want = o.spec?.replicas ?? 1;
        failure = { reason: active.length < want ? "FailedCreate" : "FailedDelete", message: e instanceof Error ? e.message : String(e) };
      }
    }
    await writeStatus(o, active, failure);
    if (syncErr) throw syncErr;
    const mrs = o.spec?.minReadySeconds ?? 0;
    const st = computeStatus(o, active, ctx.config.now(), failure);
    if (mrs > 0 && st.readyReplicas === (o.spec?.replicas ?? 1) && st.availableReplicas !== st.readyReplicas) queue.addAfter(key, mrs * 1000);
  };

  const writeStatus = async (o: KubeObject, active: KubeObject[], failure?: { reason: string; message: string }) => {
    const st = computeStatus(o, active, ctx.config.now(), failure);
    if (JSON.stringify(st) === JSON.stringify(o.status ?? {})) return;
    const next = structuredClone(o);
    next.status = st;
    await client.updateStatus(k.gvr, next, { namespace: o.metadata!.namespace }).catch(ignoreNotFound);
  };

  const running = runController({ name: k.name, workers: opts.workers ?? 5, queue, sync, logger: ctx.logger });
  return { stop: () => running.stop() };
}

/** The status upstream's calculateStatus produces (zero counts omitted, as Go's omitempty does). */
export function computeStatus(o: KubeObject, active: KubeObject[], now: Date, failure?: { reason: string; message: string }): Record<string, unknown> {
  const tmplLabels: Record<string, string> = o.spec?.template?.metadata?.labels ?? {};
  const mrs = o.spec?.minReadySeconds ?? 0;
  let fully = 0, ready = 0, available = 0;
  for (const p of active) {
    const l = p.metadata?.labels ?? {};
    if (Object.entries(tmplLabels).every(([a, b]) => l[a] === b)) fully++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, mrs, now)) available++;
    }
  }
  const st: Record<string, unknown> = { replicas: active.length };
  if (fully) st.fullyLabeledReplicas = fully;
  if (ready) st.readyReplicas = ready;
  if (available) st.availableReplicas = available;
  st.observedGeneration = o.metadata?.generation ?? 0;
  const prev = (o.status?.conditions ?? []).filter((c: { type: string }) => c.type !== "ReplicaFailure");
  const prevFail = (o.status?.conditions ?? []).find((c: { type: string }) => c.type === "ReplicaFailure");
  if (failure) {
    const ltt = prevFail && prevFail.reason === failure.reason ? prevFail.lastTransitionTime : now.toISOString().replace(/\.\d{3}Z$/, "Z");
    prev.push({ type: "ReplicaFailure", status: "True", lastTransitionTime: ltt, reason: failure.reason, message: failure.message });
  }
  if (prev.length) st.conditions = prev;
  return st;
}
