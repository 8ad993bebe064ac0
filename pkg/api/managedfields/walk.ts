// Field sets, comparisons and merges of typed JSON values (structured-merge-diff's
// ToFieldSet, Compare and Merge).
import type { SchemaRegistry } from "../schema/types.ts";
import { type FieldPath, type FieldSet, emptySet, insert } from "./fieldset.ts";
import { type Atom, deduce, fieldAtom, getOwn, isEmptyComposite, isNamedField, isObj, itemPE, setOwn } from "./typed.ts";

/** The fields `v` sets: leaves, list items, and empty or unnamed map entries. */
export function toFieldSet(schemas: SchemaRegistry, atom: Atom, v: unknown): FieldSet {
  const set = emptySet();
  const walk = (a0: Atom, val: unknown, path: FieldPath) => {
    const a = deduce(a0, val);
    if (a.kind === "scalar" || a.kind === "deduced") return insert(set, path);
    if (a.kind === "list") {
      if (a.rel === "atomic" || !Array.isArray(val)) return insert(set, path);
      const seen = new Map<string, number>();
      val.forEach((item, i) => {
        const pe = itemPE(a, item, i);
        seen.set(pe, (seen.get(pe) ?? 0) + 1);
      });
      val.forEach((item, i) => {
        const pe = itemPE(a, item, i);
        if (seen.get(pe)! > 1) return insert(set, [...path, pe]);
        walk(a.elem ? fieldAtomOfList(schemas, a) : { kind: "deduced" }, item, [...path, pe]);
        insert(set, [...path, pe]);
      });
      return;
    }
    if (a.atomic || !isObj(val)) return insert(set, path);
    for (const [k, x] of Object.entries(val)) {
      const p = [...path, `f:${k}`];
      walk(fieldAtom(schemas, a, k), x, p);
      if (x === null || (isObj(x) && Object.keys(x).length === 0) || !isNamedField(a, k)) insert(set, p);
    }
  };
  walk(atom, v, []);
  return set;
}

export function fieldAtomOfList(schemas: SchemaRegistry, a: Extract<Atom, { kind: "list" }>): Atom {
  return fieldAtom(schemas, { kind: "map", elem: a.elem, atomic: false }, "");
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

const jsonEq = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (isObj(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(getOwn(v, k))]));
  return v;
}

/** Index a list's items by path element; later duplicates are reported separately. */
function indexItems(a: Extract<Atom, { kind: "list" }>, list: unknown[]): Map<string, unknown[]> {
  const m = new Map<string, unknown[]>();
  list.forEach((item, i) => {
    const pe = itemPE(a, item, i);
    const l = m.get(pe);
    if (l) l.push(item);
    else m.set(pe, [item]);
  });
  return m;
}

/** Which fields differ between `lhs` (old) and `rhs` (new). */
export function compare(schemas: SchemaRegistry, atom: Atom, lhs: unknown, rhs: unknown): Comparison {
  const cmp: Comparison = { added: emptySet(), modified: emptySet(), removed: emptySet() };
  const leaf = (l: unknown, r: unknown, path: FieldPath) => {
    if (l === undefined) insert(cmp.added, path);
    else if (r === undefined) insert(cmp.removed, path);
    else if (!jsonEq(l, r)) insert(cmp.modified, path);
  };
  const walk = (a0: Atom, l: unknown, r: unknown, path: FieldPath, struct: boolean) => {
    if (l === undefined && r === undefined) return;
    const al = deduce(a0, l);
    const ar = deduce(a0, r);
    const a = r === undefined ? al : ar;
    const sameShape = l === undefined || r === undefined || al.kind === ar.kind || isEmptyComposite(l) || isEmptyComposite(r);
    if (!sameShape || a.kind === "scalar" || a.kind === "deduced") return leaf(l, r, path);
    if (a.kind === "list") {
      const ll = Array.isArray(l) ? l : [];
      const rl = Array.isArray(r) ? r : [];
      if (a.rel === "atomic" || (ll.length === 0 && rl.length === 0) || (l != null && !Array.isArray(l)) || (r != null && !Array.isArray(r))) {
        return leaf(l, r, path);
      }
      const li = indexItems(a, ll);
      const ri = indexItems(a, rl);
      const elem = fieldAtomOfList(schemas, a);
      for (const pe of new Set([...li.keys(), ...ri.keys()])) {
        const lv = li.get(pe) ?? [];
        const rv = ri.get(pe) ?? [];
        const p = [...path, pe];
        if (lv.length <= 1 && rv.length <= 1) walk(elem, lv[0], rv[0], p, false);
        else if (lv.length >= 2 && rv.length >= 2) {
          if (!jsonEq(lv, rv)) insert(cmp.modified, p);
        } else if (lv.length >= 2) {
          if (rv.length) walk(elem, undefined, rv[0], p, false);
          insert(cmp.removed, p);
        } else {
          if (lv.length) walk(elem, lv[0], undefined, p, false);
          insert(cmp.added, p);
        }
      }
    } else {
      const lm = isObj(l) ? l : undefined;
      const rm = isObj(r) ? r : undefined;
      if (a.atomic || (isEmptyComposite(l) && isEmptyComposite(r)) || (l != null && !lm) || (r != null && !rm)) return leaf(l, r, path);
      for (const k of new Set([...Object.keys(lm ?? {}), ...Object.keys(rm ?? {})])) {
        walk(fieldAtom(schemas, a, k), getOwn(lm, k), getOwn(rm, k), [...path, `f:${k}`], isNamedField(a, k) && alwaysPresent(schemas, a, k));
      }
    }
    // A composite that appeared or vanished is itself added/removed, except fields upstream's typed
    // objects always carry (non-pointer structs, required non-omitempty fields such as containers).
    if (struct || path.length === 0) return;
    if (l === undefined) insert(cmp.added, path);
    else if (r === undefined) insert(cmp.removed, path);
  };
  walk(atom, lhs, rhs, [], false);
  return cmp;
}

