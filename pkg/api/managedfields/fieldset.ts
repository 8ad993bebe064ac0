// Sets of field paths (structured-merge-diff's fieldpath.Set) and their FieldsV1 encoding.
// A path element is kept in its FieldsV1 spelling: `f:<field>`, `k:<json key object>`,
// `v:<json value>` or `i:<index>`.

export interface FieldSet {
  /** Path elements that end a path in this set. */
  members: Set<string>;
  /** Sub-sets under a path element. */
  children: Map<string, FieldSet>;
}

export type FieldPath = string[];

export const emptySet = (): FieldSet => ({ members: new Set(), children: new Map() });

export function isEmpty(s: FieldSet): boolean {
  if (s.members.size > 0) return false;
  for (const c of s.children.values()) if (!isEmpty(c)) return false;
  return true;
}

export function insert(s: FieldSet, path: FieldPath): void {
  if (path.length === 0) return;
  let node = s;
  for (const pe of path.slice(0, -1)) {
    let next = node.children.get(pe);
    if (!next) node.children.set(pe, (next = emptySet()));
    node = next;
  }
  node.members.add(path[path.length - 1]!);
}

export function has(s: FieldSet, path: FieldPath): boolean {
  let node: FieldSet | undefined = s;
  for (const pe of path.slice(0, -1)) {
    node = node.children.get(pe);
    if (!node) return false;
  }
  return path.length > 0 && node.members.has(path[path.length - 1]!);
}

/** The sub-set below `pe` (empty when absent). */
export const child = (s: FieldSet | undefined, pe: string): FieldSet | undefined => s?.children.get(pe);

export function union(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { members: new Set([...a.members, ...b.members]), children: new Map() };
  for (const [pe, c] of a.children) out.children.set(pe, b.children.has(pe) ? union(c, b.children.get(pe)!) : clone(c));
  for (const [pe, c] of b.children) if (!a.children.has(pe)) out.children.set(pe, clone(c));
  return out;
}

/** Paths of `a` that are not paths of `b` (structured-merge-diff's Difference). */
export function difference(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { members: new Set([...a.members].filter((m) => !b.members.has(m))), children: new Map() };
  for (const [pe, c] of a.children) {
    const d = b.children.has(pe) ? difference(c, b.children.get(pe)!) : clone(c);
    if (!isEmpty(d)) out.children.set(pe, d);
  }
  return out;
}

export function intersection(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { members: new Set([...a.members].filter((m) => b.members.has(m))), children: new Map() };
  for (const [pe, c] of a.children) {
    const o = b.children.get(pe);
    if (!o) continue;
    const i = intersection(c, o);
    if (!isEmpty(i)) out.children.set(pe, i);
  }
  return out;
}

/** Remove from `a` every path of `b` and everything below the members of `b`. */
export function recursiveDifference(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { members: new Set([...a.members].filter((m) => !b.members.has(m))), children: new Map() };
  for (const [pe, c] of a.children) {
    if (b.members.has(pe)) continue;
    const d = b.children.has(pe) ? recursiveDifference(c, b.children.get(pe)!) : clone(c);
    if (!isEmpty(d)) out.children.set(pe, d);
  }
  return out;
}

export function clone(s: FieldSet): FieldSet {
  return { members: new Set(s.members), children: new Map([...s.children].map(([k, v]) => [k, clone(v)])) };
}

export function setOf(paths: FieldPath[]): FieldSet {
  const s = emptySet();
  for (const p of paths) insert(s, p);
  return s;
}

const RANK: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** structured-merge-diff's path element order: fields, then keys, then values, then indices. */
export function comparePE(a: string, b: string): number {
  const ra = RANK[a[0]!] ?? 4;
  const rb = RANK[b[0]!] ?? 4;
  if (ra !== rb) return ra - rb;
  if (a[0] === "i") return Number(a.slice(2)) - Number(b.slice(2));
  return a < b ? -1 : a > b ? 1 : 0;
}

/** All paths, members of a node before its children, each group in path-element order. */
export function paths(s: FieldSet, prefix: FieldPath = []): FieldPath[] {
  const out: FieldPath[] = [...s.members].sort(comparePE).map((m) => [...prefix, m]);
  for (const pe of [...s.children.keys()].sort(comparePE)) out.push(...paths(s.children.get(pe)!, [...prefix, pe]));
  return out;
}

/** Encode as FieldsV1: `{}` for a leaf, `".": {}` where an element is both a member and a parent. */
export function toFieldsV1(s: FieldSet, self = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (self) out["."] = {};
  const keys = [...new Set([...s.members, ...s.children.keys()])].sort(comparePE);
  for (const k of keys) {
    const c = s.children.get(k);
    Object.defineProperty(out, k, { value: c && !isEmpty(c) ? toFieldsV1(c, s.members.has(k)) : {}, writable: true, enumerable: true, configurable: true });
  }
  return out;
}

export function fromFieldsV1(v: unknown): FieldSet {
  const s = emptySet();
  if (typeof v !== "object" || v === null || Array.isArray(v)) return s;
  for (const [k, c] of Object.entries(v as Record<string, unknown>)) {
    if (k === ".") continue;
    const sub = fromFieldsV1(c);
    const isSelf = typeof c === "object" && c !== null && Object.hasOwn(c, ".");
    if (isEmpty(sub) || isSelf) s.members.add(k);
    if (!isEmpty(sub)) s.children.set(k, sub);
  }
  return s;
}

function valueString(v: unknown): string {
  return typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v) ?? "null";
}

/** Upstream's human path: `.spec.containers[name="nginx"].image`, `[=value]`, `[0]`. */
export function pathString(path: FieldPath): string {
  return path
    .map((pe) => {
      const body = pe.slice(2);
      switch (pe[0]) {
        case "f":
          return `.${body}`;
        case "k": {
          const key = JSON.parse(body) as Record<string, unknown>;
          return `[${Object.keys(key)
            .sort()
            .map((k) => `${k}=${valueString(key[k])}`)
            .join(",")}]`;
        }
        case "v":
          return `[=${valueString(JSON.parse(body))}]`;
        default:
          return `[${body}]`;
      }
    })
    .join("");
}
