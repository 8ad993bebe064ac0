// Element ordering of merged lists ($setElementOrder and patch order), as upstream's
// normalizeElementOrder: patch items follow the wanted order, server-only items keep their
// live order and are interleaved by their live positions.
import { isObject } from "./errors.ts";
import { SmpError, noMergeKey } from "./smperrors.ts";

/** Identity of a list element: its merge key value for maps, itself for scalars. */
const identity = (item: unknown, mergeKey: string, isMap: boolean) => (isMap ? (isObject(item) ? item[mergeKey] : undefined) : item);

/** Position lookup in `list` (first occurrence, `===` identity), built once per list. */
export function indexer(list: unknown[], mergeKey: string, isMap: boolean): (item: unknown) => number {
  const at = new Map<unknown, number>();
  list.forEach((v, i) => {
    const id = identity(v, mergeKey, isMap);
    if (!at.has(id)) at.set(id, i);
  });
  return (item) => at.get(identity(item, mergeKey, isMap)) ?? -1;
}

function validateMergeKeys(mergeKey: string, ...lists: unknown[][]): void {
  for (const l of lists)
    for (const item of l) {
      if (!isObject(item)) throw new SmpError("unclassified", `expected a map[string]interface {}, but received a ${typeof item}`);
      if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
    }
}

/** Stable sort by position in `order`; an item missing from `order` is "less" (upstream's comparator, insertion sort). */
export function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, isMap: boolean): unknown[] {
  let items = [...toSort];
  let toDelete: unknown[] = [];
  if (isMap) {
    validateMergeKeys(mergeKey, items, order);
    toDelete = items.filter((v) => isObject(v) && v.$patch === "delete");
    items = items.filter((v) => !(isObject(v) && v.$patch === "delete"));
  }
  const indexOf = indexer(order, mergeKey, isMap);
  const less = (a: unknown, b: unknown) => {
    const ia = indexOf(a);
    if (ia >= 0) {
      const ib = indexOf(b);
      if (ib >= 0) return ia < ib;
    }
    return true;
  };
  for (let i = 1; i < items.length; i++) {
    for (let j = i; j > 0 && less(items[j], items[j - 1]); j--) [items[j], items[j - 1]] = [items[j - 1], items[j]];
  }
  return [...items, ...toDelete];
}

function mergeSorted(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, isMap: boolean): unknown[] {
  const indexOf = indexer(serverOrder, mergeKey, isMap);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexOf(left[i]);
      const ri = indexOf(right[j]);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

export function normalizeElementOrder(
  patch: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  isMap: boolean,
): unknown[] {
  const p = normalizeSliceOrder(patch, patchOrder, mergeKey, isMap);
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, isMap);
  return mergeSorted(s, p, serverOrder, mergeKey, isMap);
}

/** Split `merged` into items present in `by` and server-only items. */
export function partition(merged: unknown[], by: unknown[], mergeKey: string, isMap: boolean): [unknown[], unknown[]] {
  const indexOf = indexer(by, mergeKey, isMap);
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of merged) {
    if (isMap) {
      if (!isObject(v)) throw new SmpError("unclassified", `expected a map[string]interface {}, but received a ${typeof v}`);
      if (!Object.hasOwn(v, mergeKey)) throw noMergeKey(v, mergeKey);
    }
    (indexOf(v) >= 0 ? inPatch : serverOnly).push(v);
  }
  return [inPatch, serverOnly];
}
