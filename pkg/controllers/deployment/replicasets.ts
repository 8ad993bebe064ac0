// A deployment's ReplicaSets: claiming, finding or creating the new one (with revisions and
// the pod-template-hash), scaling with the replicas annotations, history cleanup.
import type { KubeObject } from "../../api/types.ts";
import { StatusError } from "../../api/errors.ts";
import { labelSelectorFromSpec, matchesLabels } from "../../api/selectors/index.ts";
import type { Client } from "../../client/types.ts";
import type { EventRecorder } from "../shared/events.ts";
import { controllerRef } from "../shared/handlers.ts";
import { computeHash, DESIRED_REPLICAS, equalIgnoreHash, HASH_LABEL, isRolling, MAX_REPLICAS, maxRevision, maxSurge, replicasOf, revisionOf, setNewRSAnnotations } from "./util.ts";

export const DEPLOYMENTS = { group: "apps", version: "v1", resource: "deployments" };
export const REPLICASETS = { group: "apps", version: "v1", resource: "replicasets" };

export const byCreation = (a: KubeObject, b: KubeObject) =>
  (a.metadata?.creationTimestamp ?? "").localeCompare(b.metadata?.creationTimestamp ?? "") || (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? "");
export const specReplicas = (rs: KubeObject | undefined): number => (rs ? replicasOf(rs) : 0);
export const sumSpec = (rss: KubeObject[]) => rss.reduce((n, rs) => n + specReplicas(rs), 0);

const ignoreNotFound = (e: unknown) => {
  if (!(e instanceof StatusError && e.code === 404)) throw e;
};

export interface RSOps {
  claim(d: KubeObject, candidates: KubeObject[]): Promise<KubeObject[]>;
  scale(rs: KubeObject, n: number, d: KubeObject): Promise<{ scaled: boolean; rs: KubeObject }>;
  cleanup(old: KubeObject[], d: KubeObject): Promise<void>;
  /** A new ReplicaSet for the deployment's current template (created with replicas from `count`). */
  create(d: KubeObject, old: KubeObject[], revision: number, count: (rs: KubeObject) => number): Promise<KubeObject | "collision">;
  /** Brings an existing new ReplicaSet's annotations and minReadySeconds up to date. */
  refresh(d: KubeObject, rs: KubeObject, old: KubeObject[]): Promise<KubeObject>;
}

