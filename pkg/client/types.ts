// Contracts of the client package: one Client over any resource, shared informers with
// indexed caches, and a rate-limited work queue (client-go's dynamic client, tools/cache
// and util/workqueue, reduced to what kubun's controllers use).
import type { KubeObject } from "../api/types.ts";
import type { Status } from "../api/errors.ts";

/** A resource at a group-version; group "" is the core group. */
export interface GVR {
  group: string;
  version: string;
  resource: string;
}

/** Sends one request; the in-process transport is the API app's fetch, the other HTTPS. */
export type FetchFn = (req: Request) => Promise<Response>;

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface ObjectList<T = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata: ListMeta;
  items: T[];
}

interface Common {
  /** Namespace of the object(s); omit for cluster-scoped resources or all namespaces. */
  namespace?: string;
  signal?: AbortSignal;
}

export interface GetOptions extends Common {
  resourceVersion?: string;
  /** e.g. "status", "scale". */
  subresource?: string;
}

export interface ListOptions extends Common {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: "Exact" | "NotOlderThan";
  timeoutSeconds?: number;
}

export interface WatchOptions extends Common {
  labelSelector?: string;
  fieldSelector?: string;
  /** Start after this revision; "" or "0" also sends the current state as ADDED events. */
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export interface WriteOptions extends Common {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: "Ignore" | "Warn" | "Strict";
}

export interface CreateOptions extends WriteOptions {
  /** POST to a subresource of an existing object (pods/binding, pods/eviction): the parent's name. */
  name?: string;
  subresource?: string;
}

export interface UpdateOptions extends WriteOptions {
  subresource?: string;
}

export type PatchType = "merge" | "strategic" | "json" | "apply";

export interface PatchOptions extends WriteOptions {
  subresource?: string;
  /** Server-side apply: take ownership of conflicting fields. */
  force?: boolean;
}

export interface DeleteOptions extends Common {
  gracePeriodSeconds?: number;
  propagationPolicy?: "Background" | "Foreground" | "Orphan";
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

export type WatchEvent<T = KubeObject> =
  | { type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK"; object: T }
  | { type: "ERROR"; object: Status };

/** An open watch: iterate it; `close()` (or the options' signal, or breaking out) ends it. */
export interface WatchStream<T = KubeObject> extends AsyncIterable<WatchEvent<T>> {
  close(): void;
}

/**
 * JSON access to any resource by group/version/resource. Failures reject with a
 * StatusError (pkg/api/errors.ts) carrying the server's Status.
 */
export interface Client {
  get<T = KubeObject>(gvr: GVR, name: string, opts?: GetOptions): Promise<T>;
  list<T = KubeObject>(gvr: GVR, opts?: ListOptions): Promise<ObjectList<T>>;
  create<T = KubeObject>(gvr: GVR, obj: KubeObject, opts?: CreateOptions): Promise<T>;
  /** PUT; name and namespace come from obj.metadata unless given. */
  update<T = KubeObject>(gvr: GVR, obj: KubeObject, opts?: UpdateOptions): Promise<T>;
  updateStatus<T = KubeObject>(gvr: GVR, obj: KubeObject, opts?: WriteOptions): Promise<T>;
  /** `patch` is a JSON-able value (an object or, for "json", an operation array) or YAML/JSON text. */
  patch<T = KubeObject>(gvr: GVR, name: string, type: PatchType, patch: unknown, opts?: PatchOptions): Promise<T>;
  /** Resolves with the deleted object (or the object with deletionTimestamp) or a Success Status. */
  delete<T = KubeObject>(gvr: GVR, name: string, opts?: DeleteOptions): Promise<T>;
  watch<T = KubeObject>(gvr: GVR, opts?: WatchOptions): WatchStream<T>;
  /** DELETE on the collection (namespace controller): everything matching the selectors. */
  deleteCollection<T = KubeObject>(gvr: GVR, opts?: DeleteCollectionOptions): Promise<ObjectList<T>>;
  /** Any other path (discovery documents, /version): JSON in, JSON out. */
  request<T = unknown>(method: string, path: string, body?: unknown, opts?: { contentType?: string; signal?: AbortSignal }): Promise<T>;
}

export type DeleteCollectionOptions = DeleteOptions & Pick<ListOptions, "labelSelector" | "fieldSelector">;

// ---- informers ----

/** `namespace/name`, or `name` for cluster-scoped objects (client-go's MetaNamespaceKeyFunc). */
export type KeyFunc = (obj: KubeObject) => string;

/** An index function maps an object to the values it is indexed under. */
export type IndexFunc<T = KubeObject> = (obj: T) => string[];

/**
 * A read-only cache. Objects returned are shared with every consumer and MUST be treated
 * as immutable: `structuredClone` before changing anything.
 */
export interface Store<T = KubeObject> {
  get(key: string): T | undefined;
  list(): T[];
  listKeys(): string[];
  /** Objects whose index `indexName` contains `value`. */
  byIndex(indexName: string, value: string): T[];
  /** Adds index functions; allowed before or after objects are present. */
  addIndexers(indexers: Record<string, IndexFunc<T>>): void;
  size(): number;
}

export interface EventHandler<T = KubeObject> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  /** The last state seen; after a relist this may be older than the real final state. */
  onDelete?(obj: T): void;
}

/**
 * One list+watch shared by every consumer. Objects in its store and passed to handlers are
 * shared too: never mutate them (structuredClone first); tests can set freezeObjects.
 */
export interface SharedInformer<T = KubeObject> {
  readonly gvr: GVR;
  readonly store: Store<T>;
  /** Handlers added after the first sync get an onAdd for every cached object. */
  addEventHandler(h: EventHandler<T>): { remove(): void };
  hasSynced(): boolean;
  /** The resourceVersion of the last list, watch event or bookmark seen. */
  lastSyncResourceVersion(): string;
  /** Starts list+watch (idempotent). */
  run(): void;
  stop(): Promise<void>;
}

export interface InformerOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Periodic onUpdate(obj, obj) for every cached object; 0/undefined = never. */
  resyncMs?: number;
}

export interface InformerFactory {
  /** The one shared informer for this resource and options (created on first use). */
  forResource<T = KubeObject>(gvr: GVR, opts?: InformerOptions): SharedInformer<T>;
  /** Runs every informer created so far (and later ones as they are created). */
  start(): void;
  /** Resolves true once all informers synced, false if aborted first. */
  waitForCacheSync(signal?: AbortSignal): Promise<boolean>;
  shutdown(): Promise<void>;
}

// ---- work queue ----

export interface RateLimiter<K = string> {
  /** Delay in ms before `key` may be retried; counts a failure. */
  when(key: K): number;
  forget(key: K): void;
  numRequeues(key: K): number;
}

/**
 * A deduplicating queue: a key added many times before it is processed is processed once;
 * a key is never handed to two workers at once (re-adds during processing wait for done()).
 */
export interface WorkQueue<K = string> {
  add(key: K): void;
  addAfter(key: K, delayMs: number): void;
  addRateLimited(key: K): void;
  forget(key: K): void;
  numRequeues(key: K): number;
  /** Next key to process, or undefined once shut down. */
  get(): Promise<K | undefined>;
  done(key: K): void;
  len(): number;
  shutDown(): void;
  shuttingDown(): boolean;
}
