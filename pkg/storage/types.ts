// Contract of the revisioned key-value store (etcd semantics on SQL, the way kine does it).
// Only pkg/apiserver (and cmd/ for snapshots) import this package.

/** One stored version of a key. Revisions are the ids of the log table rows. */
export interface KeyValue {
  key: string;
  /** Serialized object (JSON text for API objects). */
  value: string;
  /** Revision that created this incarnation of the key. */
  createRevision: number;
  /** Revision of this version (the Kubernetes resourceVersion). */
  modRevision: number;
}

export type WatchEventType = "create" | "update" | "delete";

export interface WatchEvent {
  type: WatchEventType;
  /** For deletes: the key with the tombstone's revision as modRevision and the last value. */
  kv: KeyValue;
  /** The previous version for updates and deletes. */
  prevKv?: KeyValue;
}

export interface GetOptions {
  /** Read as of this revision (0/undefined = latest). Fails with Compacted if older than the compact revision. */
  revision?: number;
}

export interface ListOptions {
  /** Read as of this revision (0/undefined = latest, and the returned revision pins the snapshot). */
  revision?: number;
  /** At most this many items (0/undefined = no limit). */
  limit?: number;
  /** Continue after this key (exclusive); keys are returned in ascending byte order. */
  startAfter?: string;
}

export interface ListResult {
  /** The revision the list was read at; pass it back with startAfter to page one snapshot. */
  revision: number;
  kvs: KeyValue[];
  /** True when more keys follow the last one returned. */
  more: boolean;
  /** Number of keys after the last one returned (for remainingItemCount). */
  remaining: number;
}

export interface Watcher extends AsyncIterable<WatchEvent[]> {
  /**
   * Next batch of events, in revision order. Rejects with StorageError code "Compacted"
   * when the start revision is compacted, or "TooSlow" when the watcher fell too far behind
   * (its queue overflowed); after a rejection the watcher is closed.
   * Resolves null once closed.
   */
  next(): Promise<WatchEvent[] | null>;
  close(): void;
}

export interface WatchOptions {
  /** Deliver events with modRevision > afterRevision (0 = from now). */
  afterRevision?: number;
  /** Stop delivering to this watcher after this many undelivered events (default in backend config). */
  maxQueue?: number;
}

export interface Backend {
  /** Latest committed revision. */
  currentRevision(): number;
  /** Oldest revision still readable; reads/watches below it fail with Compacted. */
  compactRevision(): number;
  get(key: string, opts?: GetOptions): Promise<{ revision: number; kv?: KeyValue }>;
  /** Keys starting with prefix (a prefix should end with "/"). */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  count(prefix: string): Promise<{ revision: number; count: number }>;
  /** Fails with KeyExists when a live key exists. ttlSeconds: deleted after that long (events). */
  create(key: string, value: string, opts?: { ttlSeconds?: number }): Promise<KeyValue>;
  /** Compare-and-swap on the key's modRevision; Conflict (with the current kv) when stale, NotFound if absent. */
  update(key: string, value: string, expectedModRevision: number, opts?: { ttlSeconds?: number }): Promise<KeyValue>;
  /** Delete; when expectedModRevision is given it must match (Conflict otherwise). Returns the deleted kv. */
  delete(key: string, expectedModRevision?: number): Promise<{ revision: number; prevKv: KeyValue }>;
  watch(prefix: string, opts?: WatchOptions): Watcher;
  /** Compact everything below this revision (keeps the latest version of each live key). */
  compact(revision: number): Promise<void>;
  /** Wait until everything written is durable and stop background work. */
  close(): Promise<void>;
}

export type StorageErrorCode =
  | "KeyExists"
  | "NotFound"
  | "Conflict"
  | "Compacted"
  | "TooSlow"
  | "Corrupt"
  | "ReadOnly"
  | "NoSpace"
  | "Closed"
  | "Internal";

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    /** For Conflict: the current version of the key. */
    readonly current?: KeyValue,
  ) {
    super(message);
    this.name = "StorageError";
  }
}

export interface SqliteBackendConfig {
  /** Path of the database file (created with its directory when absent). */
  path: string;
  /** Revisions kept behind the current one before compaction (default 1000, like kine). */
  compactWindow?: number;
  /** Compaction interval in ms (default 5 minutes; 0 disables the timer). */
  compactIntervalMs?: number;
  /** Default per-watcher queue bound in events (default 10,000). */
  watchQueueLimit?: number;
}
