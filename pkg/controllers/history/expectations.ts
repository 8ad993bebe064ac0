// Controller expectations (upstream controller_utils.go ControllerExpectations), by uid: after a
// controller creates or deletes pods it waits until its cache has seen those changes before it
// counts pods again, so a sync on a stale cache never creates or deletes twice.
import type { KubeObject } from "../../api/types.ts";

export interface Expectations {
  /** Record pods just created (their uids) or asked to be deleted. */
  expectCreated(key: string, uids: string[]): void;
  expectDeleted(key: string, uids: string[]): void;
  /** True when every recorded change is visible in `pods` (the owner's pods from the cache), or expired. */
  satisfied(key: string, pods: KubeObject[]): boolean;
  forget(key: string): void;
  /** Called from the pod informer's handlers: the cache has seen this pod (gone when `removed`). */
  observe(key: string, pod: KubeObject, removed: boolean): void;
}

// Upstream's ExpectationsTimeout: a lost watch event must not stall a controller forever.
const TTL_MS = 5 * 60_000;

export function createExpectations(now: () => number = Date.now): Expectations {
  const m = new Map<string, { created: Set<string>; deleted: Set<string>; at: number }>();
  const entry = (key: string) => {
    let e = m.get(key);
    if (!e) m.set(key, (e = { created: new Set(), deleted: new Set(), at: now() }));
    e.at = now();
    return e;
  };
  return {
    expectCreated(key, uids) {
      const e = entry(key);
      for (const u of uids) e.created.add(u);
    },
    expectDeleted(key, uids) {
      const e = entry(key);
      for (const u of uids) e.deleted.add(u);
    },
    satisfied(key, pods) {
      const e = m.get(key);
      if (!e) return true;
      if (now() - e.at > TTL_MS) {
        m.delete(key);
        return true;
      }
      const seen = new Map(pods.map((p) => [p.metadata!.uid!, p]));
      for (const u of e.created) if (seen.has(u)) e.created.delete(u);
      for (const u of e.deleted) {
        const p = seen.get(u);
        if (!p || p.metadata!.deletionTimestamp) e.deleted.delete(u);
      }
      if (!e.created.size && !e.deleted.size) {
        m.delete(key);
        return true;
      }
      return false;
    },
    forget(key) {
      m.delete(key);
    },
    observe(key, pod, removed) {
      const e = m.get(key);
      if (!e) return;
      const u = pod.metadata?.uid ?? "";
      e.created.delete(u);
      if (removed || pod.metadata?.deletionTimestamp) e.deleted.delete(u);
    },
  };
}
