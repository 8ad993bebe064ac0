// Contracts of the API model: resource registry entries, field errors, tables.
// Implementations live beside this file; pkg/apiserver consumes them.

export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [k: string]: any;
};

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }>;
  finalizers?: string[];
  managedFields?: any[];
  [k: string]: any;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface SubresourceInfo {
  /** e.g. "status", "scale", "binding", "log", "exec". */
  name: string;
  /** Kind served by the subresource (Scale, Binding, Eviction, the parent kind for status). */
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

/** One served resource at one group-version. Data-driven so CRDs can use the same paths. */
export interface ResourceInfo {
  group: string; // "" for core
  version: string;
  /** Plural lower-case name, e.g. "deployments". */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: SubresourceInfo[];
  /** Where objects are stored: one storage version per group-resource (e.g. HPA v1 and v2 share). */
  storageGroupResource?: string;
  /** Field selector paths this kind supports besides metadata.name/namespace. */
  fieldSelectors?: string[];
  /** Built-in kinds have a generation bumped on spec changes; some (e.g. configmaps) never do. */
  hasGeneration?: boolean;
}

/** One field error, rendered into Status causes and the Invalid message. */
export interface FieldError {
  /** "FieldValueRequired" | "FieldValueInvalid" | "FieldValueNotSupported" | "FieldValueDuplicate" | "FieldValueForbidden" | "FieldValueTooLong" | "FieldValueTypeInvalid" ... */
  type: string;
  /** Path like "spec.containers[0].image" or "metadata.name". */
  field: string;
  /** Message as kubectl prints it after the field: e.g. `Required value`, `Invalid value: "X": ...`. */
  message: string;
}

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableConvertor {
  columns: TableColumnDefinition[];
  /** Cells for one object (same order as columns). `now` lets tests pin ages. */
  cells(obj: KubeObject, now: number): unknown[];
}

export interface APIGroupInfo {
  /** "" for the core group. */
  name: string;
  /** Served versions, preferred first. */
  versions: string[];
}

/** All served resources; CRDs add and remove entries at run time. */
export interface Registry {
  all(): ResourceInfo[];
  groups(): APIGroupInfo[];
  lookup(group: string, version: string, resource: string): ResourceInfo | undefined;
  byKind(group: string, version: string, kind: string): ResourceInfo | undefined;
  add(info: ResourceInfo): void;
  remove(group: string, version: string, resource: string): void;
}
