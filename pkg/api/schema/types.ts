// Contract of the type schemas of served kinds: drives OpenAPI, strategic merge patch,
// server-side apply and unknown-field validation from one source.

export type FieldType =
  | "object" // a named struct type: see ref
  | "array"
  | "map" // map[string]T: see additionalProperties
  | "string"
  | "integer"
  | "number"
  | "boolean"
  | "int-or-string"
  | "quantity"
  | "time"
  | "bytes"
  | "any"; // RawExtension / arbitrary JSON

export interface FieldSchema {
  type: FieldType;
  /** Name of the struct type for "object" (e.g. "io.k8s.api.core.v1.Container"). */
  ref?: string;
  /** Element schema for arrays. */
  items?: FieldSchema;
  /** Value schema for maps. */
  additionalProperties?: FieldSchema;
  format?: string;
  description?: string;
  /** Strategic merge patch: "merge", "replace", "retainKeys", "merge,retainKeys". */
  patchStrategy?: string;
  patchMergeKey?: string;
  /** Server-side apply list semantics. */
  listType?: "atomic" | "set" | "map";
  listMapKeys?: string[];
  mapType?: "atomic" | "granular";
  structType?: "atomic" | "granular";
  /** Upstream's declared default (`+default=`), e.g. "TCP" for list-map-key protocols server-side apply relies on. */
  default?: unknown;
}

export interface TypeSchema {
  /** Fully-qualified OpenAPI definition name, e.g. "io.k8s.api.apps.v1.Deployment". */
  name: string;
  description?: string;
  properties: Record<string, FieldSchema>;
  required?: string[];
  /** For top-level kinds: the GVKs this definition serves (x-kubernetes-group-version-kind). */
  gvk?: Array<{ group: string; version: string; kind: string }>;
  /** `+structType=atomic` (x-kubernetes-map-type: atomic): server-side apply replaces it whole. */
  structType?: "atomic" | "granular";
}

export interface SchemaRegistry {
  /** Struct type by definition name. */
  type(name: string): TypeSchema | undefined;
  /** Definition name of a top-level kind. */
  typeNameFor(group: string, version: string, kind: string): string | undefined;
  /** All definitions (for OpenAPI documents). */
  all(): Iterable<TypeSchema>;
}
