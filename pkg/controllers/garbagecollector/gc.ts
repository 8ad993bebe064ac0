// Garbage collector (kube-controller-manager's garbagecollector): watches every served
// resource, deletes dependents whose owners are gone (Background), drains dependents of
// owners deleted with the `foregroundDeletion` finalizer, and strips owner references
// from dependents of owners deleted with the `orphan` finalizer.
import type { KubeObject } from "../../api/types.ts";
import { StatusError } from "../../api/errors.ts";
import { createWorkQueue, INDEX_OWNER_UID, metaNamespaceKey } from "../../client/index.ts";
import type { Client, GVR, SharedInformer } from "../../client/types.ts";
import { runController } from "../shared/runner.ts";
import type { ControllerContext, RunningControllers } from "../types.ts";
import { discoverResources, groupOf, gvrKey, type DiscoveredResource } from "./discovery.ts";

type Ref = NonNullable<NonNullable<KubeObject["metadata"]>["ownerReferences"]>[number];
interface Monitor {
  res: DiscoveredResource;
  informer: SharedInformer;
}

// Upstream ignores events (never owners, never worth a watch for this).
const IGNORED = new Set(["/v1/events", "events.k8s.io/v1/events"]);

export interface GCOptions {
  /** How often discovery is refreshed to pick up new resources such as CRDs. */
  rediscoverMs?: number;
  workers?: number;
}

const isGone = (e: unknown) => e instanceof StatusError && (e.code === 404 || e.code === 409);

