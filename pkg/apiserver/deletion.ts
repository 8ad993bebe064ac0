// Deletion semantics: preconditions, propagation finalizers, graceful pod deletion,
// finalizer-pending deletion, namespaces' two-phase delete.
import type { KubeObject, ResourceInfo } from "../api/types.ts";
import { conflict, forbidden } from "../api/errors.ts";

// Upstream refuses to delete these (the namespace lifecycle admission plugin).
const IMMORTAL_NAMESPACES = new Set(["default", "kube-system", "kube-public"]);
import { StorageError } from "../storage/types.ts";
import type { Server } from "./context.ts";
import type { DeleteOptions } from "./handlers/deleteoptions.ts";
import { getObject, removeObject, isService } from "./objects.ts";
import { encodeFor, groupResource, storageToStatus } from "./store.ts";
import { nowRFC3339 } from "./deps/meta.ts";
import { bumpGeneration } from "./strategy.ts";

export interface DeleteResult {
  obj: KubeObject;
  /** Gone from storage (false: deletion pending on finalizers or a grace period). */
  deleted: boolean;
}

const isCore = (info: ResourceInfo, r: string) => info.group === "" && info.resource === r;

function propagationFinalizers(finalizers: string[], opts: DeleteOptions): string[] {
  let orphan: boolean | undefined;
  let foreground: boolean | undefined;
  if (opts.propagationPolicy === "Orphan" || opts.orphanDependents === true) [orphan, foreground] = [true, false];
  else if (opts.propagationPolicy === "Foreground") [orphan, foreground] = [false, true];
  else if (opts.propagationPolicy === "Background" || opts.orphanDependents === false) [orphan, foreground] = [false, false];
  let out = [...finalizers];
  const set = (f: string, on: boolean | undefined) => {
    if (on === undefined) return;
    if (on && !out.includes(f)) out.push(f);
    if (!on) out = out.filter((x) => x !== f);
  };
  set("orphan", orphan);
  set("foregroundDeletion", foreground);
  return out;
}

function podGrace(pod: KubeObject, opts: DeleteOptions): number {
  if (!pod.spec?.nodeName) return 0; // never scheduled: nothing to stop
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") return 0;
  let g = opts.gracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
  if (g < 0) g = 1;
  return g;
}

export async function deleteObject(s: Server, info: ResourceInfo, namespace: string | undefined, name: string, opts: DeleteOptions): Promise<DeleteResult> {
  if (isCore(info, "namespaces") && IMMORTAL_NAMESPACES.has(name)) throw forbidden(groupResource(info), name, "this namespace may not be deleted");
  for (let attempt = 0; attempt < 16; attempt++) {
    const { obj, kv } = await getObject(s, info, namespace, name);
    const m = obj.metadata!;
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== m.uid)
      throw conflict(groupResource(info), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${m.uid}`);
    if (pre?.resourceVersion && pre.resourceVersion !== m.resourceVersion)
      throw conflict(groupResource(info), name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${m.resourceVersion}`);

    const finalizers = propagationFinalizers(m.finalizers ?? [], opts);
    let grace = isCore(info, "pods") ? podGrace(obj, opts) : 0;
    const nsPending = isCore(info, "namespaces") && (obj.spec?.finalizers ?? []).length > 0;
    // Already deleting: a shorter grace period may be asked for; otherwise keep the one set.
    if (m.deletionTimestamp && m.deletionGracePeriodSeconds !== undefined && grace > m.deletionGracePeriodSeconds) grace = m.deletionGracePeriodSeconds;

    if (finalizers.length === 0 && grace === 0 && !nsPending) {
      if (opts.dryRun) return { obj, deleted: true };
      try {
        const out = await removeObject(s, info, obj, kv);
        return { obj: out, deleted: true };
      } catch (e) {
        if ((e as any)?.code === 409) continue;
        throw e;
      }
    }
    const next = structuredClone(obj);
    const nm = next.metadata!;
    const now = s.now().getTime();
    if (!nm.deletionTimestamp || (isCore(info, "pods") && grace < (m.deletionGracePeriodSeconds ?? Infinity)))
      nm.deletionTimestamp = nowRFC3339(now + grace * 1000);
    nm.deletionGracePeriodSeconds = grace;
    if (finalizers.length) nm.finalizers = finalizers;
    else delete nm.finalizers;
    if (isCore(info, "namespaces")) next.status = { ...(next.status ?? {}), phase: "Terminating" };
    bumpGeneration(info, next, obj);
    if (encodeFor(info, next) === kv.value) return { obj, deleted: false };
    if (opts.dryRun) return { obj: next, deleted: false };
    try {
      const nkv = await s.backend.update(kv.key, encodeFor(info, next), kv.modRevision);
      nm.resourceVersion = String(nkv.modRevision);
      return { obj: next, deleted: false };
    } catch (e) {
      if (e instanceof StorageError && e.code === "Conflict") continue;
      throw storageToStatus(e, info, name);
    }
  }
  throw conflict(groupResource(info), name, "too many concurrent writes; retry");
}

/** Kinds whose DELETE answers with the object itself rather than a Status (upstream ReturnDeletedObject). */
export const returnsDeletedObject = (info: ResourceInfo) => isCore(info, "pods") || isService(info) || isCore(info, "namespaces") || info.group === "apiextensions.k8s.io";
