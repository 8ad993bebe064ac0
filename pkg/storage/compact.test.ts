import { afterEach, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { existsSync, statSync } from "node:fs";
import { tempStore, type TempStore } from "./testutil.ts";

let s: TempStore | undefined;
afterEach(async () => {
  await s?.cleanup();
  s = undefined;
});

const MiB = 1024 * 1024;
const sizeOf = (p: string) => (existsSync(p) ? statSync(p).size : 0);
const dbSize = (path: string) => sizeOf(path) + sizeOf(`${path}-wal`);

test("database file + WAL stay bounded over 100,000 updates of 100 keys", async () => {
  // Background compaction every 50 ms keeping 1000 revisions, as a server would (with a shorter period).
  s = tempStore({ compactWindow: 1000, compactIntervalMs: 50 });
  const b = s.backend;
  const value = (i: number) => JSON.stringify({ kind: "ConfigMap", n: i, data: "x".repeat(200) });
  const keys = Array.from({ length: 100 }, (_, i) => `/registry/configmaps/ns/cm-${i}`);
  const revs = await Promise.all(keys.map((k) => b.create(k, value(0)).then((kv) => kv.modRevision)));
  let maxSize = 0;
  const t0 = performance.now();
  for (let round = 1; round <= 1000; round++) {
    // One round = 100 concurrent CAS updates, one group commit.
    const out = await Promise.all(keys.map((k, i) => b.update(k, value(round), revs[i])));
    out.forEach((kv, i) => (revs[i] = kv.modRevision));
    if (round % 50 === 0) {
      maxSize = Math.max(maxSize, dbSize(s.path));
      await Bun.sleep(1); // give the compaction timer a turn, as real traffic would
    }
  }
  const elapsed = performance.now() - t0;
  await b.compact(b.currentRevision() - 1000);
  maxSize = Math.max(maxSize, dbSize(s.path));
  const final = dbSize(s.path);
  expect(b.currentRevision()).toBe(100 + 100_000);
  // Each row is ~0.55 KiB (value + old_value + key + index): 100,000 uncompacted rows would be ~55 MiB.
  // Kept: 1000-revision window + rows written between compactions (~a few thousand) ≈ 1–3 MiB in
  // the file, plus a WAL that checkpoints every 1000 pages (4 MiB) and is truncated after compaction.
  expect(maxSize).toBeLessThan(12 * MiB);
  expect(final).toBeLessThan(4 * MiB);
  for (const [i, k] of keys.entries()) expect((await b.get(k)).kv?.modRevision).toBe(revs[i]);
  console.log(`100k updates in ${elapsed.toFixed(0)} ms; max file+WAL ${(maxSize / MiB).toFixed(2)} MiB, final ${(final / MiB).toFixed(2)} MiB`);
}, 60_000);

test("compaction keeps each live key's latest row, drops superseded rows and tombstones, and frees pages", async () => {
  s = tempStore();
  const b = s.backend;
  const big = "y".repeat(2000);
  let kvA = await b.create("/r/a", big);
  for (let i = 0; i < 3000; i++) kvA = await b.update("/r/a", big + i, kvA.modRevision);
  const kvB = await b.create("/r/b", "keep");
  await b.create("/r/c", "gone");
  await b.delete("/r/c");
  const kvD = await b.create("/r/d", "late");
  const before = dbSize(s.path);
  await b.compact(kvD.modRevision - 1);
  await b.close();
  const db = new Database(s.path, { readonly: true });
  try {
    const rows = db.query("SELECT name, id, deleted FROM kv ORDER BY id").all();
    expect(rows).toEqual([
      { name: "/r/a", id: kvA.modRevision, deleted: 0 },
      { name: "/r/b", id: kvB.modRevision, deleted: 0 },
      { name: "/r/d", id: kvD.modRevision, deleted: 0 },
    ]);
    expect((db.query("PRAGMA freelist_count").get() as { freelist_count: number }).freelist_count).toBe(0);
  } finally {
    db.close();
  }
  const after = dbSize(s.path);
  expect(after).toBeLessThan(before / 4);
  const b2 = await s.reopen();
  expect(b2.compactRevision()).toBe(kvD.modRevision - 1);
  expect((await b2.list("/r/", { revision: kvD.modRevision - 1 })).kvs.map((k) => k.key)).toEqual(["/r/a", "/r/b"]);
});

test("a read at the compact revision still sees values written before it", async () => {
  s = tempStore();
  const b = s.backend;
  const a = await b.create("/r/a", "1");
  for (let i = 0; i < 10; i++) await b.create(`/r/x${i}`, "1");
  const r = b.currentRevision();
  await b.update("/r/a", "2", a.modRevision);
  await b.compact(r);
  // /r/a@1 was superseded only after r, so it must survive for reads at r.
  expect((await b.get("/r/a", { revision: r })).kv?.value).toBe("1");
  expect((await b.get("/r/a")).kv?.value).toBe("2");
});
