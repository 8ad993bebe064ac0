import { afterEach, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openSqliteBackend } from "./backend.ts";
import { snapshotSqlite, verifyDatabase } from "./snapshot.ts";
import { tempStore, type TempStore } from "./testutil.ts";

let s: TempStore | undefined;
afterEach(async () => {
  await s?.cleanup();
  s = undefined;
});

test("an online snapshot taken while writers run is one consistent revision", async () => {
  s = tempStore();
  const b = s.backend;
  for (let i = 0; i < 300; i++) await b.create(`/r/${i}`, `v${i}`);
  let stop = false;
  const writer = (async () => {
    for (let i = 0; !stop && i < 20_000; i++) {
      const cur = (await b.get(`/r/${i % 300}`)).kv!;
      await b.update(cur.key, `u${i}`, cur.modRevision);
    }
  })();
  await Bun.sleep(20);
  const dest = join(s.dir, "snap.db");
  snapshotSqlite(s.path, dest);
  await Bun.sleep(20);
  stop = true;
  await writer;
  expect(verifyDatabase(dest)).toEqual({ ok: true, problems: [], schemaVersion: 1 });
  const copy = openSqliteBackend({ path: dest, compactIntervalMs: 0 });
  try {
    const rev = copy.currentRevision();
    expect(rev).toBeGreaterThan(300);
    expect(rev).toBeLessThan(b.currentRevision()); // writers continued after the snapshot
    const ours = await b.list("/r/", { revision: rev });
    const theirs = await copy.list("/r/");
    expect(theirs.kvs).toEqual(ours.kvs);
  } finally {
    await copy.close();
  }
});

test("verifyDatabase reports foreign, corrupt and missing files", () => {
  s = tempStore();
  const foreign = join(s.dir, "foreign.db");
  const db = new Database(foreign);
  db.run("CREATE TABLE t (x)");
  db.close();
  expect(verifyDatabase(foreign).ok).toBe(false);
  expect(verifyDatabase(foreign).problems[0]).toContain("application_id");
  const junk = join(s.dir, "junk.db");
  writeFileSync(junk, "definitely not a database, just some text that is long enough");
  expect(verifyDatabase(junk)).toMatchObject({ ok: false });
  const missing = join(s.dir, "missing.db");
  rmSync(missing, { force: true });
  expect(verifyDatabase(missing).ok).toBe(false);
  expect(verifyDatabase(s.path).ok).toBe(true);
});
