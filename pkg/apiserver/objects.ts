// The storage-facing write paths shared by the verb handlers: create, optimistic
// read-modify-write with retry, delete.
import type { KubeObject, ResourceInfo } from "../api/types.ts";
import { alreadyExists, forbidden, notFound, staleConflict, StatusError } from "../api/errors.ts";
import { StorageError } from "../storage/types.ts";
import type { KeyValue } from "../storage/types.ts";
import type { Server } from "./context.ts";
import { objectKey } from "./keys.ts";
import { decodeKV, encodeFor, groupResource, readKV, storageToStatus } from "./store.ts";
import { deepEqual, generateNameFrom } from "./deps/meta.ts";
import { shouldDeleteDuringUpdate } from "./strategy.ts";
import { allocateForCreate, allocateForUpdate, releaseForDelete, type Allocation } from "./services.ts";

export const isService = (info: ResourceInfo) => info.group === "" && info.resource === "services";

/** Events expire like upstream's --event-ttl (1h); everything else lives until deleted. */
export const EVENT_TTL_SECONDS = 3600;
const ttlOf = (info: ResourceInfo) =>
  (info.group === "" || info.group === "events.k8s.io") && info.resource === "events" ? { ttlSeconds: EVENT_TTL_SECONDS } : undefined;

export async function getObject(s: Server, info: ResourceInfo, namespace: string | undefined, name: string, revision?: number): Promise<{ obj: KubeObject; kv: KeyValue }> {
  let r;
  try {
    r = await s.backend.get(objectKey(info, namespace, name), revision ? { revision } : undefined);
  } catch (e) {
    throw storageToStatus(e, info, name);
  }
  if (!r.kv) throw notFound(groupResource(info), name);
  return { obj: readKV(info, r.kv), kv: r.kv };
}

/** Namespaced writes need a live namespace; creates need it not to be terminating. */
export async function checkNamespace(s: Server, info: ResourceInfo, namespace: string | undefined, creatingName?: string): Promise<void> {
  if (!info.namespaced || !namespace) return;
  const r = await s.backend.get(`/registry/core/namespaces/${namespace}`);
  if (!r.kv) throw notFound({ group: "", resource: "namespaces" }, namespace);
  if (creatingName !== undefined) {
    const ns = decodeKV(r.kv);
    if (ns.metadata?.deletionTimestamp || ns.status?.phase === "Terminating")
      throw forbidden(groupResource(info), creatingName, `unable to create new content in namespace ${namespace} because it is being terminated`);
  }
}

/**
 * Store a fully prepared object. `prepare(obj)` runs for each generateName attempt (after the
 * name is chosen) so validation sees the final name.
 */
export async function createObject(
  s: Server,
  info: ResourceInfo,
  obj: KubeObject,
  dryRun: boolean,
  prepare: (obj: KubeObject) => Promise<void> | void,
): Promise<KubeObject> {
  const m = obj.metadata!;
  const generate = !m.name && !!m.generateName;
  for (let attempt = 0; attempt < 8; attempt++) {
    const o = structuredClone(obj);
    if (generate) o.metadata!.name = generateNameFrom(m.generateName!);
    await prepare(o);
    const name = o.metadata!.name!;
    const key = objectKey(info, o.metadata!.namespace, name);
    let alloc: Allocation | undefined;
    if (isService(info)) alloc = await allocateForCreate(s.allocator, o, dryRun);
    try {
      if (dryRun) {
        if ((await s.backend.get(key)).kv) throw new StorageError("KeyExists", key);
        return o;
      }
      const kv = await s.backend.create(key, encodeFor(info, o), ttlOf(info));
      o.metadata!.resourceVersion = String(kv.modRevision);
      return o;
    } catch (e) {
      await alloc?.undo();
      if (e instanceof StorageError && e.code === "KeyExists") {
        if (generate) continue;
        throw alreadyExists(groupResource(info), name);
      }
      throw storageToStatus(e, info, name);
    }
  }
  throw new StatusError({
    ...alreadyExists(groupResource(info), m.generateName ?? "").status,
    message: `${info.resource} "${m.generateName}" already exists: could not generate a unique name; retry`,
  });
}

export type Mutator = (current: KubeObject, kv: KeyValue) => Promise<KubeObject> | KubeObject;

export interface UpdateResult {
  obj: KubeObject;
  /** The object was removed (last finalizer gone on a deleting object). */
  deleted: boolean;
  /** Nothing changed; nothing was written. */
  noop: boolean;
}

/**
 * Read-modify-write with compare-and-swap; retries when someone else wrote in between,
 * unless the mutator pinned a resourceVersion (then the client sees 409).
 */
export async function guaranteedUpdate(s: Server, info: ResourceInfo, namespace: string | undefined, name: string, dryRun: boolean, mutate: Mutator): Promise<UpdateResult> {
  const key = objectKey(info, namespace, name);
  for (let attempt = 0; attempt < 16; attempt++) {
    const { obj: current, kv } = await getObject(s, info, namespace, name);
    const next = await mutate(structuredClone(current), kv);
    const pinned = next.metadata?.resourceVersion;
    if (pinned && pinned !== String(kv.modRevision)) throw staleConflict(groupResource(info), name);
    next.metadata!.resourceVersion = String(kv.modRevision);
    let alloc: (Allocation & { released: number[] }) | undefined;
    const encoded = encodeFor(info, next);
    // Key order may differ (patch engines rebuild objects): compare canonically.
    if (encoded === kv.value || deepEqual(JSON.parse(encoded), JSON.parse(kv.value))) return { obj: current, deleted: false, noop: true };
    if (isService(info)) alloc = await allocateForUpdate(s.allocator, next, current, dryRun);
    const finalEncoded = alloc ? encodeFor(info, next) : encoded;
    const del = shouldDeleteDuringUpdate(info, next);
    if (dryRun) return { obj: next, deleted: del, noop: false };
    try {
      if (del) {
        const r = await s.backend.delete(key, kv.modRevision);
        next.metadata!.resourceVersion = String(r.revision);
        if (isService(info)) await releaseForDelete(s.allocator, current);
        return { obj: next, deleted: true, noop: false };
      }
      const nkv = await s.backend.update(key, finalEncoded, kv.modRevision, ttlOf(info));
      next.metadata!.resourceVersion = String(nkv.modRevision);
      if (alloc) for (const p of alloc.released) await s.allocator.releasePort(p);
      return { obj: next, deleted: false, noop: false };
    } catch (e) {
      await alloc?.undo();
      if (e instanceof StorageError && e.code === "Conflict") {
        if (pinned) throw staleConflict(groupResource(info), name);
        continue;
      }
      throw storageToStatus(e, info, name);
    }
  }
  throw staleConflict(groupResource(info), name);
}

/** Remove the object now (CAS on kv); frees service allocations. */
export async function removeObject(s: Server, info: ResourceInfo, obj: KubeObject, kv: KeyValue): Promise<KubeObject> {
  const name = obj.metadata!.name!;
  let r;
  try {
    r = await s.backend.delete(kv.key, kv.modRevision);
  } catch (e) {
    throw storageToStatus(e, info, name);
  }
  if (isService(info)) await releaseForDelete(s.allocator, obj);
  const out = readKV(info, r.prevKv);
  return out;
}

