// At most 10 Update entries are kept: the oldest are folded into per-version "ancient-changes"
// entries (apiserver fieldmanager capmanagers.go), so managedFields cannot grow without bound.
import { union } from "./fieldset.ts";
import type { ManagerEntry } from "./managers.ts";
import { entryKey } from "./managers.ts";

export const MAX_UPDATE_MANAGERS = 10;
const BUCKET = "ancient-changes";

const seconds = (t: string | undefined) => (t ? Math.floor(Date.parse(t) / 1000) || 0 : 0);

export function capUpdateManagers(entries: ManagerEntry[], max = MAX_UPDATE_MANAGERS): ManagerEntry[] {
  const updaters = entries.filter((e) => e.operation === "Update");
  if (updaters.length <= max) return entries;
  updaters.sort((a, b) => seconds(a.time) - seconds(b.time) || (entryKey(a) < entryKey(b) ? -1 : entryKey(a) > entryKey(b) ? 1 : 0));
  const out = new Map(entries.map((e) => [entryKey(e), e]));
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > max; i++) {
    const e = updaters[i]!;
    const first = firstOfVersion.get(e.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(e.apiVersion, entryKey(e));
      continue;
    }
    const bucketKey = entryKey({ manager: BUCKET, operation: "Update", apiVersion: e.apiVersion });
    let bucket = out.get(bucketKey);
    if (!bucket) {
      const f = out.get(first)!;
      out.delete(first);
      bucket = { ...f, manager: BUCKET, subresource: undefined };
    }
    out.set(bucketKey, { ...bucket, set: union(e.set, bucket.set), time: e.time });
    out.delete(entryKey(e));
    length--;
  }
  return [...out.values()];
}
