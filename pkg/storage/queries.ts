// Prepared drizzle statements for every hot path; placeholders keep them reusable.
import { and, asc, count, desc, eq, gt, gte, inArray, lt, lte, max, ne, sql } from "drizzle-orm";
import type { BunSQLiteDatabase } from "drizzle-orm/bun-sqlite";
import { kv, meta } from "./schema.ts";

const p = sql.placeholder;

export function prepareQueries(db: BunSQLiteDatabase) {
  // Live keys in [lo, end) with name > after, as of revision rev: a row counts when it is
  // its key's latest at rev (correlated lookup on the (name, id) index, no sort needed).
  const liveAt = and(
    gte(kv.name, p("lo")),
    gt(kv.name, p("after")),
    lt(kv.name, p("end")),
    eq(kv.deleted, 0),
    eq(kv.id, sql`(SELECT max(n.id) FROM kv AS n WHERE n.name = ${kv.name} AND n.id <= ${p("rev")})`),
  );
  return {
    latestAt: db
      .select()
      .from(kv)
      .where(and(eq(kv.name, p("name")), lte(kv.id, p("rev"))))
      .orderBy(desc(kv.id))
      .limit(1)
      .prepare(),
    latest: db.select().from(kv).where(eq(kv.name, p("name"))).orderBy(desc(kv.id)).limit(1).prepare(),
    insert: db
      .insert(kv)
      .values({
        id: p("id"),
        name: p("name"),
        created: p("created"),
        deleted: p("deleted"),
        createRevision: p("createRevision"),
        prevRevision: p("prevRevision"),
        lease: p("lease"),
        expiresAt: p("expiresAt"),
        value: p("value"),
        oldValue: p("oldValue"),
      })
      .prepare(),
    list: db
      .select({ name: kv.name, id: kv.id, createRevision: kv.createRevision, value: kv.value })
      .from(kv)
      .where(liveAt)
      .orderBy(asc(kv.name))
      .limit(p("limit"))
      .prepare(),
    countLive: db.select({ n: count() }).from(kv).where(liveAt).prepare(),
    // Log rows in (from, to] under a prefix, in revision order: watch replay.
    logRange: db
      .select()
      .from(kv)
      .where(and(gt(kv.id, p("from")), lte(kv.id, p("to")), gte(kv.name, p("lo")), lt(kv.name, p("end"))))
      .orderBy(asc(kv.id))
      .limit(p("limit"))
      .prepare(),
    maxId: db.select({ n: max(kv.id) }).from(kv).prepare(),
    getMeta: db.select({ value: meta.value }).from(meta).where(eq(meta.key, p("key"))).prepare(),
    setMeta: db
      .insert(meta)
      .values({ key: p("key"), value: p("value") })
      .onConflictDoUpdate({ target: meta.key, set: { value: sql`excluded.value` } })
      .prepare(),
    // Compaction step: rows superseded by a row in (lo, hi], then tombstones up to hi.
    deleteSuperseded: db
      .delete(kv)
      .where(
        inArray(
          kv.id,
          db
            .select({ id: kv.prevRevision })
            .from(kv)
            .where(and(gt(kv.id, p("lo")), lte(kv.id, p("hi")), ne(kv.prevRevision, 0))),
        ),
      )
      .prepare(),
    deleteTombstones: db
      .delete(kv)
      .where(and(eq(kv.deleted, 1), gt(kv.id, p("lo")), lte(kv.id, p("hi"))))
      .prepare(),
    // Live keys whose TTL passed: their latest row is live and expired.
    expired: db
      .select({ name: kv.name, id: kv.id })
      .from(kv)
      .where(
        and(
          lte(kv.expiresAt, p("now")),
          eq(kv.deleted, 0),
          sql`NOT EXISTS (SELECT 1 FROM kv AS n WHERE n.name = ${kv.name} AND n.id > ${kv.id})`,
        ),
      )
      .limit(p("limit"))
      .prepare(),
    nextExpiry: db.select({ at: sql<number | null>`min(${kv.expiresAt})` }).from(kv).prepare(),
  };
}

export type Queries = ReturnType<typeof prepareQueries>;
