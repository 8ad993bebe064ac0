// Small object-metadata helpers the API server needs on every write.
import { randomUUID } from "node:crypto";

// apimachinery's utilrand alphabet: no vowels (no accidental words) and no look-alikes (0/o, 1/l, 3/e).
const ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

/** n random characters from upstream's generateName alphabet. */
export function randomSuffix(n = 5): string {
  const bytes = crypto.getRandomValues(new Uint8Array(n));
  let out = "";
  for (let i = 0; i < n; i++) out += ALPHANUMS[bytes[i]! % ALPHANUMS.length];
  return out;
}

/** The name generateName produces: prefix truncated so the whole stays within 63 characters. */
export function generateNameFrom(prefix: string): string {
  const maxPrefix = 63 - 5;
  return (prefix.length > maxPrefix ? prefix.slice(0, maxPrefix) : prefix) + randomSuffix(5);
}

export const newUID = (): string => randomUUID();

/** RFC 3339 with second precision, like metav1.Time ("2024-01-02T03:04:05Z"). */
export function nowRFC3339(now: number = Date.now()): string {
  return new Date(Math.floor(now / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** RFC 3339 with microseconds, like metav1.MicroTime (events.k8s.io eventTime, lease renewTime). */
export function nowRFC3339Micro(now: number = Date.now()): string {
  return new Date(now).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

function canonical(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "undefined";
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(",")}}`;
}

/** Deep equality of JSON values, ignoring key order and undefined members. */
export function deepEqual(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/** True when anything but metadata and status differs: the rule for bumping metadata.generation. */
export function specChanged(oldObj: Record<string, unknown>, newObj: Record<string, unknown>): boolean {
  const strip = (o: Record<string, unknown>) => {
    const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o ?? {};
    return rest;
  };
  return !deepEqual(strip(oldObj), strip(newObj));
}
