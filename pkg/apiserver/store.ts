// Object <-> stored value conversion and storage-error mapping. resourceVersion is never
// stored: it is the key's modRevision, filled in on every read.
import type { KeyValue } from "../storage/types.ts";
import { StorageError } from "../storage/types.ts";
import type { KubeObject, ResourceInfo } from "../api/types.ts";
import { fromStorage, toStorage } from "./conversion.ts";
import { alreadyExists, internalError, notFound, resourceExpired, serviceUnavailable, staleConflict, StatusError, tooManyRequests } from "../api/errors.ts";

export const groupResource = (info: ResourceInfo) => ({ group: info.group, resource: info.resource });

export function decodeKV(kv: KeyValue): KubeObject {
  let obj: KubeObject;
  try {
    obj = JSON.parse(kv.value);
  } catch {
    throw internalError(`stored object at ${kv.key} is not valid JSON`);
  }
  obj.metadata ??= {};
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

/** Serialize for storage: without resourceVersion (it is the revision). */
export function encodeObject(obj: KubeObject): string {
  const rv = obj.metadata?.resourceVersion;
  if (rv === undefined) return JSON.stringify(obj);
  delete obj.metadata!.resourceVersion;
  try {
    return JSON.stringify(obj);
  } finally {
    obj.metadata!.resourceVersion = rv;
  }
}

/** Map a storage failure to the Status a client expects. */
export function storageToStatus(err: unknown, info: ResourceInfo, name: string): unknown {
  if (!(err instanceof StorageError)) return err;
  const gr = groupResource(info);
  switch (err.code) {
    case "KeyExists":
      return alreadyExists(gr, name);
    case "NotFound":
      return notFound(gr, name);
    case "Conflict":
      return staleConflict(gr, name);
    case "Compacted":
      return resourceExpired(`The resourceVersion for the provided list is too old.`);
    case "TooSlow":
      return tooManyRequests("watch fell behind; restart it");
    case "Closed":
      return serviceUnavailable("storage is shutting down");
    case "NoSpace":
      return new StatusError({ ...internalError("database space exceeded").status, code: 507, reason: "InsufficientStorage" } as any);
    default:
      return internalError(err.message);
  }
}

export function parseRV(rv: string | undefined | null, what = "resourceVersion"): number | undefined {
  if (rv === undefined || rv === null || rv === "") return undefined;
  if (!/^\d+$/.test(rv)) {
    const e = new StatusError({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: `Invalid value: ${JSON.stringify(rv)}: invalid ${what}`,
      reason: "BadRequest",
      code: 400,
    });
    throw e;
  }
  return Number(rv);
}

/** 410 for a read or watch below the compacted revision. */
export const tooOld = (rv: number, compact: number) => resourceExpired(`too old resource version: ${rv} (${compact})`);

/** A stored object as the endpoint's version. */
export function readKV(info: ResourceInfo, kv: KeyValue): KubeObject {
  return fromStorage(info, decodeKV(kv));
}

/** Serialize in the storage version. */
export function encodeFor(info: ResourceInfo, obj: KubeObject): string {
  return encodeObject(toStorage(info, obj));
}
