// Tiny helpers for in-place defaulting of untyped JSON objects.

export type Obj = Record<string, any>;

/** Set obj[key] = value when absent (undefined or null). */
export function def(obj: Obj, key: string, value: unknown): void {
  // Own properties only: user-chosen keys (resource names) may shadow Object.prototype members.
  if (!Object.hasOwn(obj, key) || obj[key] === undefined || obj[key] === null) obj[key] = typeof value === "function" ? value() : value;
}

/** The child object at obj[key], created when absent. */
export function child(obj: Obj, key: string): Obj {
  if (!Object.hasOwn(obj, key) || obj[key] === null || typeof obj[key] !== "object") obj[key] = {};
  return obj[key];
}

export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
export const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
