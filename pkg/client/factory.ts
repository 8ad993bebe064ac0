// Shared informers: one list+watch per resource (and selection), shared by every consumer.
import type { KubeObject } from "../api/types.ts";
import { createSharedInformer, type ReflectorTuning } from "./informer.ts";
import type { Client, GVR, InformerFactory, InformerOptions, SharedInformer } from "./types.ts";

export function createInformerFactory(client: Client, tuning: ReflectorTuning & { defaultResyncMs?: number } = {}): InformerFactory {
  const informers = new Map<string, SharedInformer<any>>();
  let started = false;
  let shut = false;

  const keyOf = (gvr: GVR, o: InformerOptions) =>
    JSON.stringify([gvr.group, gvr.version, gvr.resource, o.namespace ?? "", o.labelSelector ?? "", o.fieldSelector ?? ""]);

  return {
    forResource<T = KubeObject>(gvr: GVR, opts: InformerOptions = {}): SharedInformer<T> {
      const key = keyOf(gvr, opts);
      let inf = informers.get(key);
      if (!inf) {
        inf = createSharedInformer(client, gvr, { resyncMs: tuning.defaultResyncMs, ...opts }, tuning);
        informers.set(key, inf);
        if (started && !shut) inf.run();
      }
      return inf as SharedInformer<T>;
    },
    start() {
      if (shut) return;
      started = true;
      for (const inf of informers.values()) inf.run();
    },
    async waitForCacheSync(signal?: AbortSignal) {
      // Polled like client-go's WaitForCacheSync (which checks every 100 ms).
      for (;;) {
        if (signal?.aborted || shut) return false;
        if ([...informers.values()].every((i) => i.hasSynced())) return true;
        await new Promise<void>((res) => {
          const t = setTimeout(finish, 10);
          function finish() {
            clearTimeout(t);
            signal?.removeEventListener("abort", finish);
            res();
          }
          signal?.addEventListener("abort", finish, { once: true });
        });
      }
    },
    async shutdown() {
      shut = true;
      await Promise.all([...informers.values()].map((i) => i.stop()));
    },
  };
}
