// In-memory Backend for unit tests: a revision log with CAS, snapshots, compaction and watch,
// following the semantics of pkg/storage/types.ts (the real store is SQLite).
import type { Backend, KeyValue, ListResult, WatchEvent, Watcher } from "../../storage/types.ts";
import { StorageError } from "../../storage/types.ts";

interface LogRow {
  rev: number;
  key: string;
  kv: KeyValue | undefined; // undefined = tombstone
  prev: KeyValue | undefined;
}

export interface MemoryBackend extends Backend {
  /** Test hook: number of open watchers. */
  watcherCount(): number;
}

export function createMemoryBackend(opts: { watchQueueLimit?: number } = {}): MemoryBackend {
  const log: LogRow[] = [];
  const live = new Map<string, KeyValue>();
  let rev = 0;
  let compacted = 0;
  let closed = false;
  const watchers = new Set<MemWatcher>();

  const stateAt = (revision: number): Map<string, KeyValue> => {
    if (revision >= rev) return live;
    const m = new Map<string, KeyValue>();
    for (const row of log) {
      if (row.rev > revision) break;
      if (row.kv) m.set(row.key, row.kv);
      else m.delete(row.key);
    }
    return m;
  };
  const checkRev = (revision: number | undefined) => {
    if (revision && revision < compacted) throw new StorageError("Compacted", `required revision ${revision} has been compacted`);
    if (revision && revision > rev) throw new StorageError("Internal", `revision ${revision} is in the future`);
  };
  const append = (key: string, kv: KeyValue | undefined, prev: KeyValue | undefined) => {
    const row: LogRow = { rev, key, kv, prev };
    log.push(row);
    const ev: WatchEvent = kv
      ? prev
        ? { type: "update", kv, prevKv: prev }
        : { type: "create", kv }
      : { type: "delete", kv: { ...prev!, modRevision: rev }, prevKv: prev };
    for (const w of watchers) w.push(ev);
  };
  const ensureOpen = () => {
    if (closed) throw new StorageError("Closed", "backend closed");
  };

  class MemWatcher implements Watcher {
    queue: WatchEvent[] = [];
    waiting: ((v: WatchEvent[] | null) => void) | undefined;
    failing: ((e: unknown) => void) | undefined;
    error: StorageError | undefined;
    done = false;
    constructor(readonly prefix: string, readonly limit: number) {}
    push(ev: WatchEvent) {
      if (this.done || !ev.kv.key.startsWith(this.prefix)) return;
      this.queue.push(ev);
      if (this.queue.length > this.limit) return this.fail(new StorageError("TooSlow", "watcher fell behind"));
      this.flush();
    }
    fail(e: StorageError) {
      this.error = e;
      this.done = true;
      watchers.delete(this);
      this.queue = [];
      if (this.failing) {
        const f = this.failing;
        this.waiting = this.failing = undefined;
        f(e);
      }
    }
    flush() {
      if (this.waiting && this.queue.length) {
        const w = this.waiting;
        const batch = this.queue;
        this.queue = [];
        this.waiting = this.failing = undefined;
        w(batch);
      }
    }
    next(): Promise<WatchEvent[] | null> {
      if (this.error) {
        const e = this.error;
        return Promise.reject(e);
      }
      if (this.queue.length) {
        const batch = this.queue;
        this.queue = [];
        return Promise.resolve(batch);
      }
      if (this.done) return Promise.resolve(null);
      return new Promise((res, rej) => {
        this.waiting = res;
        this.failing = rej;
      });
    }
    close() {
      if (this.done) return;
      this.done = true;
      watchers.delete(this);
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = this.failing = undefined;
        w(null);
      }
    }
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const b = await this.next();
        if (!b) return;
        yield b;
      }
    }
  }

  const backend: MemoryBackend = {
    currentRevision: () => rev,
    compactRevision: () => compacted,
    watcherCount: () => watchers.size,
    async get(key, o) {
      ensureOpen();
      checkRev(o?.revision);
      const at = o?.revision || rev;
      return { revision: at, kv: stateAt(at).get(key) };
    },
    async list(prefix, o): Promise<ListResult> {
      ensureOpen();
      checkRev(o?.revision);
      const at = o?.revision || rev;
      const keys = [...stateAt(at).keys()].filter((k) => k.startsWith(prefix) && (!o?.startAfter || k > o.startAfter)).sort();
      const state = stateAt(at);
      const lim = o?.limit && o.limit > 0 ? o.limit : keys.length;
      const page = keys.slice(0, lim);
      return { revision: at, kvs: page.map((k) => state.get(k)!), more: keys.length > lim, remaining: keys.length - page.length };
    },
    async count(prefix) {
      ensureOpen();
      let n = 0;
      for (const k of live.keys()) if (k.startsWith(prefix)) n++;
      return { revision: rev, count: n };
    },
    async create(key, value) {
      ensureOpen();
      if (live.has(key)) throw new StorageError("KeyExists", `key exists: ${key}`);
      rev++;
      const kv: KeyValue = { key, value, createRevision: rev, modRevision: rev };
      live.set(key, kv);
      append(key, kv, undefined);
      return kv;
    },
    async update(key, value, expected) {
      ensureOpen();
      const cur = live.get(key);
      if (!cur) throw new StorageError("NotFound", `key not found: ${key}`);
      if (cur.modRevision !== expected) throw new StorageError("Conflict", `revision mismatch on ${key}`, cur);
      rev++;
      const kv: KeyValue = { key, value, createRevision: cur.createRevision, modRevision: rev };
      live.set(key, kv);
      append(key, kv, cur);
      return kv;
    },
    async delete(key, expected) {
      ensureOpen();
      const cur = live.get(key);
      if (!cur) throw new StorageError("NotFound", `key not found: ${key}`);
      if (expected !== undefined && cur.modRevision !== expected) throw new StorageError("Conflict", `revision mismatch on ${key}`, cur);
      rev++;
      live.delete(key);
      append(key, undefined, cur);
      return { revision: rev, prevKv: cur };
    },
    watch(prefix, o) {
      const w = new MemWatcher(prefix, o?.maxQueue ?? opts.watchQueueLimit ?? 10_000);
      const after = o?.afterRevision ?? 0;
      if (closed) {
        w.done = true;
        return w;
      }
      if (after > 0 && after < compacted) {
        w.fail(new StorageError("Compacted", `required revision ${after} has been compacted`));
        return w;
      }
      watchers.add(w);
      if (after > 0) {
        for (const row of log) {
          if (row.rev <= after) continue;
          const ev: WatchEvent = row.kv
            ? row.prev
              ? { type: "update", kv: row.kv, prevKv: row.prev }
              : { type: "create", kv: row.kv }
            : { type: "delete", kv: { ...row.prev!, modRevision: row.rev }, prevKv: row.prev };
          w.push(ev);
        }
      }
      return w;
    },
    async compact(revision) {
      if (revision <= compacted) return;
      compacted = Math.min(revision, rev);
      // Keep only rows at or after the compact revision plus each live key's latest row.
      const keep = new Set<LogRow>();
      const latest = new Map<string, LogRow>();
      for (const row of log) if (row.rev < compacted) latest.set(row.key, row);
      for (const row of latest.values()) if (row.kv) keep.add(row);
      const rest = log.filter((r) => r.rev >= compacted || keep.has(r));
      log.length = 0;
      log.push(...rest);
    },
    async close() {
      closed = true;
      for (const w of [...watchers]) w.close();
    },
  };
  return backend;
}
