// Schema migrations, embedded as strings because the compiled binary has no files beside it.
// migrations[i] moves the schema from user_version i to i+1; it must match schema.ts.

/** PRAGMA application_id of kubun databases ("kubn"): tells ours from foreign SQLite files. */
export const APPLICATION_ID = 0x6b75626e;

export const migrations: readonly string[] = [
  `CREATE TABLE kv (
     id INTEGER PRIMARY KEY,
     name TEXT NOT NULL,
     created INTEGER NOT NULL,
     deleted INTEGER NOT NULL,
     create_revision INTEGER NOT NULL,
     prev_revision INTEGER NOT NULL,
     lease INTEGER NOT NULL,
     expires_at INTEGER,
     value TEXT NOT NULL,
     old_value TEXT
   );
   CREATE INDEX kv_name_id ON kv (name, id);
   CREATE INDEX kv_expires_at ON kv (expires_at) WHERE expires_at IS NOT NULL;
   CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
   INSERT INTO meta (key, value) VALUES ('compact_revision', 0);`,
];

export const SCHEMA_VERSION = migrations.length;
