// Child of badinput.test.ts, run inside a private mount namespace (unshare -m) on a small tmpfs
// mounted at argv[2]: exercises a full disk or a read-only mount and prints one JSON result line.
import { Database } from "bun:sqlite";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openSqliteBackend } from "./backend.ts";
import type { StorageError } from "./types.ts";

const [mnt, scenario] = process.argv.slice(2);
const path = join(mnt, "db", "state.db");
const codeOf = (e: unknown) => (e as StorageError).code ?? String(e);

function integrity(): string {
  const db = new Database(path, { readonly: true });
  try {
    return (db.query("PRAGMA integrity_check").get() as { integrity_check: string }).integrity_check;
  } finally {
    db.close();
  }
}

async function full() {
  // Ballast the "operator" deletes later to free space.
  writeFileSync(join(mnt, "ballast"), Buffer.alloc(512 * 1024, 1));
  const b = openSqliteBackend({ path, compactIntervalMs: 0 });
  const acked = new Map<string, number>();
  const value = "z".repeat(4096);
  let error = "";
  let failedKeys: string[] = [];
  let revBefore = 0;
  for (let round = 0; round < 2000 && !error; round++) {
    revBefore = b.currentRevision();
    const keys = Array.from({ length: 8 }, (_, i) => `/full/${round}/${i}`);
    const res = await Promise.allSettled(keys.map((k) => b.create(k, value)));
    res.forEach((r, i) => {
      if (r.status === "fulfilled") acked.set(keys[i], r.value.modRevision);
      else error ||= codeOf(r.reason);
    });
    if (error) failedKeys = keys.filter((_, i) => res[i].status === "rejected");
  }
  const revAfterFail = b.currentRevision();
  const failedVisible = (await Promise.all(failedKeys.map((k) => b.get(k)))).filter((r) => r.kv).length;
  let readsWork = true;
  for (const [k, rev] of acked) if ((await b.get(k)).kv?.modRevision !== rev) readsWork = false;
  // Free space; the store must accept writes again without a restart.
  rmSync(join(mnt, "ballast"));
  let writeAfterFree = "ok";
  try {
    await b.create("/full/after", "x");
  } catch (e) {
    writeAfterFree = codeOf(e);
  }
  await b.close();
  const b2 = openSqliteBackend({ path, compactIntervalMs: 0 });
  let missingAfterReopen = 0;
  for (const [k, rev] of acked) if ((await b2.get(k)).kv?.modRevision !== rev) missingAfterReopen++;
  const afterPresent = (await b2.get("/full/after")).kv !== undefined;
  await b2.close();
  return {
    error, acked: acked.size, failedKeys: failedKeys.length, revBefore, revAfterFail, failedVisible,
    readsWork, writeAfterFree, missingAfterReopen, afterPresent, integrity: integrity(),
  };
}

async function readonly() {
  const b = openSqliteBackend({ path, compactIntervalMs: 0 });
  await b.create("/ro/a", "1");
  await b.close();
  const before = Bun.hash(readFileSync(path)).toString();
  const remount = Bun.spawnSync(["mount", "-o", "remount,ro", mnt]);
  if (remount.exitCode !== 0) throw new Error(`remount failed: ${remount.stderr}`);
  let existing = "ok";
  try {
    openSqliteBackend({ path, compactIntervalMs: 0 });
  } catch (e) {
    existing = codeOf(e);
  }
  let fresh = "ok";
  try {
    openSqliteBackend({ path: join(mnt, "other", "state.db"), compactIntervalMs: 0 });
  } catch (e) {
    fresh = codeOf(e);
  }
  // A WAL database on a read-only mount cannot even be opened read-only (no -shm), so compare bytes.
  return { existing, fresh, unchanged: Bun.hash(readFileSync(path)).toString() === before };
}

const result = scenario === "full" ? await full() : await readonly();
process.stdout.write(JSON.stringify(result) + "\n");
