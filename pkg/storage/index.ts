// The revisioned store: etcd semantics on SQLite. Only pkg/apiserver and cmd/ import this.
export * from "./types.ts";
export { openSqliteBackend, type SqliteBackend } from "./backend.ts";
export { snapshotSqlite, verifyDatabase, type VerifyResult } from "./snapshot.ts";
