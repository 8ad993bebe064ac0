// The informer cache: objects by key plus any number of indexes (client-go's thread-safe store).
import type { KubeObject } from "../api/types.ts";
import type { IndexFunc, KeyFunc, Store } from "./types.ts";

export const metaNamespaceKey: KeyFunc = (obj) => {
  const m = obj.metadata ?? {};
  return m.namespace ? `${m.namespace}/${m.name}` : String(m.name ?? "");
};

/** Splits a `namespace/name` key; cluster-scoped keys have namespace "". */
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf("/");
  return i < 0 ? { namespace: "", name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export const INDEX_NAMESPACE = "namespace";
export const INDEX_OWNER_UID = "ownerUID";
export const INDEX_NODE_NAME = "nodeName";

/** Indexes every informer has: by namespace, by owner uid, by spec.nodeName (pods). */
export const standardIndexers: Record<string, IndexFunc> = {
  [INDEX_NAMESPACE]: (o) => (o.metadata?.namespace ? [o.metadata.namespace] : []),
  [INDEX_OWNER_UID]: (o) => (o.metadata?.ownerReferences ?? []).map((r) => r.uid).filter(Boolean),
  [INDEX_NODE_NAME]: (o) => (typeof o.spec?.nodeName === "string" && o.spec.nodeName ? [o.spec.nodeName] : []),
};

export interface MutableStore<T = KubeObject> extends Store<T> {
  /** Inserts or replaces; returns the previous object. */
  put(obj: T): T | undefined;
  /** Removes by the object's key; returns what was stored. */
  remove(obj: T): T | undefined;
}

export function createStore<T extends KubeObject = KubeObject>(keyOf: KeyFunc = metaNamespaceKey): MutableStore<T> {
  const items = new Map<string, T>();
  const indexers = new Map<string, IndexFunc<T>>();
  // index name → value → keys
  const indices = new Map<string, Map<string, Set<string>>>();

  const values = (fn: IndexFunc<T>, obj: T): string[] => {
    const v = fn(obj);
    return Array.isArray(v) ? v : [];
  };
  const unindex = (key: string, obj: T) => {
    for (const [name, fn] of indexers) {
      const idx = indices.get(name)!;
      for (const v of values(fn, obj)) {
        const set = idx.get(v);
        if (!set) continue;
        set.delete(key);
        if (set.size === 0) idx.delete(v);
      }
    }
  };
  const indexOne = (name: string, fn: IndexFunc<T>, key: string, obj: T) => {
    const idx = indices.get(name)!;
    for (const v of values(fn, obj)) {
      let set = idx.get(v);
      if (!set) idx.set(v, (set = new Set()));
      set.add(key);
    }
  };

  return {
    get: (key) => items.get(key),
    list: () => [...items.values()],
    listKeys: () => [...items.keys()],
    size: () => items.size,
    byIndex(indexName, value) {
      const idx = indices.get(indexName);
      if (!idx) throw new Error(`index "${indexName}" does not exist`);
      const keys = idx.get(value);
      if (!keys) return [];
      const out: T[] = [];
      for (const k of keys) {
        const o = items.get(k);
        if (o) out.push(o);
      }
      return out;
    },
    addIndexers(add) {
      for (const [name, fn] of Object.entries(add)) {
        if (indexers.has(name)) throw new Error(`indexer "${name}" already exists`);
        indexers.set(name, fn);
        indices.set(name, new Map());
        for (const [k, o] of items) indexOne(name, fn, k, o);
      }
    },
    put(obj) {
      const key = keyOf(obj);
      const prev = items.get(key);
      if (prev) unindex(key, prev);
      items.set(key, obj);
      for (const [name, fn] of indexers) indexOne(name, fn, key, obj);
      return prev;
    },
    remove(obj) {
      const key = keyOf(obj);
      const prev = items.get(key);
      if (!prev) return undefined;
      unindex(key, prev);
      items.delete(key);
      return prev;
    },
  };
}
