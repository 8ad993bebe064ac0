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

test("snapshots taken by another process while this one writes are consistent", async () => {
  s = tempStore();
  const b = s.backend;
  for (let i = 0; i < 200; i++) await b.create(`/r/${i}`, `v${i}`);
  const dests = Array.from({ length: 4 }, (_, i) => join(s!.dir, `snap-${i}.db`));
  const code = `import { snapshotSqlite } from ${JSON.stringify(join(import.meta.dir, "snapshot.ts"))};
    for (const d of ${JSON.stringify(dests)}) { snapshotSqlite(${JSON.stringify(s.path)}, d); await Bun.sleep(15); }`;
  const child = Bun.spawn([process.execPath, "-e", code], { stdout: "ignore", stderr: "pipe" });
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  let exited = false;
  child.exited.then(() => (exited = true));
  for (let i = 0; !exited && i < 100_000; i++) {
    const cur = (await b.get(`/r/${i % 200}`)).kv!;
    await Promise.all([b.update(cur.key, `u${i}`, cur.modRevision), b.create(`/n/${i}`, "x")]);
  }
  await child.exited;
  clearTimeout(timer);
  expect(child.exitCode).toBe(0);
  const revs: number[] = [];
  for (const d of dests) {
    expect(verifyDatabase(d).ok).toBe(true);
    const copy = openSqliteBackend({ path: d, compactIntervalMs: 0 });
    try {
      const rev = copy.currentRevision();
      revs.push(rev);
      for (const prefix of ["/r/", "/n/"]) {
        expect((await copy.list(prefix)).kvs).toEqual((await b.list(prefix, { revision: rev })).kvs);
      }
    } finally {
      await copy.close();
    }
  }
  // The writer really ran between snapshots.
  expect(revs[revs.length - 1]).toBeGreaterThan(revs[0]);
}, 30_000);
