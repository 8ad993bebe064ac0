import { afterEach, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { getTableConfig } from "drizzle-orm/sqlite-core";
import { kv, meta } from "./schema.ts";
import { rejection, tempStore, waitFor, type TempStore } from "./testutil.ts";

let s: TempStore | undefined;
afterEach(async () => {
  await s?.cleanup();
  s = undefined;
});

describe("create/get/update/delete", () => {
  test("update is a compare-and-swap on modRevision; a stale one conflicts with the current kv", async () => {
    s = tempStore();
    const b = s.backend;
    const c = await b.create("/r/pods/ns/a", "v1");
    expect(c).toEqual({ key: "/r/pods/ns/a", value: "v1", createRevision: 1, modRevision: 1 });
    const u = await b.update("/r/pods/ns/a", "v2", c.modRevision);
    expect(u).toEqual({ key: "/r/pods/ns/a", value: "v2", createRevision: 1, modRevision: 2 });
    const err = await rejection(b.update("/r/pods/ns/a", "v3", c.modRevision));
    expect(err.code).toBe("Conflict");
    expect(err.current).toEqual(u);
    expect((await b.get("/r/pods/ns/a")).kv?.value).toBe("v2");
    expect(b.currentRevision()).toBe(2);
    expect((await rejection(b.update("/r/pods/ns/missing", "x", 1))).code).toBe("NotFound");
  });

  test("create fails with KeyExists while the key is live, and works again after a delete", async () => {
    s = tempStore();
    const b = s.backend;
    const first = await b.create("/r/k", "a");
    const err = await rejection(b.create("/r/k", "b"));
    expect(err.code).toBe("KeyExists");
    expect((await b.get("/r/k")).kv?.value).toBe("a");
    await b.delete("/r/k");
    const again = await b.create("/r/k", "c");
    expect(again.createRevision).toBe(again.modRevision);
    expect(again.createRevision).toBeGreaterThan(first.createRevision);
  });

  test("delete honours its revision precondition", async () => {
    s = tempStore();
    const b = s.backend;
    const c = await b.create("/r/k", "a");
    const u = await b.update("/r/k", "b", c.modRevision);
    const stale = await rejection(b.delete("/r/k", c.modRevision));
    expect(stale.code).toBe("Conflict");
    expect(stale.current).toEqual(u);
    expect((await b.get("/r/k")).kv).toEqual(u);
    const d = await b.delete("/r/k", u.modRevision);
    expect(d.prevKv).toEqual(u);
    expect(d.revision).toBe(u.modRevision + 1);
    expect((await b.get("/r/k")).kv).toBeUndefined();
    expect((await rejection(b.delete("/r/k"))).code).toBe("NotFound");
    await b.create("/r/k2", "x");
    expect((await b.delete("/r/k2")).prevKv.value).toBe("x");
  });

  test("get and list read at a past revision", async () => {
    s = tempStore();
    const b = s.backend;
    const a = await b.create("/r/a", "1");
    await b.create("/r/b", "1");
    const r = b.currentRevision();
    await b.update("/r/a", "2", a.modRevision);
    await b.delete("/r/b");
    await b.create("/r/c", "1");
    expect((await b.get("/r/a", { revision: r })).kv?.value).toBe("1");
    expect((await b.get("/r/b", { revision: r })).kv?.value).toBe("1");
    expect((await b.get("/r/c", { revision: r })).kv).toBeUndefined();
    const past = await b.list("/r/", { revision: r });
    expect(past.revision).toBe(r);
    expect(past.kvs.map((k) => `${k.key}=${k.value}`)).toEqual(["/r/a=1", "/r/b=1"]);
    const now = await b.list("/r/");
    expect(now.kvs.map((k) => `${k.key}=${k.value}`)).toEqual(["/r/a=2", "/r/c=1"]);
    expect((await b.count("/r/")).count).toBe(2);
    // Prefix boundaries: "/r/" must not match "/r2/" or "/r".
    await b.create("/r2/x", "1");
    await b.create("/r", "1");
    expect((await b.count("/r/")).count).toBe(2);
  });
});

describe("group commit", () => {
  test("writes of one turn commit in one transaction and see each other", async () => {
    s = tempStore();
    const b = s.backend;
    const base = await b.create("/r/cas", "0");
    const before = b.commitCount();
    const creates = Array.from({ length: 200 }, (_, i) => b.create(`/r/many/${String(i).padStart(3, "0")}`, "x"));
    const up1 = b.update("/r/cas", "1", base.modRevision);
    const up2 = b.update("/r/cas", "2", base.modRevision); // stale once up1 applied in the same batch
    const dup1 = b.create("/r/dup", "a");
    const dup2 = b.create("/r/dup", "b");
    const [results, u1, e2, d1, e3] = await Promise.all([
      Promise.all(creates),
      up1,
      rejection(up2),
      dup1,
      rejection(dup2),
    ]);
    expect(b.commitCount()).toBe(before + 1);
    expect(new Set(results.map((r) => r.modRevision)).size).toBe(200);
    expect(e2.code).toBe("Conflict");
    expect(e2.current).toEqual(u1);
    expect(d1.value).toBe("a");
    expect(e3.code).toBe("KeyExists");
    // Revisions are dense: one per successful write, no gaps for refused ones.
    expect(b.currentRevision()).toBe(base.modRevision + 202);
    expect((await b.count("/r/many/")).count).toBe(200);
  });

  test("state and revisions survive reopening", async () => {
    s = tempStore();
    await s.backend.create("/r/a", "1");
    await s.backend.create("/r/b", "1");
    await s.backend.delete("/r/b");
    await s.backend.compact(2);
    const b = await s.reopen();
    expect(b.currentRevision()).toBe(3);
    expect(b.compactRevision()).toBe(2);
    expect((await b.create("/r/c", "1")).modRevision).toBe(4);
    expect((await b.list("/r/")).kvs.map((k) => k.key)).toEqual(["/r/a", "/r/c"]);
  });

  test("operations after close fail with Closed", async () => {
    s = tempStore();
    const pending = s.backend.create("/r/a", "1");
    await s.backend.close();
    expect((await pending).value).toBe("1");
    expect((await rejection(s.backend.create("/r/b", "1"))).code).toBe("Closed");
    expect((await rejection(s.backend.get("/r/a"))).code).toBe("Closed");
  });
});

describe("TTL", () => {
  test("keys with ttlSeconds are deleted by the sweeper after expiry, others are kept", async () => {
    s = tempStore();
    const b = s.backend;
    await b.create("/r/events/e1", "x", { ttlSeconds: 1 });
    const kept = await b.create("/r/events/e2", "x", { ttlSeconds: 3600 });
    await b.create("/r/events/e3", "x");
    const w = b.watch("/r/events/");
    // A sweep "now" finds nothing; the background sweeper (1 s period) deletes e1 after 1 s.
    expect(await b.sweepExpired()).toBe(0);
    await waitFor(async () => (await b.get("/r/events/e1")).kv === undefined, 5000, "e1 to expire");
    const evs = await w.next();
    expect(evs?.map((e) => `${e.type} ${e.kv.key}`)).toEqual(["delete /r/events/e1"]);
    expect((await b.get("/r/events/e2")).kv).toEqual(kept);
    // A sweep two hours ahead expires e2 but never e3 (no TTL).
    expect(await b.sweepExpired(Date.now() + 7_200_000)).toBe(1);
    expect((await b.list("/r/events/")).kvs.map((k) => k.key)).toEqual(["/r/events/e3"]);
    w.close();
  });

  test("an update without ttlSeconds removes the expiry", async () => {
    s = tempStore();
    const b = s.backend;
    const c = await b.create("/r/k", "x", { ttlSeconds: 1 });
    await b.update("/r/k", "y", c.modRevision);
    expect(await b.sweepExpired(Date.now() + 60_000)).toBe(0);
    expect((await b.get("/r/k")).kv?.value).toBe("y");
  });
});

test("the drizzle schema matches the embedded migration", async () => {
  s = tempStore();
  await s.backend.close();
  const db = new Database(s.path, { readonly: true });
  try {
    for (const table of [kv, meta]) {
      const cfg = getTableConfig(table);
      const cols = (db.query(`PRAGMA table_info(${cfg.name})`).all() as Array<{ name: string; notnull: number; pk: number }>)
        .map((c) => `${c.name}:${c.notnull || c.pk ? 1 : 0}`)
        .sort();
      expect(cols).toEqual(cfg.columns.map((c) => `${c.name}:${c.notNull ? 1 : 0}`).sort());
      const idx = (db.query(`PRAGMA index_list(${cfg.name})`).all() as Array<{ name: string; origin: string }>)
        .filter((i) => i.origin === "c")
        .map((i) => i.name)
        .sort();
      expect(idx).toEqual(cfg.indexes.map((i) => i.config.name).sort());
    }
    expect((db.query("PRAGMA auto_vacuum").get() as { auto_vacuum: number }).auto_vacuum).toBe(2);
    expect((db.query("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode).toBe("wal");
  } finally {
    db.close();
  }
});
