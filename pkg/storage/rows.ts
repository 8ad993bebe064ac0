// Conversions between log rows and the contract's KeyValue / WatchEvent, and key ranges.
import type { KvRow } from "./schema.ts";
import type { KeyValue, WatchEvent } from "./types.ts";

/** Exclusive upper bound of keys starting with prefix (keys compare as UTF-8 bytes). */
export function prefixEnd(prefix: string): string {
  // U+10FFFF encodes as F4 8F BF BF, above every byte a key can continue with.
  return prefix + "\u{10FFFF}";
}

export function rowToKv(row: Pick<KvRow, "name" | "value" | "createRevision" | "id">): KeyValue {
  return { key: row.name, value: row.value, createRevision: row.createRevision, modRevision: row.id };
}

/** The event a log row records; prevKv comes from the row itself (old_value), as in kine. */
export function rowToEvent(row: KvRow): WatchEvent {
  const kv = rowToKv(row);
  if (row.deleted) {
    return { type: "delete", kv, prevKv: { ...kv, modRevision: row.prevRevision } };
  }
  if (row.created) return { type: "create", kv };
  return {
    type: "update",
    kv,
    prevKv: { key: row.name, value: row.oldValue ?? "", createRevision: row.createRevision, modRevision: row.prevRevision },
  };
}
