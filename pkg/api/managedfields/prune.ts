// Removal of fields an applier stopped applying (structured-merge-diff's Updater.prune): a field
// in the manager's previous set goes when no manager (the applier's new set included) owns it.
import type { SchemaRegistry } from "../schema/types.ts";
import type { FieldSet } from "./fieldset.ts";
import { isEmpty } from "./fieldset.ts";
import { type Atom, deduce, fieldAtom, isNamedField, isObj, itemPE, setOwn } from "./typed.ts";
import { fieldAtomOfList } from "./walk.ts";

const REMOVED = Symbol("removed");

/** A named struct field counts as owned when anything below it is owned. */
function owns(s: FieldSet | undefined, pe: string, named: boolean): boolean {
  if (!s) return false;
  if (s.members.has(pe)) return true;
  const c = s.children.get(pe);
  return named && !!c && !isEmpty(c);
}

export function prune(schemas: SchemaRegistry, atom: Atom, v: unknown, last: FieldSet, keep: FieldSet): unknown {
  const out = walk(schemas, atom, v, last, keep);
  return out === REMOVED ? {} : out;
}

function walk(schemas: SchemaRegistry, atom: Atom, v: unknown, last: FieldSet, keep: FieldSet | undefined): unknown {
  const a = deduce(atom, v);
  if (a.kind === "list") {
    if (a.rel === "atomic" || !Array.isArray(v)) return v;
    const elem = fieldAtomOfList(schemas, a);
    let changed = false;
    const out: unknown[] = [];
    v.forEach((item, i) => {
      const pe = itemPE(a, item, i);
      if (last.members.has(pe) && !keep?.members.has(pe)) {
        changed = true;
        return;
      }
      const sub = last.children.get(pe);
      if (!sub) return void out.push(item);
      const r = walk(schemas, elem, item, sub, keep?.children.get(pe));
      if (r === REMOVED) changed = true;
      else out.push(r);
    });
    return changed && out.length === 0 && v.length > 0 ? REMOVED : out;
  }
  if (a.kind !== "map" || a.atomic || !isObj(v)) return v;
  const out: Record<string, unknown> = {};
  let removedAny = false;
  for (const [k, x] of Object.entries(v)) {
    const pe = `f:${k}`;
    const named = isNamedField(a, k);
    const inLast = owns(last, pe, named);
    if (inLast && !owns(keep, pe, named)) {
      removedAny = true;
      continue;
    }
    const sub = last.children.get(pe);
    if (!sub) {
      setOwn(out, k, x);
      continue;
    }
    const r = walk(schemas, fieldAtom(schemas, a, k), x, sub, keep?.children.get(pe));
    if (r === REMOVED) removedAny = true;
    else setOwn(out, k, r);
  }
  return removedAny && Object.keys(out).length === 0 ? REMOVED : out;
}
