// CronJob schedules with croner: 5-field cron or @macros, `CRON_TZ=`/`TZ=` prefixes or spec.timeZone,
// and upstream's "most recent missed time" search (pkg/controller/cronjob/utils.go).
import { Cron } from "croner";

export interface ParsedSchedule {
  cron: Cron;
  timeZone: string;
}

const MACROS = new Set(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]);

/** Parses a schedule; throws an Error with a human message when it cannot. */
export function parseSchedule(schedule: string, timeZone?: string | null): ParsedSchedule {
  let expr = schedule.trim();
  let tz = timeZone ?? "UTC";
  const m = /^(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/.exec(expr);
  if (m) {
    tz = m[1]!;
    expr = m[2]!.trim();
  }
  if (!MACROS.has(expr) && expr.split(/\s+/).length !== 5) throw new Error(`expected exactly 5 fields, found ${expr.split(/\s+/).length}: ${expr}`);
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
  } catch {
    throw new Error(`unknown time zone ${tz}`);
  }
  return { cron: new Cron(expr, { paused: true, timezone: tz }), timeZone: tz };
}

export interface MostRecent {
  /** The latest schedule time ≤ now after `earliest`, if any. */
  time?: Date;
  /** How many schedule times were missed (upstream warns past 100). */
  missed: number;
  /** The next schedule time after now. */
  next?: Date;
}

export function mostRecentScheduleTime(s: ParsedSchedule, earliest: Date, now: Date, startingDeadlineSeconds?: number | null): MostRecent {
  let from = earliest;
  if (startingDeadlineSeconds != null) {
    const limit = new Date(now.getTime() - startingDeadlineSeconds * 1000);
    if (limit > from) from = limit;
  }
  let t = s.cron.nextRun(from);
  let time: Date | undefined;
  let missed = 0;
  // Bounded walk; past the bound, croner's previous-run search finds the latest directly.
  while (t && t <= now && missed < 1000) {
    time = t;
    missed++;
    t = s.cron.nextRun(t);
  }
  if (t && t <= now) {
    const prev = s.cron.previousRuns(1, now)[0];
    if (prev) time = prev;
    missed = Math.max(missed, 1001);
  }
  return { time, missed, next: s.cron.nextRun(now) ?? undefined };
}

/** RFC 3339 in the given zone ("2026-01-01T01:00:00+01:00"; "Z" for UTC), as Go's time.Format does. */
export function formatInZone(d: Date, timeZone: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "longOffset" }).formatToParts(d).map((p) => [p.type, p.value]));
  // Go's Z07:00 prints "Z" for any zero offset.
  const raw = String(parts.timeZoneName).replace("GMT", "");
  const off = raw === "" || raw === "+00:00" || raw === "-00:00" ? "Z" : raw;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${off}`;
}
