// Maps SQLite failures to the store's error codes so callers never see driver errors.
import { accessSync, constants } from "node:fs";
import { StorageError, type StorageErrorCode } from "./types.ts";

function sqliteCode(e: unknown): string {
  if (e && typeof e === "object" && "code" in e && typeof (e as { code: unknown }).code === "string") {
    return (e as { code: string }).code;
  }
  return "";
}

function classify(code: string): StorageErrorCode {
  if (code === "SQLITE_FULL") return "NoSpace";
  if (code.startsWith("SQLITE_READONLY") || code === "SQLITE_PERM") return "ReadOnly";
  if (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB") return "Corrupt";
  return "Internal";
}

/** Wraps any thrown value as a StorageError describing what was being done. */
export function toStorageError(e: unknown, doing: string): StorageError {
  if (e instanceof StorageError) return e;
  const code = sqliteCode(e);
  const msg = e instanceof Error ? e.message : String(e);
  const sc = classify(code);
  return new StorageError(sc, `${doing}: ${msg}${code ? ` (${code})` : ""}`);
}

/** True when dir cannot be written (read-only mount or permissions). */
export function dirIsReadOnly(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return false;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "EROFS" || code === "EACCES" || code === "EPERM";
  }
}

/** Errors that are one request's logical outcome rather than a failure of the batch. */
export function isLogical(e: unknown): e is StorageError {
  return e instanceof StorageError && (e.code === "KeyExists" || e.code === "NotFound" || e.code === "Conflict");
}
