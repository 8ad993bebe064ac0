// Scheduled datastore snapshots with retention (k3s's etcd-snapshot schedule): consistent
// online SQLite copies under <data-dir>/server/db/snapshots by default.
import { Cron } from "croner";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { snapshotSqlite } from "../storage/index.ts";
import type { Logger } from "../util/log.ts";

export interface SnapshotScheduleOptions {
  dbPath: string;
  dir: string;
  /** 5-field cron expression, e.g. "0 *\/12 * * *" (k3s's default). */
  cron: string;
  retention: number;
  nodeName: string;
  logger: Logger;
  now?: () => Date;
}

const PREFIX = "kubun-snapshot";

/** Take one snapshot now and prune scheduled ones beyond the retention; returns the file. */
export function takeScheduledSnapshot(o: Omit<SnapshotScheduleOptions, "cron" | "logger">): string {
  mkdirSync(o.dir, { recursive: true, mode: 0o700 });
  const ts = Math.floor((o.now?.() ?? new Date()).getTime() / 1000);
  let name = `${PREFIX}-${o.nodeName}-${ts}.db`;
  for (let i = 1; existsSync(join(o.dir, name)); i++) name = `${PREFIX}-${o.nodeName}-${ts}-${i}.db`;
  const path = join(o.dir, name);
  snapshotSqlite(o.dbPath, path);
  const ours = readdirSync(o.dir)
    .filter((f) => f.startsWith(`${PREFIX}-${o.nodeName}-`) && f.endsWith(".db"))
    .map((f) => ({ f, t: statSync(join(o.dir, f)).mtimeMs }))
    .sort((a, b) => a.t - b.t || a.f.localeCompare(b.f));
  for (const old of ours.slice(0, Math.max(0, ours.length - o.retention))) rmSync(join(o.dir, old.f), { force: true });
  return path;
}

export function startSnapshotSchedule(o: SnapshotScheduleOptions): { stop(): void; nextRun(): Date | null } {
  const job = new Cron(o.cron, { protect: true }, () => {
    try {
      const file = takeScheduledSnapshot(o);
      o.logger.info("datastore snapshot saved", { file });
    } catch (e) {
      o.logger.error("datastore snapshot failed", { err: e instanceof Error ? e.message : String(e) });
    }
  });
  return { stop: () => job.stop(), nextRun: () => job.nextRun() };
}
