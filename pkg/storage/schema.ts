// Drizzle schema of the store: one append-only log table (kine's layout) plus a tiny meta table.
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Every write appends one row; its id is the revision (the Kubernetes resourceVersion). */
export const kv = sqliteTable(
  "kv",
  {
    id: integer("id").primaryKey(),
    name: text("name").notNull(),
    /** 1 when this row created a new incarnation of the key. */
    created: integer("created").notNull(),
    /** 1 for a tombstone (delete). */
    deleted: integer("deleted").notNull(),
    createRevision: integer("create_revision").notNull(),
    /** Id of the row this one supersedes (0 when none); compaction deletes it. */
    prevRevision: integer("prev_revision").notNull(),
    /** TTL in seconds (kine's "lease"); 0 when none. */
    lease: integer("lease").notNull(),
    /** Wall-clock expiry in ms since the epoch for TTL'd keys, null otherwise. */
    expiresAt: integer("expires_at"),
    value: text("value").notNull(),
    /** Value of the superseded row (prevKv of watch events without reading it back). */
    oldValue: text("old_value"),
  },
  (t) => [
    index("kv_name_id").on(t.name, t.id),
    index("kv_expires_at").on(t.expiresAt).where(sql`expires_at IS NOT NULL`),
  ],
);

/** Small key → integer settings that survive restarts (the compact revision). */
export const meta = sqliteTable("meta", {
  key: text("key").primaryKey(),
  value: integer("value").notNull(),
});

export type KvRow = typeof kv.$inferSelect;
export type KvInsert = typeof kv.$inferInsert;
