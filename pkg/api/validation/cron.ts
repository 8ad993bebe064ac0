// Standard 5-field cron parsing with robfig/cron's error messages (what CronJob validation reports).

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}
const MONTHS = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DOW = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS },
  { min: 0, max: 6, names: DOW },
];
const DESCRIPTORS = new Set(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]);

function atoi(expr: string): number {
  if (!/^[+-]?\d+$/.test(expr)) throw new Error(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  const n = Number(expr);
  if (n < 0) throw new Error(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function intOrName(expr: string, names?: Record<string, number>): number {
  if (names) {
    const v = names[expr.toLowerCase()];
    if (v !== undefined) return v;
  }
  return atoi(expr);
}

function parseRange(expr: string, b: Bounds): void {
  const rangeAndStep = expr.split("/");
  const lowHigh = rangeAndStep[0]!.split("-");
  let start: number;
  let end: number;
  if (lowHigh[0] === "*" || lowHigh[0] === "?") {
    start = b.min;
    end = b.max;
  } else {
    start = intOrName(lowHigh[0]!, b.names);
    if (lowHigh.length === 1) end = start;
    else if (lowHigh.length === 2) end = intOrName(lowHigh[1]!, b.names);
    else throw new Error(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = atoi(rangeAndStep[1]!);
    if (lowHigh.length === 1) end = b.max; // "N/step" means N-max/step
  } else if (rangeAndStep.length > 2) throw new Error(`too many slashes: ${expr}`);
  if (start < b.min) throw new Error(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new Error(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new Error(`step of range should be a positive number: ${expr}`);
}

const DURATION_RE = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;

/** Returns the robfig/cron ParseStandard error message, or undefined when the schedule is valid. */
export function cronError(schedule: string): string | undefined {
  try {
    let spec = schedule;
    if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
      const i = spec.indexOf(" ");
      const tz = spec.slice(spec.indexOf("=") + 1, i < 0 ? undefined : i);
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: tz });
      } catch {
        throw new Error(`provided bad location ${tz}: unknown time zone ${tz}`);
      }
      spec = i < 0 ? "" : spec.slice(i).trim();
    }
    if (spec.startsWith("@")) {
      if (spec.startsWith("@every ")) {
        const d = spec.slice(7).trim();
        if (!DURATION_RE.test(d)) throw new Error(`failed to parse duration ${spec}: time: invalid duration ${JSON.stringify(d)}`);
        return undefined;
      }
      if (DESCRIPTORS.has(spec)) return undefined;
      throw new Error(`unrecognized descriptor: ${spec}`);
    }
    const fields = spec.split(/\s+/).filter(Boolean);
    if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: [${fields.join(" ")}]`);
    fields.forEach((f, i) => {
      for (const part of f.split(",")) parseRange(part, FIELDS[i]!);
    });
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

export function isValidTimeZone(tz: string): boolean {
  if (tz === "" || tz.toLowerCase() === "local") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
