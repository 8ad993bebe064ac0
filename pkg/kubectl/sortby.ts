// --sort-by=<JSONPath>: kubectl's ordering of objects by one field (numbers by value, the
// rest as strings; objects missing the field first).
import { renderJSONPath } from "./jsonpath.ts";

function key(obj: unknown, path: string): string | number | undefined {
  const tpl = path.startsWith("{") ? path : `{${path.startsWith(".") ? path : "." + path}}`;
  let s: string;
  try {
    s = renderJSONPath(tpl, obj, false);
  } catch {
    return undefined;
  }
  // Quantities and plain numbers compare numerically.
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s;
}

export function sortBy<T>(items: T[], path: string, objOf: (t: T) => unknown = (t) => t): T[] {
  const keyed = items.map((it) => ({ it, k: key(objOf(it), path) }));
  keyed.sort((a, b) => {
    if (a.k === undefined || b.k === undefined) return a.k === undefined ? (b.k === undefined ? 0 : -1) : 1;
    if (typeof a.k === "number" && typeof b.k === "number") return a.k - b.k;
    return String(a.k) < String(b.k) ? -1 : String(a.k) > String(b.k) ? 1 : 0;
  });
  return keyed.map((x) => x.it);
}
