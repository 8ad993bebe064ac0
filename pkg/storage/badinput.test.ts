import { afterEach, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openSqliteBackend } from "./backend.ts";
import { rejection, tempDir } from "./testutil.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function freshPath(): string {
  const d = tempDir();
  dirs.push(d);
  return join(d, "state.db");
}
function openError(path: string): { code: string; message: string } {
  try {
    openSqliteBackend({ path, compactIntervalMs: 0 }).close();
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error("expected open to fail");
}

describe("refuses databases that are not ours, never overwriting them", () => {
  test("a file that is not SQLite", () => {
    const path = freshPath();
    const junk = Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 131 + 7) % 256));
    writeFileSync(path, junk);
    const err = openError(path);
    expect(err.code).toBe("Corrupt");
    expect(err.message).toContain("not an SQLite database");
    expect(readFileSync(path).equals(junk)).toBe(true);
  });

  test("a foreign SQLite database", () => {
    const path = freshPath();
    const db = new Database(path);
    db.run("CREATE TABLE kine (id INTEGER PRIMARY KEY, name TEXT)");
    db.close();
    const before = readFileSync(path);
    const err = openError(path);
    expect(err.code).toBe("Corrupt");
    expect(err.message).toContain("not a kubun one");
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  test("a kubun database with a damaged page", async () => {
    const path = freshPath();
    const b = openSqliteBackend({ path, compactIntervalMs: 0 });
    await Promise.all(Array.from({ length: 400 }, (_, i) => b.create(`/r/${i}`, "v".repeat(500))));
    await b.close();
    const bytes = readFileSync(path);
    // Garble the b-tree page headers of pages 3-10 (the first two hold the header and schema).
    for (let page = 2; page < 10; page++) for (let i = 0; i < 64; i++) bytes[page * 4096 + i] = 0xa5;
    writeFileSync(path, bytes);
    expect(openError(path).code).toBe("Corrupt");
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  test("a kubun database from a newer schema", async () => {
    const path = freshPath();
    await openSqliteBackend({ path, compactIntervalMs: 0 }).close();
    const db = new Database(path);
    db.run("PRAGMA user_version = 99");
    db.close();
    const err = openError(path);
    expect(err.code).toBe("Corrupt");
    expect(err.message).toContain("newer");
  });
});

/** Runs fs-child.ts in a private mount namespace with a size-limited tmpfs; returns its JSON. */
async function inTmpfs(scenario: string, size: string): Promise<Record<string, unknown>> {
  const mnt = tempDir("kubun-tmpfs-");
  dirs.push(mnt);
  const script = 'mount -t tmpfs -o size="$2" kubun-test "$1" && exec "$3" "$4" "$1" "$5"';
  const child = Bun.spawn(
    ["unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", mnt, size, process.execPath, join(import.meta.dir, "fs-child.ts"), scenario],
    { stdout: "pipe", stderr: "pipe" },
  );
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const [out, err] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  clearTimeout(timer);
  if (child.exitCode !== 0) throw new Error(`fs-child ${scenario} failed (${child.exitCode}): ${err}`);
  mkdirSync(mnt, { recursive: true });
  return JSON.parse(out.trim().split("\n").pop()!);
}

test("a full disk fails the write with NoSpace, leaves nothing half-written, and recovers", async () => {
  const r = await inTmpfs("full", "3m");
  expect(r.error).toBe("NoSpace");
  expect(r.acked as number).toBeGreaterThan(10);
  expect(r.failedKeys as number).toBeGreaterThan(0);
  expect(r.revAfterFail).toBe(r.revBefore); // the failed batch took no revision
  expect(r.failedVisible).toBe(0);
  expect(r.readsWork).toBe(true);
  expect(r.writeAfterFree).toBe("ok");
  expect(r.missingAfterReopen).toBe(0);
  expect(r.afterPresent).toBe(true);
  expect(r.integrity).toBe("ok");
}, 40_000);

test("a read-only data dir is refused at open with ReadOnly", async () => {
  const r = await inTmpfs("readonly", "4m");
  expect(r).toEqual({ existing: "ReadOnly", fresh: "ReadOnly", unchanged: true });
}, 40_000);

test("writes after close and open errors use StorageError codes", async () => {
  const path = freshPath();
  const b = openSqliteBackend({ path, compactIntervalMs: 0 });
  await b.close();
  expect((await rejection(b.update("/x", "y", 1))).code).toBe("Closed");
});
