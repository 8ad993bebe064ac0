// `kubun datastore snapshot save|ls|restore|prune`: consistent online SQLite backups (k3s etcd-snapshot shapes).
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { snapshotSqlite, verifyDatabase } from "../pkg/storage/index.ts";
import { parseFlags, renderHelp, UsageError, type FlagSpec } from "./flags.ts";

const flags: FlagSpec[] = [
  { name: "data-dir", short: "d", type: "string", default: "/var/lib/kubun", usage: "Folder to hold state", category: "" },
  { name: "dir", type: "string", default: "", usage: "Directory to save snapshots (default: <data-dir>/server/db/snapshots)", category: "", env: "KUBUN_SNAPSHOT_DIR" },
  { name: "name", type: "string", default: "on-demand", usage: "Snapshot name prefix", category: "", env: false },
  { name: "snapshot-retention", type: "int", default: 5, usage: "Number of snapshots to retain", category: "", env: "KUBUN_SNAPSHOT_RETENTION" },
];

const help = () =>
  renderHelp("kubun datastore snapshot save|ls|restore FILE|prune", "Save, list, restore and prune consistent online snapshots of the SQLite datastore.", flags);

export interface SnapshotInfo {
  name: string;
  path: string;
  size: number;
  created: Date;
}

export function listSnapshots(dir: string): SnapshotInfo[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".db") && !f.startsWith("."))
    .map((f) => {
      const st = statSync(join(dir, f));
      return { name: f, path: join(dir, f), size: st.size, created: st.mtime };
    })
    .sort((a, b) => a.created.getTime() - b.created.getTime() || a.name.localeCompare(b.name));
}

export function saveSnapshot(dataDir: string, dir: string, prefix: string): SnapshotInfo {
  const db = join(dataDir, "server", "db", "state.db");
  if (!existsSync(db)) throw new UsageError(`no datastore at ${db}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const base = `${prefix}-${hostname()}-${Math.floor(Date.now() / 1000)}`;
  let name = `${base}.db`;
  for (let i = 1; existsSync(join(dir, name)); i++) name = `${base}-${i}.db`;
  const path = join(dir, name);
  snapshotSqlite(db, path);
  return { name, path, size: statSync(path).size, created: new Date() };
}

/** Replace the datastore with a snapshot (the server must be stopped); the old file is kept aside. */
export function restoreSnapshot(dataDir: string, file: string): string {
  const src = resolve(file);
  const check = verifyDatabase(src);
  if (!check.ok) throw new UsageError(`${src} is not a usable kubun snapshot: ${check.problems.join("; ")}`);
  const dbDir = join(dataDir, "server", "db");
  mkdirSync(dbDir, { recursive: true, mode: 0o700 });
  const db = join(dbDir, "state.db");
  let kept = "";
  if (existsSync(db)) {
    kept = `${db}.pre-restore-${Math.floor(Date.now() / 1000)}`;
    renameSync(db, kept);
    for (const ext of ["-wal", "-shm"]) if (existsSync(db + ext)) renameSync(db + ext, kept + ext);
  }
  const tmp = `${db}.restoring`;
  copyFileSync(src, tmp);
  renameSync(tmp, db);
  return kept;
}

export function pruneSnapshots(dir: string, retention: number, prefix?: string): string[] {
  const all = listSnapshots(dir).filter((s) => !prefix || s.name.startsWith(`${prefix}-`));
  const drop = all.slice(0, Math.max(0, all.length - retention));
  for (const s of drop) rmSync(s.path, { force: true });
  return drop.map((s) => s.name);
}

export async function runDatastoreCommand(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const [group, verb, ...rest] = argv;
  if (group !== "snapshot" || !verb || rest.includes("--help") || rest.includes("-h")) {
    console.log(help());
    return group === undefined || rest.includes("--help") || rest.includes("-h") ? 0 : 2;
  }
  const { values: v, args } = parseFlags(flags, rest, env);
  const dataDir = String(v["data-dir"]);
  const dir = String(v.dir) || join(dataDir, "server", "db", "snapshots");
  switch (verb) {
    case "save": {
      const s = saveSnapshot(dataDir, dir, String(v.name));
      console.log(`Snapshot ${s.name} saved to ${s.path} (${s.size} bytes)`);
      return 0;
    }
    case "ls":
    case "list": {
      console.log(`${"Name".padEnd(48)} ${"Location".padEnd(70)} ${"Size".padEnd(10)} Created`);
      for (const s of listSnapshots(dir)) console.log(`${s.name.padEnd(48)} ${("file://" + s.path).padEnd(70)} ${String(s.size).padEnd(10)} ${s.created.toISOString()}`);
      return 0;
    }
    case "restore": {
      if (args.length !== 1) throw new UsageError("restore needs exactly one snapshot file");
      const kept = restoreSnapshot(dataDir, args[0]);
      console.log(`Restored ${args[0]} into ${join(dataDir, "server", "db", "state.db")}${kept ? `; the previous datastore was kept as ${kept}` : ""}. Start kubun server to use it.`);
      return 0;
    }
    case "prune": {
      const dropped = pruneSnapshots(dir, Number(v["snapshot-retention"]), String(v.name));
      for (const d of dropped) console.log(`Removed snapshot ${d}`);
      return 0;
    }
    default:
      throw new UsageError(`unknown snapshot command "${verb}"`);
  }
}