function alwaysPresent(schemas: SchemaRegistry, a: Extract<Atom, { kind: "map" }>, k: string): boolean {
  if (a.required?.includes(k)) return true;
  const fs = a.fields && Object.hasOwn(a.fields, k) ? a.fields[k] : undefined;
  return fs?.type === "object" && !!fs.ref && !!schemas.type(fs.ref);
}

/** Apply-merge `rhs` (the applied configuration) into `lhs` (live): leaves and atomics from rhs win. */
export function merge(schemas: SchemaRegistry, atom: Atom, lhs: unknown, rhs: unknown): unknown {
  if (rhs === undefined) return lhs;
  if (lhs === undefined) return dropNulls(rhs);
  const a = deduce(atom, rhs);
  const al = deduce(atom, lhs);
  if (a.kind !== al.kind || a.kind === "scalar" || a.kind === "deduced") return dropNulls(rhs);
  if (a.kind === "list") {
    if (a.rel === "atomic" || !Array.isArray(lhs) || !Array.isArray(rhs)) return dropNulls(rhs);
    return mergeList(schemas, a, lhs, rhs);
  }
  if (a.atomic || !isObj(lhs) || !isObj(rhs)) return dropNulls(rhs);
  const out: Record<string, unknown> = { ...lhs };
  for (const [k, v] of Object.entries(rhs)) {
    if (v === null) {
      delete out[k];
      continue;
    }
    setOwn(out, k, merge(schemas, fieldAtom(schemas, a, k), getOwn(lhs, k), v));
  }
  return out;
}

function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (!isObj(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) setOwn(out, k, dropNulls(x));
  return out;
}

/** Keyed/set list merge keeping live order for live-only items and applied order for shared ones. */
function mergeList(schemas: SchemaRegistry, a: Extract<Atom, { kind: "list" }>, lhs: unknown[], rhs: unknown[]): unknown[] {
  const elem = fieldAtomOfList(schemas, a);
  const lpes = lhs.map((x, i) => itemPE(a, x, i));
  const rIndex = new Map<string, unknown>();
  const rpes: string[] = [];
  rhs.forEach((x, i) => {
    const pe = itemPE(a, x, i);
    if (!rIndex.has(pe)) {
      rIndex.set(pe, x);
      rpes.push(pe);
    }
  });
  const lIndex = new Map<string, unknown>();
  lhs.forEach((x, i) => {
    if (!lIndex.has(lpes[i]!)) lIndex.set(lpes[i]!, x);
  });
  const shared = rpes.filter((pe) => lIndex.has(pe));
  let next = 0;
  const merged = new Set<string>();
  const out: unknown[] = [];
  let li = 0;
  let ri = 0;
  while (li < lpes.length || ri < rpes.length) {
    if (li < lpes.length && ri < rpes.length) {
      const pe = lpes[li]!;
      if (pe === rpes[ri]) {
        merged.add(pe);
        out.push(merge(schemas, elem, lIndex.get(pe), rIndex.get(pe)));
        li++;
        ri++;
        next = shared.indexOf(pe) + 1;
        continue;
      }
      if (rIndex.has(pe) && next < shared.length && shared[next] !== pe) {
        li++;
        continue;
      }
    }
    if (li < lpes.length) {
      const pe = lpes[li]!;
      if (!rIndex.has(pe)) {
        out.push(lhs[li]);
        li++;
        continue;
      }
      if (merged.has(pe)) li++;
    }
    if (ri < rpes.length) {
      const pe = rpes[ri]!;
      merged.add(pe);
      out.push(merge(schemas, elem, lIndex.get(pe), rIndex.get(pe)));
      ri++;
      if (next < shared.length && shared[next] === pe) next++;
    }
  }
  return out;
}
