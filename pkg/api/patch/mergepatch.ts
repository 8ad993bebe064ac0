// RFC 7386 JSON merge patch, as kube-apiserver applies it (evanphx/json-patch MergePatch).
import { badRequest, getOwn, isObject, setOwn } from "./errors.ts";

/** Drop null members of objects, recursively (also inside arrays), as a fresh value. */
function pruneNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (x === null ? null : pruneNulls(x)));
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) setOwn(out, k, pruneNulls(x));
  return out;
}

function mergeInto(doc: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete doc[k];
      continue;
    }
    const cur = getOwn(doc, k);
    if (cur === undefined || cur === null || !isObject(cur)) setOwn(doc, k, pruneNulls(v));
    else if (!isObject(v)) setOwn(doc, k, structuredClone(v));
    else mergeInto(cur, v);
  }
}

/**
 * Apply a merge patch to a copy of `doc`. An object patch merges (null deletes); an array patch
 * replaces the document; anything else is 400 "Invalid JSON Patch" as upstream.
 */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (Array.isArray(patch)) return pruneNulls(patch);
  if (!isObject(patch)) throw badRequest("Invalid JSON Patch");
  if (!isObject(doc)) return pruneNulls(patch);
  const out = structuredClone(doc);
  mergeInto(out, patch);
  return out;
}
