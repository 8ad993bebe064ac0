// One list+watch loop (client-go's Reflector) feeding a cache and event handlers.
//  - list (paged) → replace the cache, diffing against it for add/update/delete handlers;
//  - watch from the list's resourceVersion with bookmarks; every event/bookmark advances it;
//  - watch ended by the server (timeout) → re-watch at once from the last resourceVersion;
//  - disconnect / transport failure → bounded exponential back-off, re-watch from the last one;
//  - 410 Expired (event or response) → relist; other failures → back-off, relist.
// Cached objects are shared by every consumer and must be treated as immutable.
import type { KubeObject } from "../api/types.ts";
import { StatusError } from "../api/errors.ts";
import type { Logger } from "../util/log.ts";
import { createStore, metaNamespaceKey, standardIndexers } from "./store.ts";
import type { Client, EventHandler, GVR, InformerOptions, SharedInformer } from "./types.ts";

export interface ReflectorTuning {
  /** Back-off after failures: starts here, doubles, capped at maxBackoffMs (client-go: 800 ms → 30 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** List page size (client-go: 500). */
  pageSize?: number;
  /** Server-side watch timeout; default random 300–600 s like client-go. */
  watchTimeoutSeconds?: () => number;
  logger?: Logger;
  /** Deep-freeze cached objects so a controller that mutates one throws (for tests). */
  freezeObjects?: boolean;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object" && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

type Outcome = "relist" | "rewatch" | "backoff-rewatch" | "stopped";

const rvOf = (o: KubeObject) => o.metadata?.resourceVersion ?? "";
const is410 = (e: unknown) => e instanceof StatusError && (e.code === 410 || e.reason === "Expired" || e.reason === "Gone");

export function createSharedInformer<T extends KubeObject = KubeObject>(
  client: Client,
  gvr: GVR,
  opts: InformerOptions = {},
  tuning: ReflectorTuning = {},
): SharedInformer<T> {
  const store = createStore<T>();
  store.addIndexers(standardIndexers as never);
  const handlers = new Set<EventHandler<T>>();
  const initialBackoff = tuning.initialBackoffMs ?? 800;
  const maxBackoff = tuning.maxBackoffMs ?? 30_000;
  const pageSize = tuning.pageSize ?? 500;
  const watchTimeout = tuning.watchTimeoutSeconds ?? (() => Math.floor(300 * (1 + Math.random())));
  const log = tuning.logger;
  const what = `${gvr.resource}${gvr.group ? "." + gvr.group : ""}`;
  const own = (o: T): T => (tuning.freezeObjects ? deepFreeze(o) : o);

  let synced = false;
  let lastRV = "";
  let running: Promise<void> | undefined;
  let stopped = false;
  const ac = new AbortController();
  let resyncTimer: ReturnType<typeof setInterval> | undefined;

  const notify = (fn: (h: EventHandler<T>) => void) => {
    for (const h of handlers) {
      try {
        fn(h);
      } catch (e) {
        log?.error("event handler failed", { resource: what, err: e });
      }
    }
  };

  const sleep = (ms: number) =>
    new Promise<void>((res) => {
      if (ac.signal.aborted) return res();
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        ac.signal.removeEventListener("abort", done);
        res();
      }
      ac.signal.addEventListener("abort", done, { once: true });
    });

  async function listAndReplace(): Promise<void> {
    const items: T[] = [];
    let cont: string | undefined;
    let rv = "";
    for (let page = 0; page < 1_000_000; page++) {
      const l = await client.list<T>(gvr, { ...selection(), limit: pageSize, continue: cont, signal: ac.signal });
      // List items carry no kind; stamp it from the list so cached objects are self-describing.
      const kind = l.kind?.endsWith("List") ? l.kind.slice(0, -4) : undefined;
      for (const it of l.items) items.push(own(kind && !it.kind ? ({ apiVersion: l.apiVersion, kind, ...it } as T) : it));
      rv = l.metadata.resourceVersion ?? rv;
      cont = l.metadata.continue;
      if (!cont) break;
    }
    if (stopped) return;
    const seen = new Set<string>();
    for (const o of items) {
      const prev = store.put(o);
      seen.add(metaNamespaceKey(o));
      if (!prev) notify((h) => h.onAdd?.(o));
      else if (rvOf(prev) !== rvOf(o)) notify((h) => h.onUpdate?.(prev, o));
    }
    for (const key of store.listKeys()) {
      if (seen.has(key)) continue;
      const prev = store.get(key)!;
      store.remove(prev);
      notify((h) => h.onDelete?.(prev));
    }
    lastRV = rv;
    if (!synced) log?.v(4, "informer synced", { resource: what, count: items.length, resourceVersion: rv });
    synced = true;
  }

