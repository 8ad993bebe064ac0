// openSqliteBackend: the Backend contract on SQLite (kine's model), wiring the pieces:
// reads (synchronous, on the single connection), group-committed writes, watch hub,
// background compaction and TTL sweeping.
import { drizzle } from "drizzle-orm/bun-sqlite";
import { COMPACT_KEY, compactTo, reclaimSpace } from "./compact.ts";
import { toStorageError } from "./errors.ts";
import { openDatabase } from "./open.ts";
import { prepareQueries } from "./queries.ts";
import { prefixEnd, rowToKv } from "./rows.ts";
import type { StoreState } from "./state.ts";
import { sweepExpired } from "./ttl.ts";
import { createWatchHub } from "./watch.ts";
import { createGroupCommitter } from "./writer.ts";
import { StorageError, type Backend, type KeyValue, type SqliteBackendConfig } from "./types.ts";

/** Backend plus a few introspection hooks used by tests and benchmarks. */
export interface SqliteBackend extends Backend {
  /** Path of the database file. */
  readonly path: string;
  /** Transactions committed by the group committer so far. */
  commitCount(): number;
  /** Registered watchers. */
  watcherCount(): number;
  /** Runs one TTL sweep now; returns the number of expired keys found. */
  sweepExpired(now?: number): Promise<number>;
}

const TTL_SWEEP_MS = 1000;
/** Truncating checkpoints also run on this period, so the WAL shrinks even with compaction off. */
const CHECKPOINT_MS = 60_000;

/** Opens the store synchronously; throws StorageError (Corrupt, ReadOnly, NoSpace, Internal). */
export function openSqliteBackend(config: SqliteBackendConfig): SqliteBackend {
  const window = config.compactWindow ?? 1000;
  const intervalMs = config.compactIntervalMs ?? 5 * 60_000;
  const queueLimit = config.watchQueueLimit ?? 10_000;
  const sqlite = openDatabase(config.path);
  let state: StoreState;
  try {
    const q = prepareQueries(drizzle({ client: sqlite }));
    const compactRev = q.getMeta.get({ key: COMPACT_KEY })?.value ?? 0;
    const rev = Math.max(q.maxId.get()?.n ?? 0, compactRev);
    state = { sqlite, q, rev, compactRev, closed: false };
  } catch (e) {
    sqlite.close(true);
    throw toStorageError(e, `reading ${config.path}`);
  }
  const hub = createWatchHub(state);
  const writer = createGroupCommitter(state, hub.publish);
  const timers: Array<ReturnType<typeof setInterval>> = [];
  let compacting: Promise<void> | undefined;
  let sweeping: Promise<number> | undefined;

  function checkOpen() {
    if (state.closed) throw new StorageError("Closed", "store is closed");
  }

  /** Resolves the revision to read at, refusing compacted ones. */
  function readRevision(revision?: number): number {
    checkOpen();
    if (!revision) return state.rev;
    if (revision < state.compactRev) {
      throw new StorageError("Compacted", `revision ${revision} has been compacted (oldest is ${state.compactRev})`);
    }
    return Math.min(revision, state.rev);
  }

  function read<T>(doing: string, fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(toStorageError(e, doing));
    }
  }

  function runCompaction(target: number): Promise<void> {
    const run = async () => {
      if (compacting) await compacting.catch(() => {});
      await compactTo(state, target);
    };
    const p = run().finally(() => {
      if (compacting === p) compacting = undefined;
    });
    compacting = p;
    return p;
  }

  if (intervalMs > 0) {
    const t = setInterval(() => {
      const target = state.rev - window;
      if (target > state.compactRev && !compacting) runCompaction(target).catch(() => {});
    }, intervalMs);
    t.unref();
    timers.push(t);
  }
  const sweeper = setInterval(() => {
    if (!sweeping) sweeping = sweepExpired(state, writer).finally(() => (sweeping = undefined));
  }, TTL_SWEEP_MS);
  sweeper.unref();
  timers.push(sweeper);
  const checkpointer = setInterval(() => {
    try {
      if (!state.closed && !compacting) state.sqlite.run("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch {
      /* retried next period; a busy or full disk must not kill the server */
    }
  }, CHECKPOINT_MS);
  checkpointer.unref();
  timers.push(checkpointer);

  const backend: SqliteBackend = {
    path: config.path,
    currentRevision: () => state.rev,
    compactRevision: () => state.compactRev,
    get(key, opts) {
      return read(`get ${key}`, () => {
        const revision = readRevision(opts?.revision);
        const row = state.q.latestAt.get({ name: key, rev: revision });
        return { revision, kv: row && !row.deleted ? rowToKv(row) : undefined };
      });
    },
    list(prefix, opts) {
      return read(`list ${prefix}`, () => {
        const revision = readRevision(opts?.revision);
        const limit = opts?.limit && opts.limit > 0 ? opts.limit : -1;
        const range = { lo: prefix, end: prefixEnd(prefix), rev: revision };
        const rows = state.q.list.all({ ...range, after: opts?.startAfter ?? "", limit: limit > 0 ? limit + 1 : -1 });
        const more = limit > 0 && rows.length > limit;
        const kvs: KeyValue[] = (more ? rows.slice(0, limit) : rows).map(rowToKv);
        let remaining = 0;
        if (more) remaining = state.q.countLive.get({ ...range, after: kvs[kvs.length - 1].key })?.n ?? 0;
        return { revision, kvs, more, remaining };
      });
    },
    count(prefix) {
      return read(`count ${prefix}`, () => {
        const revision = readRevision();
        const n = state.q.countLive.get({ lo: prefix, end: prefixEnd(prefix), rev: revision, after: "" })?.n ?? 0;
        return { revision, count: n };
      });
    },
    async create(key, value, opts) {
      return rowToKv(await writer.submit({ kind: "create", key, value, ttlSeconds: opts?.ttlSeconds }));
    },
    async update(key, value, expectedModRevision, opts) {
      return rowToKv(
        await writer.submit({ kind: "update", key, value, expected: expectedModRevision, ttlSeconds: opts?.ttlSeconds }),
      );
    },
    async delete(key, expectedModRevision) {
      const row = await writer.submit({ kind: "delete", key, expected: expectedModRevision });
      return { revision: row.id, prevKv: { key, value: row.value, createRevision: row.createRevision, modRevision: row.prevRevision } };
    },
    watch(prefix, opts) {
      return hub.watch(prefix, opts?.afterRevision ?? 0, opts?.maxQueue ?? queueLimit);
    },
    compact(revision) {
      if (state.closed) return Promise.reject(new StorageError("Closed", "store is closed"));
      return runCompaction(revision);
    },
    async close() {
      if (state.closed) return;
      for (const t of timers) clearInterval(t);
      await writer.drain();
      await sweeping?.catch(() => {});
      await writer.drain();
      state.closed = true;
      await compacting?.catch(() => {});
      hub.closeAll();
      try {
        reclaimSpace(state);
      } catch {
        /* best effort: a full or read-only disk must not prevent closing */
      }
      sqlite.close(true);
    },
    commitCount: () => writer.batches,
    watcherCount: () => hub.size(),
    sweepExpired: (now) => sweepExpired(state, writer, now),
  };
  return backend;
}
