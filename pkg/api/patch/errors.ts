// Status errors the patch handlers of kube-apiserver return (handlers/patch.go).
import { StatusError, badRequest } from "../errors.ts";

export { badRequest };

/** A patch that parsed but could not be applied: apiserver's generic 422 with the cause as detail. */
export function unprocessable(cause: string): StatusError {
  return new StatusError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: "the server rejected our request due to an error in our request",
    reason: "Invalid",
    details: { causes: [{ message: cause }] },
    code: 422,
  });
}

/** Errors apiserver does not classify: a 500 with an empty (Unknown) reason and the raw message. */
export function unclassified(message: string): StatusError {
  return new StatusError({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason: "", code: 500 });
}

/** Go's %v rendering of a decoded JSON value, used in upstream's error messages. */
export function goFormat(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (Array.isArray(v)) return `[${v.map(goFormat).join(" ")}]`;
  if (typeof v === "object") {
    const keys = Object.keys(v as object).sort();
    return `map[${keys.map((k) => `${k}:${goFormat((v as Record<string, unknown>)[k])}`).join(" ")}]`;
  }
  return String(v);
}

/** Own property only: JSON keys such as "__proto__" must never reach a prototype. */
export const getOwn = (o: Record<string, unknown>, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);

/** Define an own enumerable property, even for "__proto__". */
export function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === "__proto__") Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Structural JSON equality. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}