export async function startGarbageCollector(ctx: ControllerContext, opts: GCOptions = {}): Promise<RunningControllers> {
  const { client } = ctx;
  const queue = createWorkQueue<string>();
  const monitors = new Map<string, Monitor>();
  const byGroupKind = new Map<string, Monitor>();
  const sep = "|";

  const itemKey = (m: Monitor, o: KubeObject) => gvrKey(m.res.gvr) + sep + metaNamespaceKey(o);
  const ownerMonitor = (r: Ref) => byGroupKind.get(`${groupOf(r.apiVersion)}/${r.kind}`);
  const ownerKey = (m: Monitor, r: Ref, ns: string | undefined) => (m.res.namespaced && ns ? `${ns}/${r.name}` : r.name);
  const deleting = (o: KubeObject) => !!o.metadata?.deletionTimestamp;
  const hasFinalizer = (o: KubeObject, f: string) => (o.metadata?.finalizers ?? []).includes(f);

  const dependentsOf = (uid: string): { m: Monitor; obj: KubeObject }[] => {
    const out: { m: Monitor; obj: KubeObject }[] = [];
    for (const m of monitors.values()) for (const obj of m.informer.store.byIndex(INDEX_OWNER_UID, uid)) out.push({ m, obj });
    return out;
  };
  const enqueueOwners = (o: KubeObject, refs: Ref[] = o.metadata?.ownerReferences ?? []) => {
    for (const r of refs) {
      const om = ownerMonitor(r);
      if (om) queue.add(gvrKey(om.res.gvr) + sep + ownerKey(om, r, o.metadata?.namespace));
    }
  };

  const watch = (res: DiscoveredResource) => {
    const k = gvrKey(res.gvr);
    if (monitors.has(k) || IGNORED.has(k)) return;
    if (!["list", "watch", "delete"].every((v) => res.verbs.includes(v))) return;
    const m: Monitor = { res, informer: ctx.informers.forResource(res.gvr) };
    monitors.set(k, m);
    byGroupKind.set(`${res.gvr.group}/${res.kind}`, m);
    const attend = (o: KubeObject) => {
      const needs = (o.metadata?.ownerReferences?.length ?? 0) > 0 || (deleting(o) && (hasFinalizer(o, "orphan") || hasFinalizer(o, "foregroundDeletion")));
      if (needs) queue.add(itemKey(m, o));
    };
    m.informer.addEventHandler({
      onAdd: attend,
      onUpdate(old, cur) {
        attend(cur);
        // A dependent that dropped an owner may unblock an owner waiting in foreground deletion.
        const now = new Set((cur.metadata?.ownerReferences ?? []).map((r) => r.uid));
        enqueueOwners(cur, (old.metadata?.ownerReferences ?? []).filter((r) => !now.has(r.uid)));
        if (!deleting(old) && deleting(cur)) enqueueOwners(cur);
      },
      onDelete(o) {
        const uid = o.metadata?.uid;
        if (uid) for (const d of dependentsOf(uid)) queue.add(itemKey(d.m, d.obj));
        enqueueOwners(o);
      },
    });
  };

  const discover = async () => {
    for (const r of await discoverResources(client, ctx.signal)) watch(r);
  };
  // A failed first discovery is retried by the periodic one rather than failing the server's start.
  await discover().catch((e) => ctx.logger.warn("discovery failed; retrying", { err: String(e) }));
  const rediscover = setInterval(() => discover().catch((e) => ctx.logger.v(2, "discovery failed", { err: String(e) })), opts.rediscoverMs ?? 30_000);

  /** The owner as it is now: cache first, then a live read (the cache may lag a fresh owner). */
  const lookupOwner = async (m: Monitor, r: Ref, ns: string | undefined): Promise<KubeObject | undefined> => {
    const cached = m.informer.store.get(ownerKey(m, r, ns));
    if (cached?.metadata?.uid === r.uid) return cached;
    try {
      const live = await client.get(m.res.gvr, r.name, { namespace: m.res.namespaced ? ns : undefined });
      return live.metadata?.uid === r.uid ? live : undefined;
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return undefined;
      throw e;
    }
  };

  const del = async (gvr: GVR, o: KubeObject, policy: "Background" | "Foreground" | "Orphan") => {
    try {
      await client.delete(gvr, o.metadata!.name!, { namespace: o.metadata?.namespace, propagationPolicy: policy, preconditions: { uid: o.metadata!.uid! } });
    } catch (e) {
      if (!isGone(e)) throw e;
    }
  };
  const policyFor = (o: KubeObject, hasDependents: boolean) =>
    hasFinalizer(o, "orphan") ? "Orphan" : hasFinalizer(o, "foregroundDeletion") || hasDependents ? "Foreground" : "Background";

  // PUT of the cached object: its resourceVersion makes a stale view fail with 409 (retried).
  const patchMeta = async (gvr: GVR, o: KubeObject, field: "ownerReferences" | "finalizers", value: unknown[]) => {
    const next = structuredClone(o);
    if (value.length) (next.metadata as Record<string, unknown>)[field] = value;
    else delete next.metadata![field];
    try {
      await client.update(gvr, next, { namespace: o.metadata?.namespace });
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return;
      throw e;
    }
  };
  const removeFinalizer = (m: Monitor, o: KubeObject, f: string) => patchMeta(m.res.gvr, o, "finalizers", (o.metadata?.finalizers ?? []).filter((x) => x !== f));

  const orphanDependents = async (m: Monitor, owner: KubeObject) => {
    const uid = owner.metadata!.uid!;
    for (const d of dependentsOf(uid)) {
      await patchMeta(d.m.res.gvr, d.obj, "ownerReferences", (d.obj.metadata?.ownerReferences ?? []).filter((r) => r.uid !== uid));
    }
    await removeFinalizer(m, owner, "orphan");
  };

  const processForeground = async (m: Monitor, owner: KubeObject) => {
    const uid = owner.metadata!.uid!;
    const deps = dependentsOf(uid);
    for (const d of deps) {
      if (deleting(d.obj)) continue;
      await del(d.m.res.gvr, d.obj, policyFor(d.obj, dependentsOf(d.obj.metadata!.uid!).length > 0));
    }
    const blocking = deps.filter((d) => d.obj.metadata?.ownerReferences?.some((r) => r.uid === uid && r.blockOwnerDeletion === true));
    // Dependents' deletions re-enqueue this owner; nothing to poll for.
    if (blocking.length === 0) await removeFinalizer(m, owner, "foregroundDeletion");
  };

  const attemptToDelete = async (m: Monitor, o: KubeObject) => {
    if (deleting(o)) return;
    const refs = o.metadata?.ownerReferences ?? [];
    const dangling: Ref[] = [];
    const waiting: Ref[] = [];
    const solid: Ref[] = [];
    for (const r of refs) {
      const om = ownerMonitor(r);
      if (!om) {
        solid.push(r); // a kind this server does not serve (yet): leave it alone
        continue;
      }
      const owner = await lookupOwner(om, r, o.metadata?.namespace);
      if (!owner) dangling.push(r);
      else if (deleting(owner) && hasFinalizer(owner, "foregroundDeletion") && r.blockOwnerDeletion) waiting.push(r);
      else solid.push(r);
    }
    if (dangling.length === 0 && waiting.length === 0) return;
    if (solid.length > 0) {
      const gone = new Set(dangling.map((r) => r.uid));
      const wait = new Set(waiting.map((r) => r.uid));
      const next = refs.filter((r) => !gone.has(r.uid)).map((r) => (wait.has(r.uid) ? { ...r, blockOwnerDeletion: false } : r));
      return patchMeta(m.res.gvr, o, "ownerReferences", next);
    }
    const hasDeps = dependentsOf(o.metadata!.uid!).length > 0;
    await del(m.res.gvr, o, waiting.length > 0 && hasDeps ? "Foreground" : policyFor(o, false));
  };

  const sync = async (item: string) => {
    const i = item.indexOf(sep);
    const m = monitors.get(item.slice(0, i));
    if (!m) return;
    if (!m.informer.hasSynced()) {
      queue.addAfter(item, 100); // its cache is still filling: look again shortly, quietly
      return;
    }
    const o = m.informer.store.get(item.slice(i + 1));
    if (!o) return;
    if (deleting(o) && hasFinalizer(o, "orphan")) return orphanDependents(m, o);
    if (deleting(o) && hasFinalizer(o, "foregroundDeletion")) return processForeground(m, o);
    if (o.metadata?.ownerReferences?.length) return attemptToDelete(m, o);
  };

  const running = runController({ name: "garbage-collector", workers: opts.workers ?? 4, queue, sync, logger: ctx.logger });
  return {
    async stop() {
      clearInterval(rediscover);
      await running.stop();
    },
  };
}
