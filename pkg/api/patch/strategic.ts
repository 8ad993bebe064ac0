// Kubernetes strategic merge patch (apimachinery strategicpatch, server side: MergeParallelList and
// IgnoreUnmatchedNulls), with patch strategies and merge keys taken from the SchemaRegistry.
// Fields without a schema get JSON-merge-patch semantics (maps merge, lists replace).
import type { SchemaRegistry } from "../schema/types.ts";
import { badRequest, goFormat, isObject, setOwn } from "./errors.ts";
import { normalizeElementOrder, partition } from "./smporder.ts";
import {
  SmpError,
  badArgType,
  badPatchType,
  badPrimitiveList,
  badRetainKeys,
  badSetElementOrder,
  goType,
  noListOfLists,
  noMergeKey,
} from "./smperrors.ts";
import { type Scope, elementScope, fieldMeta, rootScope, scopeOf } from "./smpschema.ts";

type JsonMap = Record<string, unknown>;

const DIRECTIVE = "$patch";
const RETAIN_KEYS = "$retainKeys";
const SET_ORDER = "$setElementOrder";
const DELETE_FROM_PRIMITIVE = "$deleteFromPrimitiveList";

/** `$prefix/field` → field, or the directive's format error. */
function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf("/");
  if (slash < 0 || key.slice(0, slash) !== prefix) throw prefix === SET_ORDER ? badSetElementOrder() : badPrimitiveList();
  return key.slice(slash + 1);
}

/** Go's reflect kind for the element-type checks upstream performs. */
const kindOf = (v: unknown) => (Array.isArray(v) ? "slice" : isObject(v) ? "map" : goType(v));

function sliceElementKind(...lists: unknown[][]): string {
  let prev: string | undefined;
  for (const l of lists)
    for (const v of l) {
      const k = kindOf(v);
      if (prev === undefined) {
        prev = k;
        if (k === "slice") throw noListOfLists();
      } else if (prev !== k) {
        throw new SmpError("unclassified", `list element types are not identical: ${lists.map(goFormat).join(" ")}`);
      }
    }
  if (prev === undefined) throw new SmpError("unclassified", "no elements in any of the given slices");
  return prev;
}

/** Apply `$retainKeys`: drop original keys not listed; every patched key must be listed. */
function applyRetainKeys(original: JsonMap, patch: JsonMap): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw badRetainKeys();
  const keep = new Set(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE) || k.startsWith(SET_ORDER)) continue;
    if (!keep.has(k)) throw badRetainKeys();
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

/** A patch value stored where the original had nothing: directives resolved, nulls dropped. */
function fresh(patchV: unknown, scope: Scope, key: string): unknown {
  const meta = fieldMeta(scope, key);
  if (isObject(patchV)) return mergeMap({}, patchV, scopeOf(scope, meta.schema));
  // lists of maps may carry element directives; scalar lists are stored as sent, as upstream
  if (Array.isArray(patchV) && meta.strategy === "merge" && patchV.length > 0 && patchV.every(isObject)) {
    return mergeSlice([], patchV, elementScope(scope, meta.schema), meta.mergeKey, false);
  }
  return structuredClone(patchV);
}

/** Merge `$setElementOrder/<field>` lists with their patch lists and impose the order. */
function mergeWithElementOrder(original: JsonMap, patch: JsonMap, scope: Scope): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw badArgType("[]interface {}", order);
    const field = extractKey(key, SET_ORDER);
    const foundOriginal = Object.hasOwn(original, field);
    const foundPatch = Object.hasOwn(patch, field);
    const originalList = foundOriginal ? original[field] : [];
    const patchList = foundPatch ? patch[field] : [];
    if (!Array.isArray(originalList)) throw badArgType("[]interface {}", originalList);
    if (!Array.isArray(patchList)) throw badArgType("[]interface {}", patchList);
    const meta = fieldMeta(scope, field);
    validateOrder(patchList, order, meta.mergeKey);
    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = originalList;
    else if (!foundOriginal && foundPatch) merged = fresh(patchList, scope, field) as unknown[];
    else if (foundOriginal && foundPatch) merged = mergeListField(originalList, patchList, scope, field, false);
    else continue;
    delete patch[field];
    if (originalList.length === 0 && patchList.length === 0) {
      setOwn(original, field, merged);
      continue;
    }
    const isMap = sliceElementKind(originalList, patchList) === "map";
    const [inPatch, serverOnly] = partition(merged, order, meta.mergeKey, isMap);
    setOwn(original, field, normalizeElementOrder(inPatch, serverOnly, order, originalList, meta.mergeKey, isMap));
  }
}

/** Items of the patch list must appear in the `$setElementOrder` list in the same relative order. */
function validateOrder(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey ? patchList.filter((v) => !(isObject(v) && v[DIRECTIVE] === "delete")) : patchList;
  const same = (a: unknown, b: unknown) => {
    if (!mergeKey) return a === b;
    if (!isObject(a)) throw badArgType("map[string]interface {}", a);
    if (!isObject(b)) throw badArgType("map[string]interface {}", b);
    if (!Object.hasOwn(a, mergeKey)) throw noMergeKey(a, mergeKey);
    if (!Object.hasOwn(b, mergeKey)) throw noMergeKey(b, mergeKey);
    return a[mergeKey] === b[mergeKey];
  };
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    if (isObject(items[p]) && Object.hasOwn(items[p] as JsonMap, DIRECTIVE)) {
      p++;
      continue;
    }
    if (same(items[p], order[o])) p++;
    o++;
  }
  if (p < items.length && o >= order.length) {
    throw new SmpError("unclassified", `The order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ORDER} list:\n${goFormat(order)}\n`);
  }
}

