// Documents are rebuilt only when what they are built from changes: keyed by registry and
// schema registry, checked against a fingerprint of the served resources.
import type { SchemaRegistry } from "../schema/types.ts";
import type { Registry } from "../types.ts";

const caches = new WeakMap<Registry, WeakMap<SchemaRegistry, Map<string, { fingerprint: string; value: object }>>>();

export function memo(registry: Registry, schemas: SchemaRegistry, key: string, fingerprint: string, build: () => object): object {
  let bySchemas = caches.get(registry);
  if (!bySchemas) caches.set(registry, (bySchemas = new WeakMap()));
  let entries = bySchemas.get(schemas);
  if (!entries) bySchemas.set(schemas, (entries = new Map()));
  const hit = entries.get(key);
  if (hit && hit.fingerprint === fingerprint) return hit.value;
  const value = build();
  entries.set(key, { fingerprint, value });
  return value;
}

const encoded = new WeakMap<object, Uint8Array>();

/** Encode once per document object. */
export function memoEncode(doc: object, encode: (doc: object) => Uint8Array): Uint8Array {
  let bytes = encoded.get(doc);
  if (!bytes) encoded.set(doc, (bytes = encode(doc)));
  return bytes;
}
