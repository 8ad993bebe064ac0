// Online backup and offline verification of a kubun database (used by cmd/ and the installer).
import { Database } from "bun:sqlite";
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from "node:fs";
import { toStorageError } from "./errors.ts";
import { APPLICATION_ID, SCHEMA_VERSION } from "./migrations.ts";
import { checkHeader } from "./open.ts";
import { StorageError } from "./types.ts";

function fsyncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a consistent copy of the database at dbPath to destPath while it may be in use
 * (VACUUM INTO reads one WAL snapshot), fsyncs it and renames it into place atomically.
 */
export function snapshotSqlite(dbPath: string, destPath: string): void {
  checkHeader(dbPath);
  if (!existsSync(dbPath)) throw new StorageError("NotFound", `${dbPath} does not exist`);
  const tmp = `${destPath}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  const db = new Database(dbPath, { readonly: true });
  try {
    db.run("PRAGMA busy_timeout = 5000");
    db.query("VACUUM INTO ?").run(tmp);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw toStorageError(e, `snapshot of ${dbPath} to ${destPath}`);
  } finally {
    db.close(true);
  }
  fsyncPath(tmp);
  renameSync(tmp, destPath);
}

export interface VerifyResult {
  ok: boolean;
  /** Problems found (empty when ok). */
  problems: string[];
  schemaVersion: number;
}

/** Checks that path is a kubun database of a known schema that passes PRAGMA integrity_check. */
export function verifyDatabase(path: string): VerifyResult {
  const problems: string[] = [];
  let schemaVersion = 0;
  try {
    checkHeader(path);
    if (!existsSync(path)) return { ok: false, problems: [`${path} does not exist`], schemaVersion };
    const db = new Database(path, { readonly: true });
    try {
      const appId = (db.query("PRAGMA application_id").get() as { application_id: number }).application_id;
      schemaVersion = (db.query("PRAGMA user_version").get() as { user_version: number }).user_version;
      if (appId !== APPLICATION_ID) problems.push(`application_id ${appId} is not kubun's`);
      if (schemaVersion < 1 || schemaVersion > SCHEMA_VERSION) problems.push(`unknown schema version ${schemaVersion}`);
      const rows = db.query("PRAGMA integrity_check").all() as Array<{ integrity_check: string }>;
      for (const r of rows) if (r.integrity_check !== "ok") problems.push(r.integrity_check);
    } finally {
      db.close(true);
    }
  } catch (e) {
    problems.push(e instanceof StorageError ? e.message : toStorageError(e, `verifying ${path}`).message);
  }
  return { ok: problems.length === 0, problems, schemaVersion };
}
