// WATCH: a chunked stream of {"type","object"} JSON lines, with initial state, bookmarks,
// watch-list's initial-events-end bookmark, selector filtering and timeouts.
import type { KubeObject } from "../../api/types.ts";
import { badRequest } from "../../api/errors.ts";
import type { WatchEvent, Watcher } from "../../storage/types.ts";
import { StorageError } from "../../storage/types.ts";
import type { ResourceRequest, Server } from "../context.ts";
import { listPrefix } from "../keys.ts";
import { parseRV, readKV, storageToStatus, tooOld } from "../store.ts";
import type { ResourceInfo } from "../../api/types.ts";
import { parseSelection, type Selection } from "../selection.ts";
import { queryBool } from "../codec.ts";
import { contentTypeOf } from "../negotiate.ts";
import { includeObjectOf, partialMetadata } from "../render.ts";
import { tableConvertorFor, toTable } from "../deps/tables.ts";
import { gvString } from "../mutation.ts";
import { toStatus } from "../../api/errors.ts";
import { waitForRevision } from "./revision.ts";

type EventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

/** Upstream's cacheWatcher rule: objects entering the selection are ADDED, leaving it DELETED. */
export function filterEvent(info: ResourceInfo, ev: WatchEvent, sel: Selection): { type: EventType; obj: KubeObject } | undefined {
  const cur = readKV(info, ev.kv);
  if (ev.type === "create") return sel.matches(cur) ? { type: "ADDED", obj: cur } : undefined;
  if (ev.type === "delete") {
    const prev = ev.prevKv ? readKV(info, ev.prevKv) : cur;
    prev.metadata!.resourceVersion = String(ev.kv.modRevision);
    return sel.matches(prev) ? { type: "DELETED", obj: prev } : undefined;
  }
  const was = ev.prevKv ? sel.matches(readKV(info, ev.prevKv)) : true;
  const is = sel.matches(cur);
  if (was && is) return { type: "MODIFIED", obj: cur };
  if (!was && is) return { type: "ADDED", obj: cur };
  if (was && !is) return { type: "DELETED", obj: cur };
  return undefined;
}

