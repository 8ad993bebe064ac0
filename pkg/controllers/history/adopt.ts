// Pod adoption and release (upstream ControllerRefManager): orphans matching an owner's selector
// get its controller ownerReference; owned pods that stopped matching are released.
import type { KubeObject } from "../../api/types.ts";
import type { Client, EventHandler, GVR, SharedInformer, WorkQueue } from "../../client/types.ts";
import { INDEX_NAMESPACE, INDEX_OWNER_UID } from "../../client/store.ts";
import { labelSelectorFromSpec, matchesLabels, type LabelSelectorSpec } from "../../api/selectors/labels.ts";
import { StatusError } from "../../api/errors.ts";
import { PODS, ownerRefTo, type OwnerInfo } from "./podutil.ts";

export interface ClaimResult {
  /** Pods the owner controls after adoption and release. */
  owned: KubeObject[];
  adopted: number;
  released: number;
}

/**
 * `candidates` are the namespace's pods (from the cache); `canAdopt` filters orphans further
 * (a StatefulSet only adopts its own names). Objects in the result are never the cached ones
 * when they were patched here.
 */
export function claimPods(client: Client, owner: KubeObject, info: OwnerInfo, selector: LabelSelectorSpec | undefined, candidates: KubeObject[], canAdopt: (pod: KubeObject) => boolean = () => true): Promise<ClaimResult> {
  return claimObjects(client, PODS, owner, info, selector, candidates, canAdopt);
}

/** claimPods for any namespaced resource (ControllerRevisions too, as upstream ClaimControllerRevisions). */
export async function claimObjects(client: Client, gvr: GVR, owner: KubeObject, info: OwnerInfo, selector: LabelSelectorSpec | undefined, candidates: KubeObject[], canAdopt: (obj: KubeObject) => boolean = () => true): Promise<ClaimResult> {
  const uid = owner.metadata!.uid!;
  const sel = labelSelectorFromSpec(selector);
  const owned: KubeObject[] = [];
  let adopted = 0;
  let released = 0;
  const gone = (e: unknown) => {
    // The pod changed or went away meanwhile: leave it to the next sync.
    if (e instanceof StatusError && (e.code === 404 || e.code === 409 || e.code === 422)) return undefined;
    throw e;
  };
  for (const pod of candidates) {
    const ref = pod.metadata?.ownerReferences?.find((r) => r.controller);
    const matches = matchesLabels(sel, pod.metadata?.labels ?? {});
    if (ref?.uid === uid) {
      if (matches || pod.metadata?.deletionTimestamp) {
        owned.push(pod);
        continue;
      }
      const refs = (pod.metadata!.ownerReferences ?? []).filter((r) => r.uid !== uid);
      const ok = await client.patch(gvr, pod.metadata!.name!, "merge", { metadata: { uid: pod.metadata!.uid, ownerReferences: refs } }, { namespace: pod.metadata!.namespace }).catch(gone);
      if (ok) released++;
      continue;
    }
    // Never adopt while the owner itself is going away, nor pods already leaving.
    if (ref || !matches || owner.metadata!.deletionTimestamp || pod.metadata?.deletionTimestamp || !canAdopt(pod)) continue;
    const refs = [...(pod.metadata!.ownerReferences ?? []), ownerRefTo(owner, info)];
    const patched = await client.patch<KubeObject>(gvr, pod.metadata!.name!, "merge", { metadata: { uid: pod.metadata!.uid, ownerReferences: refs } }, { namespace: pod.metadata!.namespace }).catch(gone);
    if (patched) {
      owned.push(patched);
      adopted++;
    }
  }
  return { owned, adopted, released };
}

/** Pods without a controller enqueue every owner in their namespace whose selector matches (upstream addPod for orphans). */
export function enqueueOrphanOwners(queue: WorkQueue<string>, owners: SharedInformer): EventHandler {
  const check = (pod: KubeObject) => {
    if (pod.metadata?.ownerReferences?.some((r) => r.controller)) return;
    const ns = pod.metadata?.namespace ?? "";
    for (const o of owners.store.byIndex(INDEX_NAMESPACE, ns)) {
      if (matchesLabels(labelSelectorFromSpec(o.spec?.selector), pod.metadata?.labels ?? {})) queue.add(`${ns}/${o.metadata!.name}`);
    }
  };
  return { onAdd: check, onUpdate: (_o, p) => check(p) };
}

/** The owned objects plus the namespace's orphans: what claimPods/claimObjects look at. */
export function claimCandidates(inf: SharedInformer, namespace: string, uid: string): KubeObject[] {
  const owned = inf.store.byIndex(INDEX_OWNER_UID, uid);
  const orphans = inf.store.byIndex(INDEX_NAMESPACE, namespace).filter((p) => !p.metadata?.ownerReferences?.some((r) => r.controller));
  return [...owned, ...orphans];
}