export function createRSOps(client: Client, recorder: EventRecorder): RSOps {
  const ownerRef = (d: KubeObject) => ({ apiVersion: "apps/v1", kind: "Deployment", name: d.metadata!.name!, uid: d.metadata!.uid!, controller: true, blockOwnerDeletion: true });
  return {
    async claim(d, candidates) {
      const sel = labelSelectorFromSpec(d.spec?.selector);
      const owned: KubeObject[] = [];
      for (const rs of candidates) {
        const ref = controllerRef(rs);
        const matches = matchesLabels(sel, rs.metadata?.labels);
        if (ref?.uid === d.metadata!.uid) {
          if (matches || d.metadata?.deletionTimestamp) owned.push(rs);
          else {
            const refs = (rs.metadata?.ownerReferences ?? []).filter((r) => r.uid !== d.metadata!.uid);
            await client.patch(REPLICASETS, rs.metadata!.name!, "merge", { metadata: { ownerReferences: refs.length ? refs : null, uid: rs.metadata!.uid } }, { namespace: rs.metadata!.namespace }).catch(ignoreNotFound);
          }
        } else if (!ref && matches && !d.metadata?.deletionTimestamp && !rs.metadata?.deletionTimestamp) {
          const refs = [...(rs.metadata?.ownerReferences ?? []), ownerRef(d)];
          try {
            owned.push(await client.patch(REPLICASETS, rs.metadata!.name!, "merge", { metadata: { ownerReferences: refs, uid: rs.metadata!.uid } }, { namespace: rs.metadata!.namespace }));
          } catch (e) {
            ignoreNotFound(e);
          }
        }
      }
      return owned;
    },

    async scale(rs, n, d) {
      const size = specReplicas(rs) !== n;
      const desired = String(replicasOf(d));
      const max = String(replicasOf(d) + maxSurge(d));
      const ann = rs.metadata?.annotations ?? {};
      if (!size && ann[DESIRED_REPLICAS] === desired && ann[MAX_REPLICAS] === max) return { scaled: false, rs };
      const c = structuredClone(rs);
      c.spec.replicas = n;
      c.metadata!.annotations = { ...ann, [DESIRED_REPLICAS]: desired, [MAX_REPLICAS]: max };
      const out = await client.update<KubeObject>(REPLICASETS, c);
      if (size) recorder.event(d, "Normal", "ScalingReplicaSet", `Scaled ${specReplicas(rs) < n ? "up" : "down"} replica set ${rs.metadata!.name} from ${specReplicas(rs)} to ${n}`);
      return { scaled: size, rs: out };
    },

    async cleanup(old, d) {
      const limit = d.spec?.revisionHistoryLimit ?? 10;
      const alive = old.filter((rs) => !rs.metadata?.deletionTimestamp);
      const diff = alive.length - limit;
      if (diff <= 0) return;
      const sorted = [...alive].sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
      for (const rs of sorted.slice(0, diff)) {
        if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0 || (rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
        await client.delete(REPLICASETS, rs.metadata!.name!, { namespace: rs.metadata!.namespace, preconditions: { uid: rs.metadata!.uid! } }).catch(ignoreNotFound);
      }
    },

    async create(d, old, revision, count) {
      const hash = computeHash(d.spec.template, d.status?.collisionCount);
      const template = structuredClone(d.spec.template);
      template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash } };
      const selector = structuredClone(d.spec.selector ?? {});
      selector.matchLabels = { ...(selector.matchLabels ?? {}), [HASH_LABEL]: hash };
      const name = `${d.metadata!.name}-${hash}`;
      const rs: KubeObject = {
        apiVersion: "apps/v1",
        kind: "ReplicaSet",
        metadata: { name, namespace: d.metadata!.namespace, labels: { ...template.metadata.labels }, ownerReferences: [ownerRef(d)] },
        spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
      };
      rs.spec.replicas = count(rs);
      setNewRSAnnotations(d, rs, revision, false);
      try {
        const created = await client.create<KubeObject>(REPLICASETS, rs, { namespace: d.metadata!.namespace });
        if (rs.spec.replicas > 0) recorder.event(d, "Normal", "ScalingReplicaSet", `Scaled up replica set ${name} from 0 to ${rs.spec.replicas}`);
        return created;
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 409)) {
          recorder.event(d, "Warning", "FailedCreate", `Failed to create new replica set "${name}": ${e instanceof Error ? e.message : String(e)}`);
          throw e;
        }
        // Ours but not yet in the cache, or a hash collision with another template.
        const existing = await client.get<KubeObject>(REPLICASETS, name, { namespace: d.metadata!.namespace });
        if (controllerRef(existing)?.uid === d.metadata!.uid && equalIgnoreHash(existing.spec?.template, d.spec.template)) return existing;
        return "collision";
      }
    },

    async refresh(d, rs, old) {
      const c = structuredClone(rs);
      const changed = setNewRSAnnotations(d, c, maxRevision(old) + 1, true);
      const mrs = d.spec?.minReadySeconds ?? 0;
      if (!changed && (c.spec.minReadySeconds ?? 0) === mrs) return rs;
      c.spec.minReadySeconds = mrs;
      return client.update<KubeObject>(REPLICASETS, c);
    },
  };
}

/** NewRSNewReplicas: how far the new ReplicaSet may grow now. */
export function newRSNewReplicas(d: KubeObject, all: KubeObject[], newRS: KubeObject): number {
  if (!isRolling(d)) return replicasOf(d);
  const current = sumSpec(all);
  const maxTotal = replicasOf(d) + maxSurge(d);
  if (current >= maxTotal) return specReplicas(newRS);
  const up = Math.min(maxTotal - current, replicasOf(d) - specReplicas(newRS));
  return specReplicas(newRS) + up;
}