  const selection = () => ({ namespace: opts.namespace, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector });

  async function watchOnce(): Promise<Outcome> {
    const started = Date.now();
    const w = client.watch<T>(gvr, {
      ...selection(),
      resourceVersion: lastRV,
      allowWatchBookmarks: true,
      timeoutSeconds: watchTimeout(),
      signal: ac.signal,
    });
    let events = 0;
    try {
      for await (const ev of w) {
        if (stopped) return "stopped";
        if (ev.type === "ERROR") {
          if (ev.object.code === 410) return "relist";
          log?.warn("watch error event", { resource: what, code: ev.object.code, message: ev.object.message });
          return "backoff-rewatch";
        }
        const obj = own(ev.object as T);
        const rv = rvOf(obj);
        events++;
        if (ev.type === "BOOKMARK") {
          if (rv) lastRV = rv;
          continue;
        }
        if (ev.type === "DELETED") {
          const prev = store.remove(obj);
          notify((h) => h.onDelete?.(obj ?? prev));
        } else {
          const prev = store.put(obj);
          if (prev) notify((h) => h.onUpdate?.(prev, obj));
          else notify((h) => h.onAdd?.(obj));
        }
        if (rv) lastRV = rv;
      }
    } catch (e) {
      if (stopped) return "stopped";
      if (is410(e)) return "relist";
      log?.v(2, "watch failed", { resource: what, err: e });
      // A watch that delivered nothing failed at once: slow down; otherwise resume right away.
      return events > 0 ? "rewatch" : "backoff-rewatch";
    } finally {
      w.close();
    }
    if (stopped) return "stopped";
    // A server that ends watches at once, over and over, must not be hammered.
    return events === 0 && Date.now() - started < 1000 ? "backoff-rewatch" : "rewatch";
  }

  async function loop(): Promise<void> {
    let backoff = initialBackoff;
    const wait = async () => {
      await sleep(backoff);
      backoff = Math.min(backoff * 2, maxBackoff);
    };
    let needList = true;
    while (!stopped) {
      if (needList) {
        try {
          await listAndReplace();
          needList = false;
          backoff = initialBackoff;
        } catch (e) {
          if (stopped) return;
          log?.warn("list failed", { resource: what, err: e });
          await wait();
          continue;
        }
      }
      const out = await watchOnce();
      if (out === "stopped") return;
      if (out === "relist") {
        log?.v(2, "watch expired, relisting", { resource: what, resourceVersion: lastRV });
        needList = true;
        continue;
      }
      if (out === "backoff-rewatch") {
        await wait();
        continue;
      }
      backoff = initialBackoff;
    }
  }

  return {
    gvr,
    store,
    addEventHandler(h) {
      handlers.add(h);
      if (synced) for (const o of store.list()) h.onAdd?.(o);
      return { remove: () => void handlers.delete(h) };
    },
    hasSynced: () => synced,
    lastSyncResourceVersion: () => lastRV,
    run() {
      if (running || stopped) return;
      running = loop().catch((e) => log?.error("informer loop crashed", { resource: what, err: e }));
      if (opts.resyncMs && opts.resyncMs > 0) {
        resyncTimer = setInterval(() => {
          if (!synced) return;
          for (const o of store.list()) notify((h) => h.onUpdate?.(o, o));
        }, opts.resyncMs);
      }
    },
    async stop() {
      stopped = true;
      ac.abort();
      if (resyncTimer) clearInterval(resyncTimer);
      await running;
    },
  };
}
