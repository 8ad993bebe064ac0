// Group commit: every write issued in one event-loop turn is applied in ONE transaction
// (one fsync), then each caller's promise settles. Ops in a batch see each other's effects.
import { dirname } from "node:path";
import { dirIsReadOnly, isLogical, toStorageError } from "./errors.ts";
import { rowToEvent, rowToKv } from "./rows.ts";
import type { KvRow } from "./schema.ts";
import type { StoreState } from "./state.ts";
import { StorageError, type KeyValue, type WatchEvent } from "./types.ts";

export type WriteOp =
  | { kind: "create"; key: string; value: string; ttlSeconds?: number }
  | { kind: "update"; key: string; value: string; expected: number; ttlSeconds?: number }
  | { kind: "delete"; key: string; expected?: number };

interface Pending {
  op: WriteOp;
  resolve: (row: KvRow) => void;
  reject: (e: unknown) => void;
}

/** Above this many queued ops a turn's writes are split, keeping the event loop responsive. */
const MAX_BATCH = 10_000;

export interface GroupCommitter {
  submit(op: WriteOp): Promise<KvRow>;
  /** Resolves once everything queued so far is committed (or failed). */
  drain(): Promise<void>;
  /** Batches committed so far (observability and tests). */
  readonly batches: number;
}

export function createGroupCommitter(
  state: StoreState,
  publish: (events: WatchEvent[]) => void,
  now: () => number = Date.now,
): GroupCommitter {
  let queue: Pending[] = [];
  let scheduled = false;
  let batches = 0;
  let idle: Array<() => void> = [];

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  }

  function conflict(key: string, expected: number, cur: KvRow): StorageError {
    return new StorageError("Conflict", `${key}: expected modRevision ${expected}, current is ${cur.id}`, rowToKv(cur));
  }

  /** Applies one op inside the open transaction; throws a logical StorageError to refuse it. */
  function apply(op: WriteOp, id: number): KvRow {
    const row = state.q.latest.get({ name: op.key });
    const live = row && !row.deleted ? row : undefined;
    const ttl = op.kind === "delete" ? 0 : Math.max(0, Math.ceil(op.ttlSeconds ?? 0));
    let next: KvRow;
    if (op.kind === "create") {
      if (live) throw new StorageError("KeyExists", `${op.key} already exists`, rowToKv(live));
      next = {
        id, name: op.key, created: 1, deleted: 0, createRevision: id, prevRevision: row?.id ?? 0,
        lease: ttl, expiresAt: ttl ? now() + ttl * 1000 : null, value: op.value, oldValue: null,
      };
    } else if (op.kind === "update") {
      if (!live) throw new StorageError("NotFound", `${op.key} not found`);
      if (live.id !== op.expected) throw conflict(op.key, op.expected, live);
      next = {
        id, name: op.key, created: 0, deleted: 0, createRevision: live.createRevision, prevRevision: live.id,
        lease: ttl, expiresAt: ttl ? now() + ttl * 1000 : null, value: op.value, oldValue: live.value,
      };
    } else {
      if (!live) throw new StorageError("NotFound", `${op.key} not found`);
      if (op.expected !== undefined && live.id !== op.expected) throw conflict(op.key, op.expected, live);
      next = {
        id, name: op.key, created: 0, deleted: 1, createRevision: live.createRevision, prevRevision: live.id,
        lease: 0, expiresAt: null, value: live.value, oldValue: null,
      };
    }
    state.q.insert.run(next);
    return next;
  }

  function flush() {
    scheduled = false;
    const batch = queue.length > MAX_BATCH ? queue.splice(0, MAX_BATCH) : queue;
    if (batch === queue) queue = [];
    if (queue.length) schedule();
    if (batch.length) commit(batch);
    if (!queue.length && !scheduled) {
      const waiters = idle;
      idle = [];
      for (const w of waiters) w();
    }
  }

  function commit(batch: Pending[]) {
    if (state.closed) {
      for (const p of batch) p.reject(new StorageError("Closed", "store is closed"));
      return;
    }
    const outcomes: Array<KvRow | StorageError> = [];
    let rev = state.rev;
    try {
      state.sqlite.run("BEGIN IMMEDIATE");
      for (const p of batch) {
        try {
          outcomes.push(apply(p.op, rev + 1));
          rev++;
        } catch (e) {
          if (!isLogical(e)) throw e;
          outcomes.push(e);
        }
      }
      state.sqlite.run("COMMIT");
    } catch (e) {
      // SQLITE_FULL and I/O errors may or may not roll back by themselves.
      if (state.sqlite.inTransaction) {
        try {
          state.sqlite.run("ROLLBACK");
        } catch {
          /* the connection already rolled back */
        }
      }
      let err = toStorageError(e, `committing ${batch.length} write(s)`);
      if (err.code === "Internal" && dirIsReadOnly(dirname(state.sqlite.filename))) {
        err = new StorageError("ReadOnly", err.message);
      }
      for (const p of batch) p.reject(err);
      return;
    }
    batches++;
    state.rev = rev;
    const events: WatchEvent[] = [];
    for (const o of outcomes) if (!(o instanceof StorageError)) events.push(rowToEvent(o));
    if (events.length) publish(events);
    batch.forEach((p, i) => {
      const o = outcomes[i];
      if (o instanceof StorageError) p.reject(o);
      else p.resolve(o);
    });
  }

  return {
    submit(op) {
      if (state.closed) return Promise.reject(new StorageError("Closed", "store is closed"));
      return new Promise<KvRow>((resolve, reject) => {
        queue.push({ op, resolve, reject });
        schedule();
      });
    },
    drain() {
      if (!queue.length && !scheduled) return Promise.resolve();
      return new Promise<void>((r) => idle.push(r));
    },
    get batches() {
      return batches;
    },
  };
}