export async function handleWatch(s: Server, rr: ResourceRequest): Promise<Response> {
  const q = rr.query;
  const info = rr.info;
  const sel = parseSelection(info, q, rr.name);
  const rvText = q.get("resourceVersion") ?? "";
  const rv = parseRV(rvText) ?? 0;
  const bookmarks = queryBool(q, "allowWatchBookmarks");
  const sieText = q.get("sendInitialEvents");
  const sendInitialEvents = sieText === null ? undefined : queryBool(q, "sendInitialEvents");
  const match = q.get("resourceVersionMatch") ?? "";
  if (sendInitialEvents !== undefined) {
    if (match !== "NotOlderThan") throw badRequest(`resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan`);
    if (sendInitialEvents && !bookmarks) throw badRequest(`allowWatchBookmarks: Forbidden: allowWatchBookmarks must be true when sendInitialEvents is set`);
  } else if (match !== "") throw badRequest(`resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided`);
  const timeoutText = q.get("timeoutSeconds");
  let timeoutSec = 1800 * (1 + Math.random());
  if (timeoutText !== null && timeoutText !== "") {
    const t = Number(timeoutText);
    if (!Number.isFinite(t) || t < 0) throw badRequest(`timeoutSeconds: Invalid value: ${JSON.stringify(timeoutText)}`);
    if (t > 0) timeoutSec = Math.min(t, timeoutSec);
  }
  const prefix = listPrefix(info, rr.namespace);
  const initial = sendInitialEvents ?? (rvText === "" || rvText === "0");
  const table = rr.accept.type === "table" ? rr.accept : undefined;
  const pom = rr.accept.type === "pom" ? rr.accept : undefined;
  const includeObject = table ? includeObjectOf(q) : "None";
  const convertor = table ? tableConvertorFor(info) : undefined;
  const enc = new TextEncoder();
  let headersSent = false;

  const line = (type: EventType, obj: unknown): Uint8Array => {
    let o = obj as KubeObject;
    if (type !== "BOOKMARK" && type !== "ERROR") {
      o = { apiVersion: gvString(info), kind: info.kind, ...o } as KubeObject;
      if (pom) o = partialMetadata(o, pom.version) as KubeObject;
      else if (table && convertor) {
        o = { ...(toTable(convertor, [o], { now: s.now().getTime(), includeObject, noHeaders: headersSent }) as object), apiVersion: `meta.k8s.io/${table.version}` } as KubeObject;
        headersSent = true;
      }
    }
    return enc.encode(JSON.stringify({ type, object: o }) + "\n");
  };
  const bookmark = (rev: number, end = false) =>
    line("BOOKMARK", { kind: info.kind, apiVersion: gvString(info), metadata: { resourceVersion: String(rev), ...(end ? { annotations: { "k8s.io/initial-events-end": "true" } } : {}) } });

  // Initial state and start revision.
  const first: Uint8Array[] = [];
  let startRev: number;
  let expired = false;
  if (initial) {
    if (rv) await waitForRevision(s, rv, rr.req.signal);
    let revision: number | undefined;
    let startAfter: string | undefined;
    for (let i = 0; i < 100_000; i++) {
      let r;
      try {
        r = await s.backend.list(prefix, { revision, limit: 500, startAfter });
      } catch (e) {
        throw storageToStatus(e, info, "");
      }
      revision = r.revision;
      for (const kv of r.kvs) {
        const obj = readKV(info, kv);
        if (sel.matches(obj)) first.push(line("ADDED", obj));
      }
      if (!r.more || !r.kvs.length) break;
      startAfter = r.kvs[r.kvs.length - 1]!.key;
    }
    startRev = revision ?? s.backend.currentRevision();
    if (sendInitialEvents) first.push(bookmark(startRev, true));
  } else if (rvText === "" || rvText === "0") {
    startRev = s.backend.currentRevision();
  } else {
    startRev = rv;
    if (rv < s.backend.compactRevision()) {
      expired = true;
      first.push(line("ERROR", tooOld(rv, s.backend.compactRevision()).status));
    }
  }

  let watcher: Watcher | undefined;
  // A watcher that starts at the current revision has nothing to replay: the store publishes each
  // commit to it synchronously, so whenever it has nothing pending it has seen every revision up to
  // the current one, and bookmarks may carry that. One that replays history only bookmarks what it delivered.
  const live = startRev >= s.backend.currentRevision();
  if (!expired) watcher = s.backend.watch(prefix, { afterRevision: startRev > 0 ? startRev : s.backend.currentRevision() });
  let lastRev = startRev;
  let pendingSettled = false;
  let done = expired;
  let pending: Promise<{ batch?: WatchEvent[] | null; error?: unknown }> | undefined;
  let wake: (() => void) | undefined;
  const stop = () => {
    done = true;
    watcher?.close();
    wake?.();
  };
  const deadline = Date.now() + timeoutSec * 1000;
  const onAbort = () => stop();
  rr.req.signal.addEventListener("abort", onAbort);
  s.closing.signal.addEventListener("abort", onAbort);
  const cleanup = () => {
    rr.req.signal.removeEventListener("abort", onAbort);
    s.closing.signal.removeEventListener("abort", onAbort);
    watcher?.close();
  };
  let nextBookmark = Date.now() + s.bookmarkIntervalMs;

  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (first.length) {
        for (const c of first.splice(0)) controller.enqueue(c);
        if (!done) return;
      }
      for (;;) {
        if (done || !watcher) {
          cleanup();
          controller.close();
          return;
        }
        if (!pending) {
          pendingSettled = false;
          pending = watcher.next().then(
            (batch) => ((pendingSettled = true), { batch }),
            (error) => ((pendingSettled = true), { error }),
          );
        }
        const now = Date.now();
        const waitUntil = Math.min(deadline, bookmarks ? nextBookmark : deadline);
        let timer: ReturnType<typeof setTimeout> | undefined;
        const tick = new Promise<"tick">((res) => {
          wake = () => res("tick");
          timer = setTimeout(() => res("tick"), Math.max(0, waitUntil - now));
        });
        const r = await Promise.race([pending, tick]);
        clearTimeout(timer);
        wake = undefined;
        if (r === "tick") {
          if (done) continue;
          if (Date.now() >= deadline) {
            done = true;
            continue;
          }
          if (bookmarks && Date.now() >= nextBookmark) {
            // Events already handed over go out first; the bookmark follows on the next pass.
            if (pendingSettled) continue;
            nextBookmark = Date.now() + s.bookmarkIntervalMs;
            controller.enqueue(bookmark(live ? Math.max(lastRev, s.backend.currentRevision()) : lastRev));
            return;
          }
          continue;
        }
        pending = undefined;
        if (r.error !== undefined) {
          // Compacted: the client must relist. TooSlow/Closed: end the stream; clients re-watch from their last revision.
          if (r.error instanceof StorageError && r.error.code === "Compacted") controller.enqueue(line("ERROR", tooOld(startRev, s.backend.compactRevision()).status));
          else if (!(r.error instanceof StorageError)) controller.enqueue(line("ERROR", toStatus(r.error)));
          done = true;
          continue;
        }
        if (!r.batch) {
          done = true;
          continue;
        }
        let sent = false;
        for (const ev of r.batch) {
          lastRev = Math.max(lastRev, ev.kv.modRevision);
          const f = filterEvent(info, ev, sel);
          if (!f) continue;
          controller.enqueue(line(f.type, f.obj));
          sent = true;
        }
        if (sent) return;
      }
    },
    cancel() {
      stop();
      cleanup();
    },
  });
  const ct = table ? contentTypeOf(table) : pom ? contentTypeOf(pom) : "application/json";
  return new Response(stream, { status: 200, headers: { "Content-Type": ct, "Cache-Control": "no-cache, private" } });
}