function mergeListField(original: unknown[], patch: unknown[], scope: Scope, key: string, isDeleteList: boolean): unknown[] {
  const meta = fieldMeta(scope, key);
  if (meta.strategy !== "merge") return structuredClone(patch);
  return mergeSlice(original, patch, elementScope(scope, meta.schema), meta.mergeKey, isDeleteList);
}

function dedupeScalars(s: unknown[]): unknown[] {
  // upstream's in-place dedupe: a duplicate is overwritten by the last element
  const out = [...s];
  let last = out.length - 1;
  for (let i = 0; i < last; i++) {
    for (let j = i + 1; j <= last; j++) {
      if (out[i] === out[j]) {
        out[j] = out[last];
        out.length = last;
        last--;
        j--;
      }
    }
  }
  return out;
}

function mergeSlice(original: unknown[], patch: unknown[], elemScope: Scope, mergeKey: string, isDeleteList: boolean): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const isMap = sliceElementKind(original, patch) === "map";
  let merged: unknown[];
  let orig = original;
  let items = patch;
  if (!isMap) {
    if (isDeleteList) {
      const del = new Set(patch);
      return original.filter((v) => !del.has(v));
    }
    merged = dedupeScalars([...original, ...patch]);
  } else {
    if (!mergeKey) throw new SmpError("unclassified", "cannot merge lists without merge key for type map");
    let replace = false;
    const plain: unknown[] = [];
    for (const v of patch as JsonMap[]) {
      if (!Object.hasOwn(v, DIRECTIVE)) {
        plain.push(v);
        continue;
      }
      const d = v[DIRECTIVE];
      if (d === "delete") {
        if (!Object.hasOwn(v, mergeKey)) throw noMergeKey(v, mergeKey);
        orig = orig.filter((o) => !(isObject(o) && o[mergeKey] === v[mergeKey]));
      } else if (d === "replace") {
        replace = true;
      } else if (d === "merge") {
        throw new SmpError("unclassified", "merging lists cannot yet be specified in the patch");
      } else {
        throw badPatchType(d, v);
      }
    }
    if (replace) {
      orig = plain.map((v) => mergeMap({}, v as JsonMap, elemScope));
      items = [];
    } else {
      items = plain;
    }
    merged = [...orig];
    for (const v of items as JsonMap[]) {
      if (!Object.hasOwn(v, mergeKey)) throw noMergeKey(v, mergeKey);
      const at = merged.findIndex((o) => {
        if (!isObject(o)) throw new SmpError("unclassified", "value for key is not a map.");
        return Object.hasOwn(o, mergeKey) && o[mergeKey] === v[mergeKey];
      });
      if (at >= 0) merged[at] = mergeMap(merged[at] as JsonMap, v, elemScope);
      else merged.push(mergeMap({}, v, elemScope));
    }
  }
  const [inPatch, serverOnly] = partition(merged, items, mergeKey, isMap);
  return normalizeElementOrder(inPatch, serverOnly, items, orig, mergeKey, isMap);
}

function mergeMap(original: JsonMap, patch: JsonMap, scope: Scope): JsonMap {
  if (Object.hasOwn(patch, DIRECTIVE)) {
    const d = patch[DIRECTIVE];
    if (d === "replace") {
      const { [DIRECTIVE]: _, ...rest } = patch;
      return rest;
    }
    if (d === "delete") return {};
    throw badPatchType(d, patch);
  }
  applyRetainKeys(original, patch);
  mergeWithElementOrder(original, patch, scope);
  for (const [rawKey, patchV] of Object.entries(patch)) {
    let key = rawKey;
    let isDeleteList = false;
    if (rawKey.startsWith(DELETE_FROM_PRIMITIVE)) {
      key = extractKey(rawKey, DELETE_FROM_PRIMITIVE);
      isDeleteList = true;
    }
    if (patchV === null) {
      delete original[key];
      continue;
    }
    if (!Object.hasOwn(original, key)) {
      if (!isDeleteList) setOwn(original, key, fresh(patchV, scope, key));
      continue;
    }
    const cur = original[key];
    if (kindOf(cur) !== kindOf(patchV) || (kindOf(cur) !== "map" && kindOf(cur) !== "slice")) {
      if (!isDeleteList) setOwn(original, key, fresh(patchV, scope, key));
      continue;
    }
    const meta = fieldMeta(scope, key);
    if (isObject(cur)) {
      setOwn(original, key, meta.strategy === "replace" ? fresh(patchV, { kind: "unknown" }, key) : mergeMap(cur, patchV as JsonMap, scopeOf(scope, meta.schema)));
    } else {
      setOwn(original, key, mergeListField(cur as unknown[], patchV as unknown[], scope, key, isDeleteList));
    }
  }
  return original;
}

/**
 * Apply a strategic merge patch to a copy of `doc` (a `typeName` object). Failures are StatusErrors
 * classified as upstream: malformed directives 400, lists of lists 422, the rest 500.
 */
export function applyStrategicMergePatch(doc: unknown, patch: unknown, schemas: SchemaRegistry, typeName: string): unknown {
  if (!isObject(patch)) throw badRequest(`json: cannot unmarshal ${Array.isArray(patch) ? "array" : goType(patch)} into Go value of type map[string]interface {}`);
  const original = isObject(doc) ? structuredClone(doc) : {};
  try {
    return mergeMap(original, structuredClone(patch), rootScope(schemas, typeName));
  } catch (e) {
    if (e instanceof SmpError) throw e.toStatus();
    throw e;
  }
}
