// The controller loop (kube-controller-manager's processNextWorkItem): workers take keys
// from the queue; a sync that throws is retried with per-key back-off, a success forgets it.
import { StatusError } from "../../api/errors.ts";
import type { WorkQueue } from "../../client/types.ts";
import type { Logger } from "../../util/log.ts";

export interface ControllerOptions<K = string> {
  name: string;
  /** Number of concurrent workers (the queue never gives one key to two of them). */
  workers: number;
  queue: WorkQueue<K>;
  sync: (key: K) => Promise<void>;
  logger: Logger;
}

export interface RunningController {
  /** Shuts the queue down and resolves when every worker has finished its current key. */
  stop(): Promise<void>;
  /** Resolves when all workers have exited. */
  readonly done: Promise<void>;
}

export function runController<K = string>(o: ControllerOptions<K>): RunningController {
  const log = o.logger;
  const worker = async () => {
    for (;;) {
      const key = await o.queue.get();
      if (key === undefined) return;
      const start = performance.now();
      try {
        await o.sync(key);
        o.queue.forget(key);
        log.v(5, "synced", { controller: o.name, key, ms: Math.round(performance.now() - start) });
      } catch (e) {
        const retries = o.queue.numRequeues(key);
        // Conflicts are routine (a stale cache); say so quietly.
        if (e instanceof StatusError && e.code === 409) log.v(2, "sync conflict, retrying", { controller: o.name, key, err: e.message });
        else log.warn("sync failed, retrying", { controller: o.name, key, retries, err: e instanceof Error ? e.message : String(e) });
        o.queue.addRateLimited(key);
      } finally {
        o.queue.done(key);
      }
    }
  };
  const n = Math.max(1, Math.floor(o.workers));
  const done = Promise.all(Array.from({ length: n }, () => worker())).then(() => {});
  log.v(1, "controller started", { controller: o.name, workers: n });
  return {
    done,
    async stop() {
      o.queue.shutDown();
      await done;
    },
  };
}
