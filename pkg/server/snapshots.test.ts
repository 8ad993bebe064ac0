import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteBackend, verifyDatabase } from "../storage/index.ts";
import { createLogger } from "../util/log.ts";
import { startSnapshotSchedule, takeScheduledSnapshot } from "./snapshots.ts";

const dir = mkdtempSync(join(tmpdir(), "kubun-snap-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("scheduled snapshots are consistent copies and keep only the retention count", async () => {
  const db = join(dir, "state.db");
  const b = openSqliteBackend({ path: db });
  await b.create("/registry/core/configmaps/default/a", '{"a":1}');
  let t = 1_700_000_000_000;
  const snaps = join(dir, "snaps");
  for (let i = 0; i < 4; i++) takeScheduledSnapshot({ dbPath: db, dir: snaps, retention: 2, nodeName: "n1", now: () => new Date((t += 1000)) });
  const files = readdirSync(snaps).sort();
  expect(files.length).toBe(2);
  for (const f of files) expect(verifyDatabase(join(snaps, f)).ok).toBe(true);
  const copy = openSqliteBackend({ path: join(snaps, files[1]) });
  expect((await copy.get("/registry/core/configmaps/default/a")).kv?.value).toBe('{"a":1}');
  await copy.close();
  await b.close();
});

test("the schedule parses cron expressions and reports the next run", () => {
  const s = startSnapshotSchedule({ dbPath: join(dir, "state.db"), dir: join(dir, "s2"), cron: "0 */12 * * *", retention: 5, nodeName: "n1", logger: createLogger("t") });
  const next = s.nextRun()!;
  expect(next.getUTCMinutes() === 0 || next.getMinutes() === 0).toBe(true);
  expect([0, 12]).toContain(next.getHours());
  s.stop();
  expect(() => startSnapshotSchedule({ dbPath: "", dir: "", cron: "not a cron", retention: 1, nodeName: "x", logger: createLogger("t") })).toThrow();
});
