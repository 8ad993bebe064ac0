// Checks structured-merge-diff makes when typing an applied configuration: every item of an
// associative list carries its keys, and no key or set value appears twice.
import type { SchemaRegistry } from "../schema/types.ts";
import { type FieldPath, pathString } from "./fieldset.ts";
import { type Atom, deduce, fieldAtom, getOwn, isObj, itemPE } from "./typed.ts";
import { fieldAtomOfList } from "./walk.ts";

/** Upstream's schema defaults for list-map keys (kept in step with typed.ts). */
const DEFAULTED_KEYS = new Set(["protocol"]);

/** The first problem found, as upstream words it (`<path>: <message>`), or undefined. */
export function validateApplied(schemas: SchemaRegistry, atom: Atom, v: unknown): string | undefined {
  const walk = (a0: Atom, val: unknown, path: FieldPath): string | undefined => {
    const a = deduce(a0, val);
    if (a.kind === "list") {
      if (a.rel === "atomic" || !Array.isArray(val)) return undefined;
      const seen = new Set<string>();
      const elem = fieldAtomOfList(schemas, a);
      for (let i = 0; i < val.length; i++) {
        const item = val[i];
        if (a.rel === "map") {
          const where = path.length ? `${pathString(path)}: ` : "";
          if (!isObj(item)) return `${where}element ${i}: expected map, got ${JSON.stringify(item)}`;
          for (const k of a.keys) {
            if (getOwn(item, k) === undefined && !DEFAULTED_KEYS.has(k)) {
              return `${where}element ${i}: associative list with keys has an element that omits key field "${k}" (and doesn't have default value)`;
            }
          }
        }
        const pe = itemPE(a, item, i);
        if (seen.has(pe)) return `${pathString(path)}: duplicate entries for key ${pathString([pe])}`;
        seen.add(pe);
        const err = walk(elem, item, [...path, pe]);
        if (err) return err;
      }
      return undefined;
    }
    if (a.kind !== "map" || a.atomic || !isObj(val)) return undefined;
    for (const [k, x] of Object.entries(val)) {
      const err = walk(fieldAtom(schemas, a, k), x, [...path, `f:${k}`]);
      if (err) return err;
    }
    return undefined;
  };
  return walk(atom, v, []);
}
