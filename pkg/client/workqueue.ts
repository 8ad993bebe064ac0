// A rate-limited, deduplicating work queue (client-go util/workqueue): a key waits at most
// once in the queue; a key being processed is not handed out again until done(), and a
// re-add during processing is queued then. shutDown() drops pending keys and releases workers.
import { defaultControllerRateLimiter } from "./ratelimit.ts";
import type { RateLimiter, WorkQueue } from "./types.ts";

export interface WorkQueueOptions<K> {
  rateLimiter?: RateLimiter<K>;
}

export function createWorkQueue<K = string>(opts: WorkQueueOptions<K> = {}): WorkQueue<K> {
  const limiter = opts.rateLimiter ?? defaultControllerRateLimiter<K>();
  const queue: K[] = [];
  let head = 0;
  const dirty = new Set<K>();
  const processing = new Set<K>();
  const waiters: ((k: K | undefined) => void)[] = [];
  // Delayed adds: one timer per key at its earliest ready time.
  const delayed = new Map<K, { at: number; timer: ReturnType<typeof setTimeout> }>();
  let shutting = false;

  const length = () => queue.length - head;
  const take = (): K => {
    const k = queue[head++]!;
    if (head > 1024 && head * 2 > queue.length) {
      queue.splice(0, head);
      head = 0;
    }
    dirty.delete(k);
    processing.add(k);
    return k;
  };
  const push = (k: K) => {
    const w = waiters.shift();
    if (w) {
      // Hand straight to a waiting worker.
      dirty.delete(k);
      processing.add(k);
      w(k);
    } else queue.push(k);
  };

  const add = (key: K) => {
    if (shutting || dirty.has(key)) return;
    dirty.add(key);
    if (processing.has(key)) return;
    push(key);
  };

  const addAfter = (key: K, delayMs: number) => {
    if (shutting) return;
    if (delayMs <= 0) return add(key);
    const at = Date.now() + delayMs;
    const cur = delayed.get(key);
    if (cur && cur.at <= at) return;
    if (cur) clearTimeout(cur.timer);
    const timer = setTimeout(() => {
      delayed.delete(key);
      add(key);
    }, delayMs);
    delayed.set(key, { at, timer });
  };

  return {
    add,
    addAfter,
    addRateLimited: (key) => addAfter(key, limiter.when(key)),
    forget: (key) => limiter.forget(key),
    numRequeues: (key) => limiter.numRequeues(key),
    get() {
      if (shutting) return Promise.resolve(undefined);
      if (length() > 0) return Promise.resolve(take());
      return new Promise((res) => waiters.push(res));
    },
    done(key) {
      processing.delete(key);
      if (dirty.has(key) && !shutting) push(key);
    },
    len: length,
    shutDown() {
      shutting = true;
      for (const d of delayed.values()) clearTimeout(d.timer);
      delayed.clear();
      queue.length = 0;
      head = 0;
      dirty.clear();
      for (const w of waiters.splice(0)) w(undefined);
    },
    shuttingDown: () => shutting,
  };
}
