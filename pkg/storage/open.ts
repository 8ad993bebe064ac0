// Opens (or creates) a kubun database: refuses foreign/corrupt files before writing anything,
// then sets the PRAGMAs documented in README.md and applies embedded migrations.
import { Database } from "bun:sqlite";
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { dirIsReadOnly, toStorageError } from "./errors.ts";
import { APPLICATION_ID, migrations, SCHEMA_VERSION } from "./migrations.ts";
import { StorageError } from "./types.ts";

const SQLITE_MAGIC = "SQLite format 3\0";

/** Reads the 16-byte header; "" for an empty file. */
function readHeader(path: string): string {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    return buf.subarray(0, n).toString("latin1");
  } finally {
    closeSync(fd);
  }
}

/** Refuses files that are not SQLite at all, before SQLite ever touches them. */
export function checkHeader(path: string): void {
  if (!existsSync(path) || statSync(path).size === 0) return;
  const header = readHeader(path);
  if (header !== SQLITE_MAGIC) {
    throw new StorageError("Corrupt", `${path} is not an SQLite database (bad header); refusing to open it`);
  }
}

function pragmaValue(db: Database, name: string): unknown {
  const row = db.query(`PRAGMA ${name}`).get() as Record<string, unknown> | null;
  return row ? Object.values(row)[0] : undefined;
}

/** Checks identity and structure of an existing file without writing to it. */
function checkIdentity(db: Database, path: string): "new" | "kubun" {
  const appId = Number(pragmaValue(db, "application_id"));
  const version = Number(pragmaValue(db, "user_version"));
  const objects = (db.query("SELECT count(*) AS n FROM sqlite_master").get() as { n: number }).n;
  if (appId === 0 && version === 0 && objects === 0) return "new";
  if (appId !== APPLICATION_ID) {
    throw new StorageError("Corrupt", `${path} is an SQLite database but not a kubun one (application_id ${appId}); refusing to use it`);
  }
  if (version > SCHEMA_VERSION) {
    throw new StorageError("Corrupt", `${path} has schema version ${version}, newer than this kubun (${SCHEMA_VERSION})`);
  }
  const check = db.query("PRAGMA quick_check").all() as Array<Record<string, string>>;
  const first = check.length ? Object.values(check[0])[0] : "no result";
  if (first !== "ok") throw new StorageError("Corrupt", `${path} failed PRAGMA quick_check: ${first}`);
  return "kubun";
}

function applyPragmas(db: Database, fresh: boolean): void {
  // auto_vacuum only takes effect before the first table exists.
  if (fresh) db.run("PRAGMA auto_vacuum = INCREMENTAL");
  const mode = pragmaValue(db, "journal_mode = WAL");
  if (String(mode).toLowerCase() !== "wal") throw new StorageError("Internal", `cannot switch to WAL (journal_mode=${mode})`);
  db.run("PRAGMA synchronous = FULL");
  db.run("PRAGMA wal_autocheckpoint = 1000");
  db.run(`PRAGMA journal_size_limit = ${16 * 1024 * 1024}`);
  db.run("PRAGMA cache_size = -16384");
  db.run("PRAGMA temp_store = MEMORY");
  // Short: only another process (a snapshot reader) can hold a lock, and the event loop must not stall.
  db.run("PRAGMA busy_timeout = 250");
  db.run("PRAGMA foreign_keys = OFF");
}

function migrate(db: Database): void {
  const from = Number(pragmaValue(db, "user_version"));
  if (from >= SCHEMA_VERSION) return;
  db.transaction(() => {
    for (let v = from; v < SCHEMA_VERSION; v++) db.run(migrations[v]);
    db.run(`PRAGMA application_id = ${APPLICATION_ID}`);
    db.run(`PRAGMA user_version = ${SCHEMA_VERSION}`);
  })();
}

/** Opens the database at path for the backend; throws StorageError (Corrupt, ReadOnly, …). */
export function openDatabase(path: string): Database {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new StorageError(dirIsReadOnly(dirname(dir)) ? "ReadOnly" : "Internal", `cannot create ${dir}: ${(e as Error).message}`);
  }
  checkHeader(path);
  if (dirIsReadOnly(dir)) throw new StorageError("ReadOnly", `data directory ${dir} is read-only`);
  let db: Database | undefined;
  try {
    db = new Database(path, { create: true, readwrite: true, strict: true });
    const kind = checkIdentity(db, path);
    applyPragmas(db, kind === "new");
    migrate(db);
    return db;
  } catch (e) {
    try {
      db?.close(true);
    } catch {
      /* already failing; the original error matters */
    }
    const err = toStorageError(e, `opening ${path}`);
    if (err.code === "Internal" && dirIsReadOnly(dir)) throw new StorageError("ReadOnly", err.message);
    throw err;
  }
}
